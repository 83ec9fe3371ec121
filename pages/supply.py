"""Supply (objective 1): volumes by buyer and site, fair share, price against the reference,
Cobalt Credits raised and where they went."""

import streamlit as st

from dashboard import charts, frames, i18n, links, ui
from dashboard.indicators import charts as objective_charts
from dashboard.indicators import supply, views

filters = ui.filters()
language = ui.language()
params = filters.params()

st.title(ui.t("supply.title"))
st.caption(ui.t("supply.caption", start=i18n.month(filters.start, language),
                end=i18n.month(filters.end, language)))
ui.link_choice("sites", "sites", views.SCOPES, "all",
               links.labels_from("indicators.scope.{option}"))
scope = st.segmented_control(
    ui.t("supply.sites"), views.SCOPES, required=True,
    format_func=ui.formatter("indicators.scope.{option}"), key="sites")
ui.link_write("sites", scope, "all")
params["programme_status"] = None if scope == "all" else scope

by_buyer_month = ui.load("supply_by_buyer_month", **params)
credits_by_quarter = ui.load("credits_by_quarter", **params)
if by_buyer_month.empty:
    st.info(ui.t("supply.no_supply"))
    ui.stop_with_footer()


def relabel(frame, column: str, labels: dict[str, str]):
    """Codes to the words the chart shows, so the table and CSV say the same."""
    return frame.assign(**{column: frame[column].map(lambda value: labels.get(value, value))})


def percent(value) -> str:
    return i18n.percent(value, language, 1)


totals = supply.totals(by_buyer_month)
credited = credits_by_quarter[["usd", "cobalt_tonnes"]].sum()
tonnes, fair, price, raised = st.columns(4)
tonnes.metric(ui.t("supply.tonnes"),
              f"{i18n.number(totals.cobalt_tonnes, language, 1)} {ui.t('supply.tonnes_unit')}",
              help=ui.t("supply.tonnes_help", lots=i18n.number(totals.lots, language)),
              border=True)
fair.metric(ui.t("supply.fair_share"), percent(totals.fair_share), border=True)
price.metric(ui.t("supply.price_ratio"), percent(totals.price_ratio), border=True)
raised.metric(ui.t("supply.credits"), i18n.money(credited["usd"], language),
              help=ui.t("supply.credits_help",
                        tonnes=i18n.number(credited["cobalt_tonnes"], language, 1)),
              border=True)

st.subheader(ui.t("supply.volumes_title"))
stack_by = st.segmented_control(
    ui.t("supply.volumes_by"),
    ["buyer", *(["site"] if ui.may_load("supply_by_site_month") else [])], default="buyer",
    required=True,
    format_func=ui.formatter("supply.by_{option}"), key="stack")
if stack_by == "site":
    other = ui.t("supply.other_sites")
    volumes = supply.volumes(ui.load("supply_by_site_month", **params, top=supply.TOP), "name")
    volumes = relabel(volumes, "name", {supply.OTHER: other})
    category = "name"
else:
    other = ui.t("supply.other_buyers")
    volumes = relabel(supply.volumes(by_buyer_month, "buyer"), "buyer", {supply.OTHER: other})
    category = "buyer"
ui.chart_with_data(
    charts.stacked_bars(
        volumes, x="month", y="cobalt_tonnes", colour=category,
        title=ui.t("supply.volumes_chart", by=ui.t(f"supply.by_{stack_by}").lower()),
        y_title=ui.t("supply.tonnes_axis"), y_format=",.1f", language=language,
        muted=frozenset({other})),
    volumes, key=f"volumes_{stack_by}", file_name=f"cobalt_sold_by_{stack_by}")

st.subheader(ui.t("supply.shares_title"))
shares = relabel(supply.monthly_shares(by_buyer_month), "measure",
                 {"fair_share": ui.t("supply.fair_share_line"),
                  "graded_share": ui.t("supply.graded_share_line")})
ui.chart_with_data(
    objective_charts.lines(shares, x="month", y="share", colour="measure",
                           title=ui.t("supply.shares_chart"), y_title="%", y_format=".0%",
                           language=language),
    shares, key="shares", file_name="fair_and_graded_shares")

st.subheader(ui.t("supply.prices_title"))
st.caption(ui.t("supply.prices_caption"))
left, right = st.columns(2)
with left:
    prices = relabel(supply.prices(by_buyer_month), "measure",
                     {"price_paid": ui.t("supply.price_paid"),
                      "reference_price": ui.t("supply.reference_price")})
    ui.chart_with_data(
        objective_charts.lines(prices, x="month", y="usd_per_tonne", colour="measure",
                               title=ui.t("supply.prices_chart"),
                               y_title=ui.t("supply.usd_per_tonne"), y_format=",.0f",
                               language=language),
        prices, key="prices", file_name="price_paid_and_reference")
with right:
    ratios = relabel(supply.price_ratio_by_grading(by_buyer_month), "lots",
                     {"graded": ui.t("supply.graded"), "not_graded": ui.t("supply.not_graded")})
    ui.chart_with_data(
        objective_charts.lines(ratios, x="month", y="price_ratio", colour="lots",
                               title=ui.t("supply.ratio_chart"), y_title=ui.t("supply.ratio_axis"),
                               y_format=".0%", language=language),
        ratios, key="price_ratio", file_name="price_ratio_by_grading")

st.subheader(ui.t("supply.credits_title"))
st.caption(ui.t("supply.credits_caption"))
if credits_by_quarter.empty:
    st.info(ui.t("supply.no_credits"))
else:
    credits_by = st.segmented_control(
        ui.t("supply.credits_by"), ["allocated_to", "buyer"], default="allocated_to",
        required=True, key="credits_by",
        format_func=ui.formatter("supply.credits_{option}"))
    credits = supply.credits(credits_by_quarter, credits_by)
    if credits_by == "allocated_to":
        credits = relabel(credits, "allocated_to",
                          {k: ui.t(f"supply.allocation.{k}")
                           for k in ("safety", "child_labour", "livelihoods", "education")})
    label = ui.t("supply.credits_allocated_to" if credits_by == "allocated_to"
                 else "supply.credits_buyer").lower()
    ui.chart_with_data(
        charts.stacked_bars(credits, x="quarter", y="usd", colour=credits_by,
                            title=ui.t("supply.credits_chart", by=label),
                            y_title=ui.t("supply.usd"), y_format=",.0f", language=language),
        credits, key=f"credits_{credits_by}", file_name=f"cobalt_credits_by_{credits_by}")

# per site: for the roles that see sites named (not the public)
if ui.may_load("supply_by_site"):
    st.subheader(ui.t("supply.sites_title"))
    table = supply.site_table(ui.load("supply_by_site", **params))
    table = relabel(table, "programme_status",
                    {s: ui.t(f"indicators.scope.{s}") for s in ("programme", "comparison")})
    columns = st.column_config
    # shares and tonnes are shown with one or two decimals: 32-bit floats hold them (not dollars)
    st.dataframe(frames.compact(table, single=(
        "cobalt_tonnes", "fair_share", "graded_share", "price_ratio", "credit_tonnes")),
        hide_index=True, key="supply_sites", column_config={
        "name": columns.TextColumn(ui.t("supply.col_name")),
        "province": columns.TextColumn(ui.t("supply.col_province")),
        "programme_status": columns.TextColumn(ui.t("supply.col_status")),
        "lots": columns.NumberColumn(ui.t("supply.col_lots"), format="localized"),
        "cobalt_tonnes": columns.NumberColumn(ui.t("supply.col_tonnes"), format="%.1f"),
        "fair_share": columns.NumberColumn(ui.t("supply.col_fair"), format="percent"),
        "graded_share": columns.NumberColumn(ui.t("supply.col_graded"), format="percent"),
        "price_ratio": columns.NumberColumn(ui.t("supply.col_price"), format="percent"),
        "credit_tonnes": columns.NumberColumn(ui.t("supply.col_credit_tonnes"), format="%.1f"),
        "credit_usd": columns.NumberColumn(ui.t("supply.col_credit_usd"), format="dollar"),
    })
    st.download_button(ui.t("chart_data.download"), table.to_csv(index=False).encode("utf-8"),
                       file_name="supply_by_site.csv", mime="text/csv", key="csv_supply_sites",
                       icon=":material/download:", on_click="ignore")
