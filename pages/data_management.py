"""Data management (admin role only): what the database holds and every import into it."""

import streamlit as st

from dashboard import db, markdown, ui

if ui.viewer().role != "admin":  # defence in depth: navigation already hides this page
    st.error(ui.t("errors.access_denied", detail=ui.t("data_management.admin_only")))
    st.stop()

st.title(ui.t("data_management.title"))
st.markdown(ui.t("data_management.target",
                 target=markdown.escape(db.describe_target(db.database_target()))))
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
