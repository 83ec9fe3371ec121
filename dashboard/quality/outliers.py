"""Outliers by the modified z-score, as DHIS2's outlier detection computes it.

z = 0.6745 * (x - median) / MAD, with MAD the median absolute deviation from the median
(Iglewicz and Hoaglin, 1993). A value with |z| above 3.5 is an outlier. Median and MAD are
robust: one wild value does not hide itself by inflating the spread, as it does with the mean
and standard deviation. When more than half the values are equal the MAD is 0 and z is
undefined: no value of that series is flagged. A series shorter than ``MIN_POINTS`` is not
judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

THRESHOLD = 3.5
CONSISTENCY = 0.6745  # the 0.75 quantile of the standard normal: z is on the usual scale
MIN_POINTS = 6


def modified_z(values: pd.Series) -> pd.Series:
    """Each value's modified z-score within ``values`` (NaN: missing, or MAD of 0)."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    median = values.median()
    mad = (values - median).abs().median()
    if not mad or math.isnan(mad):
        return pd.Series(float("nan"), index=values.index)
    return CONSISTENCY * (values - median) / mad


def outliers(frame: pd.DataFrame, measures: Sequence[str], group: str = "site_id",
             when: str = "month", threshold: float = THRESHOLD,
             min_points: int = MIN_POINTS) -> pd.DataFrame:
    """The values of ``measures`` whose modified z-score within their ``group`` (a site's
    months) is beyond ``threshold``, largest first: group, when, measure, value, the group's
    median and z."""
    found = []
    for measure in measures:
        observed = frame[[group, when, measure]].dropna(subset=[measure])
        counts = observed.groupby(group)[measure].transform("size")
        observed = observed[counts >= min_points]
        if observed.empty:
            continue
        grouped = observed.groupby(group)[measure]
        z = grouped.transform(modified_z)
        flagged = observed[z.abs() > threshold]
        found.append(pd.DataFrame({
            group: flagged[group], when: flagged[when], "measure": measure,
            "value": flagged[measure].astype(float),
            "median": grouped.transform("median")[flagged.index].astype(float),
            "z": z[flagged.index]}))
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object if c in (group, when, "measure") else float)
                             for c in [group, when, "measure", "value", "median", "z"]})
    result = pd.concat(found, ignore_index=True)
    order = result["z"].abs().sort_values(ascending=False).index
    return result.loc[order].reset_index(drop=True)
