"""Typing cells in SQL (parsing.py): spaces, tabs, line breaks and no-break spaces around a
value are trimmed, blank and NA-like cells are unknown, whatever fast path the SQL takes."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard.ingest import parsing
from dashboard.ingest.definitions import get


@pytest.mark.parametrize(("cell", "text", "workers"), [
    ("12", "12", 12), (" 12 ", "12", 12), ("\u00a012\t", "12", 12), ("\r\n12", "12", 12),
    ("1 250", "1 250", 1250), ("", None, None), ("   ", None, None), ("na", None, None),
    (" N/A ", None, None), ("#n/a", None, None), ("Null", None, None), ("\t", None, None),
    ("nullx", "nullx", None), ("NAN", "NAN", None), (None, None, None),
])
def test_a_cell_is_trimmed_and_na_is_unknown(cell, text, workers):
    definition = get("visits")
    con = duckdb.connect()
    parsing.install(con)
    con.register("cells", pd.DataFrame({"_row": [2], "_sheet": [None], "workers": [cell]},
                                       dtype=object))
    select = parsing.typed_select(definition, {"workers"}, False,
                                  "(SELECT _row::BIGINT AS _row, _sheet::VARCHAR AS _sheet, "
                                  "workers::VARCHAR AS workers FROM cells)")
    assert con.execute(f"SELECT workers__raw, workers FROM ({select})").fetchall() == [
        (text, workers)]
