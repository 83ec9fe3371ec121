"""Problem sites: the sites that need a visit or a decision, ranked, and why."""

import streamlit as st

from dashboard import charts, i18n, markdown, ui
from dashboard.screening import charts as screening_charts
from dashboard.screening import watchlist
from dashboard.screening.config import ScreeningConfigError

filters = ui.filters()
language = ui.language()
as_of = min(filters.end, ui.as_of())
try:
    result = ui.screening(as_of)
except ScreeningConfigError as error:
    st.error(ui.t("screening.config_error", detail=markdown.escape(error)),
             icon=":material/error:")
    st.stop()
config = result.config
table = ui.watchlist_table(as_of, language)  # shared: reasons are added to the rows shown

st.title(ui.t("problem_sites.title"))
st.caption(ui.t("problem_sites.caption", as_of=i18n.date(as_of, language),
                trend_days=config.settings.trend_days))

counts = watchlist.counts(result, filters.province, filters.site_id)
flagged, high, new, resolved = st.columns(4)
flagged.metric(ui.t("problem_sites.sites_flagged"), i18n.number(counts.sites, language),
               border=True)
high.metric(ui.t("problem_sites.high_severity"),
            i18n.number(counts.by_severity.get("high", 0), language), border=True)
new.metric(ui.t("problem_sites.new_sites", days=config.settings.trend_days),
           i18n.number(counts.new, language), border=True)
resolved.metric(ui.t("problem_sites.resolved_sites", days=config.settings.trend_days),
                i18n.number(counts.resolved, language), border=True)

# the filters live in the URL as keys (?flag=deep_pits&severity=high&measure=...), so a link
# made in one language opens the same list in the other; older links with names still work
checks = [*config.rules, *config.measures]
flag_column, severity_column = st.columns([3, 1])
ui.link_choice("flag", "flag_filter", checks, [], config.name, multi=True)
chosen_checks = flag_column.multiselect(
    ui.t("problem_sites.flag_filter"), checks, key="flag_filter",
    format_func=lambda check: config.name(check, language),
    placeholder=ui.t("problem_sites.all_flags"))
ui.link_write("flag", chosen_checks, [])
ui.link_choice("severity", "severity_filter", list(config.severities), [],
               lambda key, lang: getattr(config.severities[key], f"name_{lang}"), multi=True)
chosen_severities = severity_column.pills(
    ui.t("problem_sites.severity_filter"), list(config.severities), selection_mode="multi",
    key="severity_filter",
    format_func=lambda key: getattr(config.severities[key], f"name_{language}"))
ui.link_write("severity", chosen_severities, [])
shown = watchlist.filtered(table, checks=chosen_checks, severities=chosen_severities,
                           province=filters.province, site_id=filters.site_id)


def watchlist_view() -> None:
    if shown.empty:
        st.success(ui.t("problem_sites.none_flagged"), icon=":material/check_circle:")
    else:
        listed = shown
        pages = watchlist.page_count(len(shown))
        if pages > 1:  # a long list is read a page at a time; the download has every row
            number = st.selectbox(ui.t("problem_sites.list_page"), range(1, pages + 1),
                                  key="watchlist_page", width=160)
            listed = watchlist.page(shown, number)
            first = (number - 1) * watchlist.PAGE_ROWS
            st.caption(ui.t("problem_sites.rows_shown", first=i18n.number(first + 1, language),
                            last=i18n.number(first + len(listed), language),
                            n=i18n.number(len(shown), language)))
        listed = watchlist.with_reasons(listed, result, language)
        view = listed.assign(
            severity_name=listed["severity"].map(watchlist.SEVERITY_MARKS) + " "
            + listed["severity_name"],
            trend=listed["trend_arrow"] + " "
            + listed["trend"].map(lambda t: ui.t(f"screening.trend.{t}")),
            reasons=listed["reasons"].map(" • ".join),
            since=listed["since"].map(lambda day: i18n.date(day, language)),
            profile=listed["site_id"].map(watchlist.profile_url))
        selection = st.dataframe(
            view[["rank", "name", "profile", "province", "severity_name", "trend", "since",
                  "flags", "reasons"]],
            hide_index=True, key="watchlist", on_select="rerun", selection_mode="single-row",
            placeholder="–",
            column_config={
                "rank": st.column_config.NumberColumn(ui.t("problem_sites.rank"), width="small"),
                "name": ui.t("common.site"),
                "province": ui.t("common.province"),
                "severity_name": ui.t("problem_sites.severity"),
                "flags": st.column_config.ListColumn(ui.t("problem_sites.flags")),
                "since": st.column_config.TextColumn(ui.t("problem_sites.since"),
                                                     help=ui.t("problem_sites.since_help")),
                "trend": st.column_config.TextColumn(
                    ui.t("problem_sites.trend"),
                    help=ui.t("problem_sites.trend_help", days=config.settings.trend_days)),
                "reasons": st.column_config.TextColumn(ui.t("problem_sites.reasons"),
                                                       width="large"),
                "profile": st.column_config.LinkColumn(
                    ui.t("problem_sites.profile"), display_text=ui.t("problem_sites.open")),
            })
        rows = selection["selection"]["rows"] if selection else []
        if rows and rows[0] < len(listed):
            chosen = listed.iloc[rows[0]]
            st.markdown(f"**{markdown.escape(chosen['name'])}** · "
                        f"{markdown.escape(chosen['province'])}")
            for name, reason in zip(chosen["flags"], chosen["reasons"]):
                st.markdown(f"- **{markdown.escape(name)}**: {markdown.escape(reason)}")
            st.link_button(ui.t("problem_sites.open_profile",
                                name=markdown.escape(chosen["name"])),
                           watchlist.profile_url(chosen["site_id"]))
        else:
            st.caption(ui.t("problem_sites.select_hint"))
        st.download_button(  # the file is written when it is asked for
            ui.t("problem_sites.download"),
            lambda: watchlist.to_csv(watchlist.export_frame(
                watchlist.with_reasons(shown, result, language), language,
                watchlist.profile_url)),
            file_name=f"problem-sites-{as_of.isoformat()}.csv", mime="text/csv",
            icon=":material/download:", on_click="ignore")
        if st.toggle(ui.t("problem_sites.show_map"), key="watchlist_map"):
            points = screening_charts.flag_points(shown)
            st.pydeck_chart(
                screening_charts.flags_deck(points, ui.basemap()),
                height=480, key="flag_map", alt=ui.t("problem_sites.map_alt"))
            st.caption(ui.t("problem_sites.map_legend"))


def funnel_view() -> None:
    ui.link_choice("measure", "funnel_measure", list(config.measures), next(iter(config.measures)),
                   config.name)
    measure = st.selectbox(
        ui.t("problem_sites.measure"), list(config.measures), key="funnel_measure",
        format_func=lambda check: config.name(check, language))
    ui.link_write("measure", measure, next(iter(config.measures)))
    entry, spec = config.measures[measure]
    assessment = result.now.assessments[measure]
    if assessment.sites.empty or assessment.curve.empty:
        st.info(ui.t("problem_sites.no_measure_data"))
    else:
        names = result.sites.set_index("site_id")["name"]
        n_label = getattr(entry, f"n_label_{language}")
        labels = {key: ui.t(f"problem_sites.funnel_{key}") for key in (
            "target", "limit_95", "limit_998", "worse_998", "worse_95", "within", "better_95",
            "better_998", "shrunk", "open")}
        labels["not_ranked"] = ui.t("problem_sites.funnel_not_ranked",
                                    n=i18n.number(entry.min_n, language)) + "<br>"
        percent = spec.kind == "proportion"
        figure = screening_charts.funnel(
            assessment, names, labels, title=config.name(measure, language),
            y_title=getattr(entry, f"unit_{language}"), x_title=f"n ({n_label})",
            percent=percent, language=language)
        event = st.plotly_chart(charts.data_as_text(figure), key="funnel", on_select="rerun",
                                selection_mode="points")
        points = event["selection"]["points"] if event else []
        if points:
            site_id = points[0]["customdata"][0]
            st.link_button(ui.t("problem_sites.open_profile", name=names.get(site_id, site_id)),
                           watchlist.profile_url(site_id), icon=":material/open_in_new:")
        else:
            st.caption(ui.t("problem_sites.click_hint"))
        st.caption(ui.t(
            "problem_sites.funnel_caption", months=entry.window_months,
            target=(i18n.percent(assessment.target, language, 1) if percent
                    else i18n.number(assessment.target, language, 1)),
            phi=i18n.number(assessment.overdispersion.phi, language, 2),
            tau=i18n.number(assessment.overdispersion.tau2 ** 0.5, language, 3),
            min_n=i18n.number(entry.min_n, language), n_label=n_label))
        ranking = watchlist.measure_table(assessment, result.sites, filters.province,
                                          filters.site_id)
        total, pages = len(ranking), watchlist.page_count(len(ranking))
        if pages > 1:  # every site of the measure, a page at a time
            number = st.selectbox(ui.t("problem_sites.list_page"), range(1, pages + 1),
                                  key="measure_page", width=160)
            first = (number - 1) * watchlist.PAGE_ROWS
            ranking = watchlist.page(ranking, number)
            st.caption(ui.t("problem_sites.measure_rows_shown",
                            first=i18n.number(first + 1, language),
                            last=i18n.number(first + len(ranking), language),
                            n=i18n.number(total, language)))
        number_format = "percent" if percent else "%.1f"
        st.dataframe(
            ranking.assign(
                status=ranking["status"].map(lambda s: ui.t(f"problem_sites.funnel_{s}")),
                profile=ranking["site_id"].map(watchlist.profile_url)).drop(columns="site_id"),
            hide_index=True, key="measure_table", placeholder="–",
            column_config={
                "rank": st.column_config.NumberColumn(ui.t("problem_sites.rank"),
                                                      help=ui.t("problem_sites.rank_help")),
                "name": ui.t("common.site"),
                "province": ui.t("common.province"),
                "value": st.column_config.NumberColumn(ui.t("problem_sites.raw_value"),
                                                       format=number_format),
                "n": st.column_config.NumberColumn(f"n ({n_label})", format="%d"),
                "estimate": st.column_config.NumberColumn(
                    ui.t("problem_sites.shrunk_value"), format=number_format,
                    help=ui.t("problem_sites.shrunk_help")),
                "lower": st.column_config.NumberColumn(ui.t("problem_sites.lower"),
                                                       format=number_format),
                "upper": st.column_config.NumberColumn(ui.t("problem_sites.upper"),
                                                       format=number_format),
                "status": ui.t("problem_sites.funnel_status"),
                "profile": st.column_config.LinkColumn(
                    ui.t("problem_sites.profile"), display_text=ui.t("problem_sites.open")),
            })


# only the open tab runs and is sent (a funnel of every site is large at sector scale); a
# link naming a measure opens on the funnel plots
if "measure" in st.query_params and "problem_view" not in st.session_state:
    st.session_state["problem_view"] = ui.t("problem_sites.tab_funnels")
watch_tab, funnel_tab, method_tab = st.tabs([
    ui.t("problem_sites.tab_watchlist"), ui.t("problem_sites.tab_funnels"),
    ui.t("problem_sites.tab_method")], key="problem_view", on_change="rerun")

with watch_tab:
    if watch_tab.open is not False:
        watchlist_view()

with funnel_tab:
    if funnel_tab.open is not False:
        funnel_view()

with method_tab:
    st.markdown(ui.t("problem_sites.method_intro"))
    st.dataframe(watchlist.rules_table(config, language), hide_index=True, key="rules_table",
                 column_config={
                     "name": ui.t("problem_sites.rule"),
                     "kind": ui.t("problem_sites.rule_kind"),
                     "severity": ui.t("problem_sites.severity"),
                     "settings": st.column_config.TextColumn(ui.t("problem_sites.settings"),
                                                             width="large"),
                 })
    st.markdown(ui.t("problem_sites.method_statistics"))
