"""Tables sent in fewer bytes (dashboard.frames): the same values."""

from __future__ import annotations

import pandas as pd
from streamlit import dataframe_util

from dashboard import frames


def table(rows: int) -> pd.DataFrame:
    return pd.DataFrame({
        "name": [f"Site {i:04d}" for i in range(rows)],
        "province": [("Lualaba", "Haut-Katanga", None)[i % 3] for i in range(rows)],
        "status": [("programme", "comparison")[i % 2] for i in range(rows)],
        "workers": range(rows),
    })


def test_repeated_texts_become_categories_with_the_same_values():
    frame = table(3000)
    compact = frames.compact(frame)
    assert compact["province"].dtype == "category" and compact["status"].dtype == "category"
    assert compact["name"].dtype == frame["name"].dtype  # every value distinct: as it was
    assert compact["workers"].dtype == frame["workers"].dtype
    assert compact.astype(object).where(compact.notna(), None).equals(
        frame.astype(object).where(frame.notna(), None))
    sent = len(dataframe_util.convert_pandas_df_to_arrow_bytes(compact))
    assert sent < 0.75 * len(dataframe_util.convert_pandas_df_to_arrow_bytes(frame))


def test_a_small_table_is_left_as_it_is():
    frame = table(50)
    assert frames.compact(frame) is frame
