"""Objective trends: each indicator against its baseline and targets, split as the reader asks."""

import pandas as pd
import streamlit as st

from dashboard import computations, links, markdown, ui
from dashboard.indicators import text, views

filters = ui.filters()
language = ui.language()
end = min(filters.end, ui.as_of())

st.title(ui.t("trends.title"))
st.caption(ui.t("trends.caption"))

registry = ui.load("indicator_registry")
rows = {row.indicator_id: row for row in registry.itertuples()}
specs = {key: views.spec_from_row(row) for key, row in rows.items()}

# the URL keeps keys (?sites=all&split=sex&objective=child_labour), readable in any language;
# a label from an older link (?split=Sex, ?split=Sexe) still opens the same choice
left, right = st.columns(2)
ui.link_choice("sites", "sites", views.SCOPES, "programme",
               links.labels_from("indicators.scope.{option}"))
scope = left.segmented_control(
    ui.t("trends.sites"), views.SCOPES, required=True,
    format_func=ui.formatter("indicators.scope.{option}"), key="sites")
ui.link_write("sites", scope, "programme")
splits = ["none", *(d for d in views.SPLIT_DIMENSIONS if d != "site" or ui.may_load("trend_sites"))]
ui.link_choice("split", "split", splits, "none", links.labels_from("indicators.dimension.{option}"))
split = right.selectbox(
    ui.t("trends.split_by"), splits,
    format_func=ui.formatter("indicators.dimension.{option}"), key="split")
ui.link_write("split", split, "none")
split = None if split == "none" else split
st.info(text.status_rule(language) + "  \n" + ui.t("indicators.rule.progress"),
        icon=":material/rule:")
if filters.province or filters.site_id:
    sites = (ui.load("sites_list", province=None).set_index("site_id") if filters.site_id
             else pd.DataFrame({"name": [], "programme_status": []}))
    name = sites["name"].get(filters.site_id)
    site_status = sites["programme_status"].get(filters.site_id)
    selection = ", ".join(markdown.escape(x) for x in (filters.province, name) if x)
    st.caption(ui.t("trends.filtered_note", selection=selection))
    if name and scope not in ("all", site_status):
        st.warning(ui.t("trends.site_outside_scope", name=markdown.escape(name),
                        status=ui.t(f"indicators.scope.{site_status}").lower()),
                   icon=":material/filter_alt:")
if split == "programme_status":
    st.caption(ui.t("trends.split_ignores_scope"))
if split:
    st.caption(ui.t("trends.split_targets"))

provinces = [p for p in ui.load("provinces")["province"] if filters.province in (None, p)]


def effective_scope(spec: views.Spec) -> str:
    if split == "programme_status":
        return "all"
    if "programme_status" not in spec.disaggregations:
        return "programme"
    return scope


def split_sites(scope_name: str) -> list[tuple[str, str]]:
    sites = ui.load("trend_sites", province=filters.province, site_id=filters.site_id,
                    programme_status=None if scope_name == "all" else scope_name, end=end)
    return list(zip(sites["site_id"], sites["name"]))


def render_indicator(row, spec: views.Spec) -> None:
    scope_name = effective_scope(spec)
    sites = split_sites(scope_name) if split == "site" else []
    groups = tuple(
        (ui.t(f"indicators.scope.{scope_name}") if group == "all"
         else text.group_label(split, group, language), computations.items(extra))
        for group, extra in views.split_groups(spec, split, provinces, sites))
    result = ui.headline(spec, filters.params(), filters.start,
                         views.status_scope(filters.site_id), end)
    status = result.assessment.status

    name = getattr(row, f"name_{language}")
    st.subheader(name, anchor=spec.id)
    st.badge(text.status_label(status, language), icon=text.STATUS_ICONS[status],
             color=text.STATUS_COLOURS[status])
    chart_column, status_column = st.columns([3, 1.2])
    with chart_column:
        figure, data = ui.computed("trend_chart", spec, computations.items(filters.params()),
                                   filters.start, end, scope_name, groups, language)
        ui.chart_with_data(figure, data, key=spec.id, file_name=f"{spec.id}_{split or scope_name}",
                           escaped=True)
    with status_column:
        st.markdown("  \n".join(text.status_lines(spec, result, language)))
    notes = []
    if split and split not in spec.disaggregations:
        notes.append(ui.t("trends.split_not_available",
                          dimension=ui.t(f"indicators.dimension.{split}").lower(),
                          scope=ui.t(f"indicators.scope.{scope_name}").lower()))
    if scope_name != scope and split != "programme_status":
        notes.append(ui.t("trends.programme_only"))
    notes.append(ui.t("trends.definition_line", definition=getattr(row, f"definition_{language}"),
                      formula=getattr(row, f"formula_{language}")))
    st.caption("  \n".join(notes))


# a tab's widget value is its label; the URL keeps the objective's key. After a change of
# language the kept label is no longer a tab's: it names the same objective in the other
# language, which reopens the same tab.
labels = {o: ui.t(f"trends.tab.{o}") for o in views.OBJECTIVES}
tab_labels = links.labels_from("trends.tab.{option}")
kept = st.session_state.get("objective")
if kept is not None and kept not in labels.values():
    again = links.resolve([kept], views.OBJECTIVES, tab_labels).options
    st.session_state["objective"] = labels[again[0] if again else views.OBJECTIVES[0]]
ui.link_choice("objective", "objective", views.OBJECTIVES, views.OBJECTIVES[0], tab_labels,
               as_state=labels.get)
tabs = st.tabs(list(labels.values()), key="objective", on_change="rerun")
open_objective = next((o for o, tab in zip(views.OBJECTIVES, tabs) if tab.open),
                      views.OBJECTIVES[0])
ui.link_write("objective", open_objective, views.OBJECTIVES[0])
for objective, tab in zip(views.OBJECTIVES, tabs):
    if tab.open is False:  # only the open tab's indicators are loaded and drawn
        continue
    with tab:
        items = [key for key, spec in specs.items() if spec.objective == objective]
        for key in (k for k in items if specs[k].headline):
            render_indicator(rows[key], specs[key])
        others = [k for k in items if not specs[k].headline]
        if others and st.toggle(ui.t("trends.show_more", n=len(others)), key=f"more_{objective}"):
            for key in others:
                render_indicator(rows[key], specs[key])
        st.page_link(ui.PAGES_DIR / "methods.py", label=ui.t("trends.methods_link"),
                     icon=":material/menu_book:")
