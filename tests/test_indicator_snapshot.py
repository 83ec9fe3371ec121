"""Every indicator gives the figures of the committed snapshot (tests/golden/), for every
sites scope, split and period the pages load: the indicator queries can be reshaped, but no
figure may move (the survey queries' design columns are kept apart, under "design").
Regenerate the snapshot only when figures are meant to change (see
tests/indicator_snapshot.py)."""

from __future__ import annotations

import json

from indicator_snapshot import GOLDEN, snapshot


def test_every_indicator_gives_the_figures_of_the_snapshot(use_db, demo_db):
    use_db(demo_db)
    expected = json.loads(GOLDEN.read_text())
    actual = snapshot()
    assert sorted(actual) == sorted(expected), "indicators added or removed"
    changed = [f"{indicator_id}: {key}"
               for indicator_id, entry in expected.items()
               for key, value in entry["results"].items()
               if actual[indicator_id]["results"].get(key) != value]
    assert not changed, f"{len(changed)} results changed, first: {changed[:5]}"
    for indicator_id, entry in expected.items():
        assert actual[indicator_id]["results"].keys() == entry["results"].keys(), indicator_id
        assert actual[indicator_id]["columns"] == entry["columns"], indicator_id
        assert actual[indicator_id]["programme_tail"] == entry["programme_tail"], indicator_id
        # the survey design's columns (variance, df...): pinned too, apart from the figures
        assert actual[indicator_id].get("design") == entry.get("design"), indicator_id
