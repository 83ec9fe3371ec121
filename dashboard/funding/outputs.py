"""What the programme delivers, per workstream (pure): the outputs the Funding page counts.

Each output comes from the programme's own records (``funding_outputs``): referral cases,
activities counted under the output they name (``activities.output``), milestones, sales at
enrolled sites, Cobalt Credits. ``costed`` outputs get a cost per output; the credits are
money raised, not something the programme's spending buys. ``scenario_cost`` names the
funding-scenario assumption whose unit the output is, so the scenario page can start from
the observed cost instead of the literature range.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    id: str
    workstream: str
    unit: str  # a key of the funding.unit_* strings
    costed: bool = True
    scenario_cost: str = ""


OUTPUTS = (
    Output("children_identified", "child_labour", "children", scenario_cost="child_labour.cost"),
    Output("cases_resolved", "child_labour", "children"),
    Output("children_in_school", "education", "children", scenario_cost="education.cost"),
    Output("households_in_savings_groups", "livelihoods", "households",
           scenario_cost="livelihoods.cost"),
    Output("pits_made_safe", "safety", "pits", scenario_cost="safety.cost"),
    Output("safety_captains_trained", "safety", "people"),
    Output("sites_legalised", "formalisation", "sites", scenario_cost="formalisation.cost"),
    Output("fair_cobalt_tonnes", "formalisation", "tonnes"),
    Output("credits_raised_usd", "formalisation", "usd", costed=False),
)
OUTPUT = {o.id: o for o in OUTPUTS}
OVERHEAD = "management"  # the workstream whose spending is the programme's overhead
