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
    assert list(compact["name"]) == list(frame["name"])  # every value distinct: not a category
    assert compact["name"].dtype != "category"
    assert compact.astype(object).where(compact.notna(), None).equals(
        frame.astype(object).where(frame.notna(), None))
    sent = len(dataframe_util.convert_pandas_df_to_arrow_bytes(compact))
    assert sent < 0.75 * len(dataframe_util.convert_pandas_df_to_arrow_bytes(frame))


def test_a_small_table_is_left_as_it_is():
    frame = table(50)
    assert frames.compact(frame) is frame


def test_other_columns_are_sent_in_narrower_types_of_the_same_values():
    rows = 3000
    frame = table(rows).assign(
        visited=pd.to_datetime(["2024-01-31", None, "2023-06-01"] * (rows // 3)),
        share=[i / rows for i in range(rows)], usd=[i * 1000.01 for i in range(rows)])
    compact = frames.compact(frame, single=("share",))
    assert str(compact["workers"].dtype) == "int16" and compact["usd"].dtype == "float64"
    wide = frames.compact(frame.assign(workers=frame["workers"] * 1000))
    assert str(wide["workers"].dtype) == "int32" and list(wide["workers"]) == list(
        frame["workers"] * 1000)
    assert compact["share"].dtype == "float32"
    assert (compact["share"].astype(float) - frame["share"]).abs().max() < 1e-7
    assert list(compact["name"]) == list(frame["name"])
    assert [None if pd.isna(v) else v for v in compact["visited"]] == [
        None if pd.isna(v) else v.date() for v in frame["visited"]]
    sent = len(dataframe_util.convert_pandas_df_to_arrow_bytes(compact))
    assert sent < 0.7 * len(dataframe_util.convert_pandas_df_to_arrow_bytes(frame))
