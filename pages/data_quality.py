"""Data quality (programme and admin roles): completeness, freshness, outliers, duplicates, the
rules the last imports failed, and the import history. The measures are dashboard/quality's."""

import streamlit as st

from dashboard import db, i18n, ui
from dashboard.ingest import report
from dashboard.quality import completeness, duplicates, imports, outliers

if ui.viewer().role not in ui.page_roles("data_quality"):  # navigation hides it too
    st.error(ui.t("errors.access_denied", detail=ui.t("data_quality.not_for_role")))
    st.stop()

filters = ui.filters()
language = ui.language()
as_of = min(filters.end, ui.as_of())
params = {"province": filters.province, "site_id": filters.site_id}
period = {"start": filters.start, "end": as_of}
MEASURES = ("workers", "women", "children_under_15", "children_15_17", "active_pits",
            "covered_pits", "deepest_pit_m", "ppe_use_share")

sites = ui.load("quality_sites", **params, end=as_of)
visit_months = ui.load("quality_visit_months", **params, **period)
missing = ui.load("quality_missing", **params, **period)
shared = ui.load("quality_duplicates", **params)
visits = completeness.visit_completeness(sites, visit_months, filters.start, as_of)
fresh = completeness.freshness(sites, as_of)
flagged = outliers.outliers(visit_months, MEASURES)
target = db.database_target()
local = not target.startswith("md:")  # a MotherDuck database has no journal beside it
journal_file = report.journal_path(target) if local else None


@st.cache_data(ttl="1h", max_entries=8, show_spinner=False)
def import_runs(path, modified: float) -> tuple:
    """The journal and the problems of its last runs' reports (read again when it changes)."""
    runs = imports.read_journal(path) if path else imports.read_journal("")
    return runs, imports.failed_rules(runs, path.parent / "reports" if path else "")


journal, failed = import_runs(journal_file, journal_file.stat().st_mtime
                              if journal_file and journal_file.exists() else 0.0)
names = dict(zip(sites["site_id"], sites["name"]))


def t(key: str, **values) -> str:
    return ui.t(f"data_quality.{key}", **values)


def percent_column(key: str) -> st.column_config.ProgressColumn:
    return st.column_config.ProgressColumn(t(key), format="percent", min_value=0, max_value=1)


def number_column(key: str, **values) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(t(key, **values), format="localized")


st.title(t("title"))
st.caption(t("caption", start=i18n.date(filters.start, language),
             end=i18n.date(as_of, language)))

share = completeness.overall_visit_share(visits)
stale = int((fresh["days_since_visit"].isna() | (fresh["days_since_visit"]
                                                 > completeness.STALE_DAYS)).sum())
done, old, odd, twice = st.columns(4)
done.metric(t("visits_done"), i18n.percent(share, language), border=True,
            help=t("visits_done_help"))
old.metric(t("stale_sites", days=completeness.STALE_DAYS), i18n.number(stale, language),
           border=True, help=t("stale_help", days=completeness.STALE_DAYS,
                               as_of=i18n.date(as_of, language)))
odd.metric(t("outliers"), i18n.number(len(flagged), language), border=True,
           help=t("outliers_help", threshold=outliers.THRESHOLD))
twice.metric(t("duplicate_rows"), i18n.number(int((shared["n_rows"] - 1).sum()), language),
             border=True)

tabs = st.tabs([t("tab_completeness"), t("tab_freshness"), t("tab_outliers"),
                t("tab_duplicates"), t("tab_imports")])

with tabs[0]:
    st.markdown(t("visits_rule"))
    st.dataframe(visits.drop(columns="site_id"), hide_index=True, key="visit_completeness",
                 column_config={"name": t("site"), "province": t("province"),
                                "months_expected": number_column("months_expected"),
                                "months_visited": number_column("months_visited"),
                                "share_done": percent_column("share_done")})
    st.subheader(t("missing_title"))
    st.caption(t("missing_rule"))
    field_column, site_column = st.columns(2)
    field_column.dataframe(completeness.missing_by_field(missing), hide_index=True,
                           key="missing_by_field", column_config={
                               "table_name": t("table"), "field": t("field"),
                               "rows": number_column("rows"), "missing": number_column("missing"),
                               "share_missing": percent_column("share_missing")})
    site_column.dataframe(completeness.missing_by_site(missing, sites).drop(columns="site_id"),
                          hide_index=True, key="missing_by_site", column_config={
                              "name": t("site"), "table_name": t("table"),
                              "rows": number_column("rows"),
                              "share_missing": percent_column("share_missing"),
                              "worst_field": t("worst_field"),
                              "worst_share": percent_column("worst_share")})

with tabs[1]:
    st.markdown(t("freshness_rule", as_of=i18n.date(as_of, language),
                  days=completeness.STALE_DAYS))
    st.dataframe(fresh.drop(columns="site_id"), hide_index=True, key="freshness",
                 column_config={
                     "name": t("site"), "province": t("province"),
                     "programme_status": t("status"),
                     "last_visit": st.column_config.DateColumn(t("last_visit")),
                     "days_since_visit": number_column("days_since_visit"),
                     "last_interview": st.column_config.DateColumn(t("last_interview")),
                     "days_since_survey": number_column("days_since_survey")})

with tabs[2]:
    st.markdown(t("outliers_rule", threshold=outliers.THRESHOLD,
                  points=outliers.MIN_POINTS))
    shown = flagged.assign(site=flagged["site_id"].map(names),
                           measure=[t(f"measure.{m}") for m in flagged["measure"]])
    st.dataframe(shown[["site", "month", "measure", "value", "median", "z"]], hide_index=True,
                 key="outliers", column_config={
                     "site": t("site"), "month": st.column_config.DateColumn(
                         t("month"), format="YYYY-MM"),
                     "measure": t("measure_column"), "value": number_column("value"),
                     "median": number_column("median"),
                     "z": st.column_config.NumberColumn(t("z"), format="%.1f")})

with tabs[3]:
    st.markdown(t("duplicates_rule"))
    table_column, site_column = st.columns(2)
    table_column.dataframe(duplicates.by_table(shared), hide_index=True, key="dup_tables",
                           column_config={"table_name": t("table"), "key_columns": t("key"),
                                          "shared_keys": number_column("shared_keys"),
                                          "extra_rows": number_column("extra_rows")})
    site_column.dataframe(duplicates.by_site(shared, sites).drop(columns="site_id"),
                          hide_index=True, key="dup_sites", column_config={
                              "name": t("site"), "table_name": t("table"),
                              "shared_keys": number_column("shared_keys"),
                              "extra_rows": number_column("extra_rows"),
                              "examples": t("examples")})

results = {r: t(f"results.{r}") for r in ("loaded", "refused", "dry_run", "unchanged", "failed")}
severities = {s: ui.t(f"ingest.severity.{s}") for s in ("error", "warning")}
with tabs[4]:
    st.subheader(t("failed_title"))
    if failed.empty:
        st.info(t("no_failed", runs=imports.RUNS))
    else:
        st.caption(t("failed_caption", runs=imports.RUNS))
        shown_failed = failed.assign(result=failed["result"].map(results).fillna(
            failed["result"]), severity=failed["severity"].map(severities).fillna(
            failed["severity"]))
        st.dataframe(shown_failed, hide_index=True, key="failed_rules", column_config={
            "at": st.column_config.DatetimeColumn(t("at")), "kind": t("kind"),
            "file": t("file"), "result": t("result"), "column": t("column"),
            "rule": t("rule"), "severity": t("severity"),
            "problems": number_column("problems")})
    st.subheader(t("history_title"))
    if not journal.empty:
        st.caption(t("history_journal"))
        history = journal.assign(result=journal["result"].map(results).fillna(
            journal["result"]))
        st.dataframe(history[["at", "kind", "mode", "result", "file", "rows_read",
                              "rows_accepted", "rows_rejected", "imported_by"]],
                     hide_index=True, key="history", column_config={
                         "at": st.column_config.DatetimeColumn(t("at")), "kind": t("kind"),
                         "mode": t("mode"), "result": t("result"), "file": t("file"),
                         "rows_read": number_column("rows_read"),
                         "rows_accepted": number_column("rows_accepted"),
                         "rows_rejected": number_column("rows_rejected"),
                         "imported_by": t("imported_by")})
    else:
        logged = ui.load("import_log")
        if logged.empty:
            st.info(t("no_history"))
        else:
            st.caption(t("history_log"))
            st.dataframe(logged.assign(source_file=logged["source_file"].map(
                imports.file_name)), hide_index=True, key="history")
