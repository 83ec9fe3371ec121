"""Data management (admin role only): import a file (template, upload, check, import), what
the database holds and every import into it. The upload's rules are dashboard/ingest/upload.py's."""

import streamlit as st

from dashboard import db, markdown, ui
from dashboard.ingest import definitions, upload

if ui.viewer().role != "admin":  # defence in depth: navigation already hides this page
    st.error(ui.t("errors.access_denied", detail=ui.t("data_management.admin_only")))
    st.stop()

language = ui.language()
target = db.database_target()
st.title(ui.t("data_management.title"))
st.markdown(ui.t("data_management.target", target=markdown.escape(db.describe_target(target))))

# -- import a file --------------------------------------------------------------------------
def refused(error: upload.UploadRefused) -> None:
    st.error(ui.t(f"upload.refused.{error.reason}", detail=markdown.escape(error.detail),
                  mb=upload.MAX_UPLOAD_MB), icon=":material/block:")


def run(kind: str, path, choice: upload.Choice, label: str):
    bar = st.progress(0.0, text=label)
    try:
        outcome = upload.check(target, kind, path, choice, progress=lambda share, step:
                               bar.progress(share, text=ui.t(f"upload.step.{step}")))
    except upload.UploadRefused as error:
        bar.empty()
        refused(error)
        return None
    bar.empty()
    return outcome


def show(outcome, title: str, key: str) -> None:
    st.markdown(f"**{title}**")
    lines = [markdown.escape(line) for line in upload.summary(outcome, language)]
    icon = {"loaded": ":material/check_circle:", "refused": ":material/block:"}.get(
        outcome.result, ":material/info:")
    (st.error if outcome.result == "refused" else st.info)("  \n".join(lines), icon=icon)
    if not (outcome.errors or outcome.warnings):
        return
    problems = upload.report_table(outcome.report)
    total = outcome.errors + outcome.warnings
    if total > len(problems):
        st.caption(ui.t("upload.problems_shown", shown=len(problems), total=total))
    st.dataframe(problems, hide_index=True, key=f"report_{key}")
    st.download_button(ui.t("upload.download_report"), outcome.report.read_bytes,
                       file_name=outcome.report.name, mime="text/csv", on_click="ignore",
                       icon=":material/download:", key=f"download_{key}")


def import_section() -> None:
    """Pick the kind, its templates, the upload, its check, then the import."""
    kind = st.selectbox(ui.t("upload.kind"), definitions.kinds(), index=None,
                        placeholder=ui.t("upload.kind_placeholder"), key="upload_kind",
                        format_func=lambda k, lang=language:
                        f"{k} – {definitions.get(k).description(lang)}")
    if kind is None:
        return
    for column, template_language in zip(st.columns(2), ("en", "fr"), strict=True):
        column.download_button(
            ui.t("upload.template", lang=template_language.upper()),
            lambda k=kind, lang=template_language: upload.template(k, lang),
            file_name=upload.template_name(kind, template_language),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            help=ui.t("upload.template_help"), icon=":material/download:", on_click="ignore",
            key=f"template_{template_language}")
    uploaded = st.file_uploader(ui.t("upload.file", mb=upload.MAX_UPLOAD_MB),
                                type=list(upload.TYPES), max_upload_size=upload.MAX_UPLOAD_MB,
                                key="upload_file")
    if uploaded is None:
        return
    runs = st.session_state.setdefault("_uploads", {})
    current = f"{uploaded.file_id}:{kind}"
    name = markdown.escape(uploaded.name)
    if current not in runs:
        try:
            uploaded.seek(0)
            saved = upload.save(target, kind, uploaded.name, uploaded, uploaded.size)
        except upload.UploadRefused as error:
            refused(error)
            return
        checked = run(kind, saved, upload.Choice(dry_run=True, language=language),
                      ui.t("upload.checking"))
        runs[current] = {"path": saved, "check": checked, "import": None, "refused": None}
    state = runs[current]
    if state["check"] is None:
        return
    show(state["check"], ui.t("upload.check_title", name=name), "check")
    if state["import"] is None:
        modes = {False: ui.t("upload.mode_strict"), True: ui.t("upload.mode_lenient")}
        lenient = st.radio(ui.t("upload.mode"), list(modes), format_func=modes.get,
                           horizontal=True, key="upload_lenient")
        if st.button(ui.t("upload.import"), type="primary", icon=":material/upload:",
                     key="upload_import"):
            email = st.user.get("email") if st.user.get("is_logged_in") else None
            outcome = run(kind, state["path"], upload.Choice(
                lenient=lenient, language=language, user=email), ui.t("upload.importing"))
            refused_now = outcome is not None and outcome.result == "refused"
            state["import"], state["refused"] = (None, outcome) if refused_now else (outcome,
                                                                                     None)
            st.rerun()  # the page again, without the button and with the new data
    for key in ("refused", "import"):
        if state[key] is not None:
            show(state[key], ui.t("upload.imported_title", name=name), key)
    if state["import"] is not None:
        st.caption(ui.t("upload.another"))


st.subheader(ui.t("upload.title"))
st.caption(ui.t("upload.intro", mb=upload.MAX_UPLOAD_MB))
import_section()

# -- what the database holds ----------------------------------------------------------------
st.subheader(ui.t("data_management.tables"))
st.dataframe(ui.load("table_counts"), hide_index=True, column_config={
    "table_name": ui.t("data_management.table"),
    "row_count": st.column_config.NumberColumn(ui.t("data_management.rows"), format="localized"),
})
st.subheader(ui.t("data_management.imports"))
imports = ui.load("import_log")
if imports.empty:
    st.info(ui.t("data_management.no_imports"))
else:
    st.dataframe(imports, hide_index=True)
st.subheader(ui.t("data_management.metadata"))
st.dataframe(ui.load("database_metadata"), hide_index=True)
