"""The rules file: the one in the repository is valid, and every kind of mistake is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.screening import checks, config, measures
from dashboard.screening.config import ScreeningConfigError


def test_the_rules_file_in_the_repository_is_valid():
    loaded = config.load_config()
    assert set(loaded.rules) == set(checks.RULES)
    assert set(loaded.measures) == set(measures.MEASURES)
    assert loaded.rules["fatal_incident"][1].window_days == 90
    assert loaded.name("fatal_incident", "en") == "Fatal incident in the last 90 days"
    assert loaded.name("fatal_incident", "fr") == "Accident mortel au cours des 90 derniers jours"
    assert loaded.lookback_days() >= 730


def write_rules(tmp_path: Path, change) -> Path:
    text = config.RULES_TOML.read_text()
    path = tmp_path / "rules.toml"
    path.write_text(change(text))
    return path


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("window_days = 90", "window_days = -3"),
     r"rule 'fatal_incident' \(#1\): parameters.window_days: value -3: "
     r"Input should be greater than 0"),
    (lambda t: t.replace('id = "deep_pits"', 'id = "deep_pit"'),
     r"rule 'deep_pit' \(#6\): unknown check 'deep_pit'; known checks: fatal_incident"),
    (lambda t: t.replace('severity = "low"', 'severity = "urgent"', 1),
     r"rule 'children_rising' \(#3\): field severity: value 'urgent' "
     r"is not one of the severities high, medium, low"),
    (lambda t: t.replace("{window_days} days", "{window} days", 1),
     r"rule 'fatal_incident' \(#1\): field name_en: value .* uses \{window\}"),
    (lambda t: t.replace("{fatalities} dead", "{deaths} dead", 1),
     r"field reason_en: value .* uses \{deaths\}, which this rule does not provide"),
    (lambda t: t.replace("min_children = 3, min_per", "min_children = 3, colour = 2, min_per", 1),
     r"rule 'children_last_visit' \(#2\): parameters.colour: value 2: "
     r"Extra inputs are not permitted"),
    (lambda t: t.replace("min_n = 30\n", "min_n = -1\n"),
     r"measure 'child_labour_share' \(#1\), field min_n: value -1"),
    (lambda t: t.replace('name_fr = "Élevée"\n', ""),
     r"severity.high.name_fr: value .*Field required"),
    (lambda t: t + '\n[[measure]]\nid = "child_labour_share"\nseverity = "high"\nname_en = "x"\n'
                   'name_fr = "x"\nn_label_en = "x"\nn_label_fr = "x"\nunit_en = "x"\n'
                   'unit_fr = "x"\nwindow_months = 12\nmin_n = 1\n',
     r"id 'child_labour_share' is listed twice"),
    (lambda t: t.replace("[settings]", "[settings"), r"cannot read the rules file"),
])
def test_a_mistake_in_the_rules_file_is_named(tmp_path, change, message):
    with pytest.raises(ScreeningConfigError, match=message):
        config.load_config(write_rules(tmp_path, change))


def test_a_missing_rules_file_is_named(tmp_path):
    with pytest.raises(ScreeningConfigError, match="nowhere.toml: cannot read"):
        config.load_config(tmp_path / "nowhere.toml")
