"""Programme milestones of the demo sites: safety plans adopted and legal status obtained.

Assumptions (no published per-site dates were found): an enrolled site adopts a safety plan 3
to 9 months after enrolment; a site already inside an artisanal mining zone (ZEA) counts as
legal from enrolment; elsewhere legalisation takes 18 to 42 months (FCA's work at Kamilombe
started with an MOU in 2022 and two law firms in 2023) and a quarter of sites are still
waiting. Comparison sites have no milestones: the programme does not record them.

Drawn from their own random stream so the other tables stay the same whatever is added here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

STREAM = 4  # the random stream of this table: np.random.default_rng([seed, STREAM])


def site_milestones(sites: pd.DataFrame, seed: int, until: dt.date) -> pd.DataFrame:
    rng = np.random.default_rng([seed, STREAM])
    enrolled = sites[sites["enrolled_on"].notna()].reset_index(drop=True)
    n = len(enrolled)
    start = pd.to_datetime(enrolled["enrolled_on"])
    plan_on = start + pd.to_timedelta(rng.integers(90, 271, n), unit="D")
    legal_wait = np.where(enrolled["site_type"] == "ZEA", 0, rng.integers(540, 1261, n))
    legal_on = start + pd.to_timedelta(legal_wait, unit="D")
    pending = (enrolled["site_type"] != "ZEA").to_numpy() & (rng.random(n) < 0.25)
    frames = [
        pd.DataFrame({"site_id": enrolled["site_id"], "milestone": "safety_plan",
                      "achieved_on": plan_on}),
        pd.DataFrame({"site_id": enrolled["site_id"], "milestone": "legalised",
                      "achieved_on": legal_on})[~pending],
    ]
    table = pd.concat(frames, ignore_index=True)
    table = table[table["achieved_on"] <= pd.Timestamp(until)]
    table["achieved_on"] = table["achieved_on"].dt.date
    table["source"] = "synthetic demo"
    return table.sort_values(["achieved_on", "site_id", "milestone"]).reset_index(drop=True)
