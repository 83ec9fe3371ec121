"""Tables as the pages send them (pure): the same values in fewer bytes.

Streamlit sends a table as Arrow, where a text column carries every row's text: a province or a
status repeated over 3,000 sites weighs more than the numbers. As a pandas category, the same
column is sent as a dictionary (each distinct text once) and row codes; the grid shows, sorts
and searches the same texts. Other columns are sent in the narrowest Arrow type that holds
their values exactly: texts with 32-bit offsets (pandas' own strings use 64-bit ones), dates
that carry no time as dates (4 bytes, not 8), whole numbers as 16- or 32-bit integers when they fit.
Columns the caller names in ``single`` (shares or tonnes shown with a few digits) are sent as
32-bit floats: seven significant digits, more than the grid shows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

MIN_ROWS = 200  # below this a table is small whatever its columns
INT16, INT32 = np.iinfo(np.int16), np.iinfo(np.int32)


def compact(frame: pd.DataFrame, max_share: float = 0.2,
            single: tuple[str, ...] = ()) -> pd.DataFrame:
    """``frame`` with its text columns of few distinct values (at most ``max_share`` of the
    rows) as categories, its other columns in narrower types of the same values (see the
    module's note); small tables as they are."""
    if len(frame) < MIN_ROWS:
        return frame
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)) \
                and values.dropna().map(lambda v: isinstance(v, str)).all():
            changed[column] = (values.astype("category")
                               if values.nunique(dropna=True) <= max_share * len(frame)
                               else values.astype(pd.ArrowDtype(pa.string())))
        elif pd.api.types.is_datetime64_dtype(values) and values.dt.tz is None \
                and (values.dropna() == values.dropna().dt.normalize()).all():
            changed[column] = pd.Series(pa.array(values.dt.date, pa.date32()),
                                        dtype=pd.ArrowDtype(pa.date32()), index=values.index)
        elif pd.api.types.is_integer_dtype(values) and len(values.dropna()) \
                and INT32.min <= values.min() and values.max() <= INT32.max:
            bits = 16 if INT16.min <= values.min() and values.max() <= INT16.max else 32
            changed[column] = values.astype(f"Int{bits}" if values.isna().any()
                                            else f"int{bits}")
        elif column in single and pd.api.types.is_float_dtype(values):
            changed[column] = values.astype(np.float32)
    return frame.assign(**changed) if changed else frame
