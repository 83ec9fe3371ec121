"""Tables as the pages send them (pure): the same values in fewer bytes.

Streamlit sends a table as Arrow, where a text column carries every row's text: a province or a
status repeated over 3,000 sites weighs more than the numbers. As a pandas category, the same
column is sent as a dictionary (each distinct text once) and row codes; the grid shows, sorts
and searches the same texts.
"""

from __future__ import annotations

import pandas as pd

MIN_ROWS = 200  # below this a table is small whatever its columns


def compact(frame: pd.DataFrame, max_share: float = 0.2) -> pd.DataFrame:
    """``frame`` with its text columns of few distinct values (at most ``max_share`` of the
    rows) as categories; small tables and other columns as they are."""
    if len(frame) < MIN_ROWS:
        return frame
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)) \
                and values.dropna().map(lambda v: isinstance(v, str)).all() \
                and values.nunique(dropna=True) <= max_share * len(frame):
            changed[column] = values.astype("category")
    return frame.assign(**changed) if changed else frame
