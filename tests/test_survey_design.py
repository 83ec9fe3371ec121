"""Design-based survey estimates (queries/indicator_survey_ratio.sql, the median's Woodruff
interval, dashboard/indicators/intervals.py) against an independent implementation: the
samplics package (Taylor linearisation; test-only dependency), on a fixture with strata,
clusters, unequal weights, a domain, and a stratum with a single site; then a seeded
coverage simulation on clustered data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from samplics.estimation import TaylorEstimator  # requirements-dev.txt pins it
from samplics.utils.types import PopParam, SinglePSUEst
from scipy import stats

from dashboard import build, db
from dashboard.indicators import intervals, statistics

LIVING_INCOME = 193.0
START, END = dt.date(2000, 1, 1), dt.date(2030, 12, 31)
# province -> sites; "Tanganyika" has one site only (a stratum with a single PSU)
PROVINCES = {"Lualaba": ["S01", "S02", "S03", "S04"], "Haut-Katanga": ["S05", "S06", "S07"],
             "Tanganyika": ["S08"]}
SITE_HOUSEHOLDS = {"S08": 40, "S02": 300}  # known household counts (S08's gives its FPC)
ROUNDS = {"R1": dt.date(2024, 3, 1), "R2": dt.date(2024, 9, 1)}


def survey_database(path: Path, households: pd.DataFrame, sites: pd.DataFrame,
                    rounds: dict[str, dt.date]) -> Path:
    """A database of this schema with the given interviews, and the design rollup."""
    with duckdb.connect(str(path)) as con:
        con.execute(build.SCHEMA_SQL.read_text())
        build.write_metadata(con, {})
        con.execute("INSERT INTO reference_values VALUES ('living_income_usd', $v, 'USD', "
                    "'Anker 2021', NULL)", {"v": LIVING_INCOME})
        con.register("site_rows", sites)
        con.execute("""INSERT INTO sites (site_id, name, province, lat, lon, programme_status,
                       enrolled_on, source)
                       SELECT site_id, site_id, province, -10.7, 25.5, 'programme',
                              DATE '2020-01-01', 'test' FROM site_rows""")
        for round_id, day in rounds.items():
            con.execute("INSERT INTO survey_rounds VALUES ($r, $r, $d, $d + 30)",
                        {"r": round_id, "d": day})
        con.register("household_rows", households)
        con.execute("""INSERT INTO household_survey BY NAME SELECT * FROM household_rows""")
        con.execute((build.ROLLUPS_DIR / "site_round_design.sql").read_text())
    return path


def fixture_households(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows, site_rows = [], []
    interview = 0
    for province, site_ids in PROVINCES.items():
        for site_id in site_ids:
            site_rows.append({"site_id": site_id, "province": province})
            level = rng.uniform(0.1, 0.6)
            for round_id, day in ROUNDS.items():
                m = int(rng.integers(5, 12))
                base_weight = rng.uniform(2, 40)
                for k in range(m):
                    interview += 1
                    children = int(rng.integers(0, 5))
                    member = rng.random() < level
                    income = float(np.round(rng.lognormal(np.log(150), 0.6), 2))
                    rows.append({
                        "interview_id": interview, "round_id": round_id, "site_id": site_id,
                        "household_id": f"{site_id}-{k}", "interviewed_on": day,
                        "head_gender": "female" if rng.random() < 0.35 else "male",
                        "household_size": children + 2,
                        "income_mining_usd": round(income * 0.7, 2),
                        "income_non_mining_usd": round(income * 0.3, 2),
                        "vsla_member": member,
                        "savings_usd": float(rng.uniform(5, 90)) if member else 0.0,
                        # one unanswered question per site and round
                        "food_insecure": None if k == 0 else bool(rng.random() < level),
                        "children_5_17": children,
                        "children_in_mining": int(rng.binomial(children, level / 2)),
                        # unequal weights within and between sites
                        "sampling_weight": round(base_weight * rng.uniform(0.5, 1.5), 3),
                        "site_households": SITE_HOUSEHOLDS.get(site_id),
                    })
    return pd.DataFrame(rows), pd.DataFrame(site_rows)


@pytest.fixture(scope="module")
def design_db(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    households, sites = fixture_households()
    path = survey_database(tmp_path_factory.mktemp("design") / "fca.duckdb", households, sites,
                           ROUNDS)
    return path, households.merge(sites, on="site_id")


def values(frame: pd.DataFrame, numerator: str, denominator: str) -> tuple[np.ndarray, ...]:
    """The household's y and x for a measure, as the rollup defines them (0 where skipped)."""
    income = frame["income_mining_usd"] + frame["income_non_mining_usd"]
    columns = {
        "w_food_insecure": frame["food_insecure"].astype(float).fillna(0),
        "w_vsla_members": frame["vsla_member"].astype(float),
        "w_vsla_savings_usd": frame["savings_usd"].where(frame["vsla_member"], 0.0),
        "w_children_in_mining": frame["children_in_mining"].astype(float),
        "w_above_living_income": (income >= LIVING_INCOME).astype(float),
        "w_income_usd": income,
        "w_income_non_mining_usd": frame["income_non_mining_usd"],
        "w_households": pd.Series(1.0, index=frame.index),
        "w_children_5_17": frame["children_5_17"].astype(float),
    }
    # a household that did not answer the numerator's question is out of the base too
    answered = {"w_food_insecure": frame["food_insecure"].notna()}.get(
        numerator, pd.Series(True, index=frame.index))
    return (columns[numerator].to_numpy(float),
            (columns[denominator] * answered.astype(float)).to_numpy(float))


def samplics_ratio(frame: pd.DataFrame, numerator: str, denominator: str,
                   domain: np.ndarray | None) -> TaylorEstimator:
    """samplics' Taylor estimate of the ratio, the lonely site taken with certainty (its
    households as units) and the FPC 1 - m/N on that stratum."""
    y, x = values(frame, numerator, denominator)
    stratum, psu, fpc = design_arrays(frame)
    estimator = TaylorEstimator(PopParam.ratio)
    estimator.estimate(y=y, x=x, samp_weight=frame["sampling_weight"].to_numpy(float),
                       stratum=stratum, psu=psu, domain=domain, fpc=fpc,
                       single_psu=SinglePSUEst.certainty)
    return estimator


def design_arrays(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, dict]:
    """Strata and PSUs as integer codes (samplics' certainty option writes integer ids into
    the PSU array), and each stratum's FPC factor: 1 - m/N for a lonely site of known N."""
    stratum = pd.factorize(frame["province"])[0]
    psu = pd.factorize(frame["site_id"])[0]
    fpc = {}
    for code in np.unique(stratum):
        group = frame[stratum == code]
        single = group["site_id"].nunique() == 1
        known = group["site_households"].dropna()
        fpc[code] = 1 - len(group) / known.iloc[0] if single and len(known) else 1.0
    return stratum, psu, fpc


MEASURES = [("w_food_insecure", "w_households"), ("w_vsla_members", "w_households"),
            ("w_children_in_mining", "w_children_5_17"), ("w_income_usd", "w_households"),
            ("w_vsla_savings_usd", "w_vsla_members"),
            ("w_income_non_mining_usd", "w_income_usd"),
            ("w_above_living_income", "w_households")]


def run_ratio(numerator, denominator, head_gender=None, province=None, site_id=None):
    return db.run("indicator_survey_ratio", numerator=numerator, denominator=denominator,
                  province=province, site_id=site_id, programme_status=None,
                  head_gender=head_gender, start=START, end=END)


@pytest.mark.parametrize("numerator, denominator", MEASURES)
@pytest.mark.parametrize("head_gender", [None, "female"])
def test_the_query_matches_samplics(use_db, design_db, numerator, denominator, head_gender):
    path, households = design_db
    use_db(path)
    result = run_ratio(numerator, denominator, head_gender).set_index("period")
    assert len(result) == len(ROUNDS)
    for round_id, day in ROUNDS.items():
        frame = households[households["round_id"] == round_id].reset_index(drop=True)
        domain = None
        if head_gender:
            domain = np.where(frame["head_gender"] == head_gender, "in", "out")
        reference = samplics_ratio(frame, numerator, denominator, domain)
        estimate = reference.point_est["in"] if domain is not None else reference.point_est
        variance = reference.variance["in"] if domain is not None else reference.variance
        row = result.loc[pd.Timestamp(day)]
        assert row["value"] == pytest.approx(estimate, rel=1e-9, abs=1e-9)
        assert row["variance"] == pytest.approx(float(variance), rel=1e-6, abs=1e-12)
        assert row["df"] == reference.degree_of_freedom
        assert row["sites"] == frame["site_id"].nunique()
        # the t interval the page draws for a mean or ratio is samplics' own
        if domain is None:
            low, high = intervals.design_t(row["value"], row["variance"], row["df"],
                                           lower=None)
            assert (float(low), float(high)) == pytest.approx(
                (reference.lower_ci, reference.upper_ci), rel=1e-6)


def test_a_single_site_falls_back_to_its_within_site_variance(use_db, design_db):
    """One site in view: its households are the units, with the FPC 1 - m/N (S08, N = 40)."""
    path, households = design_db
    use_db(path)
    result = run_ratio("w_vsla_members", "w_households", site_id="S08").set_index("period")
    for round_id, day in ROUNDS.items():
        frame = households[(households["round_id"] == round_id)
                           & (households["site_id"] == "S08")].reset_index(drop=True)
        y, x = values(frame, "w_vsla_members", "w_households")
        w = frame["sampling_weight"].to_numpy()
        ratio = (w * y).sum() / (w * x).sum()
        z = w * (y - ratio * x) / (w * x).sum()
        m = len(frame)
        expected = (1 - m / 40) * m / (m - 1) * ((z - z.mean()) ** 2).sum()
        row = result.loc[pd.Timestamp(day)]
        assert row["variance"] == pytest.approx(expected, rel=1e-9)
        assert (row["sites"], row["df"]) == (1, m - 1)
    reporting = statistics.with_interval(
        statistics.reporting_series(result.reset_index(), "share", "periodic", "round"),
        "korn_graubard")
    assert (reporting["sites"] == 1).all() and reporting["low"].notna().all()


def test_the_design_effect_compares_with_a_simple_random_sample(use_db, design_db):
    path, households = design_db
    use_db(path)
    result = run_ratio("w_income_usd", "w_households").set_index("period")
    for round_id, day in ROUNDS.items():
        frame = households[households["round_id"] == round_id]
        y, x = values(frame, "w_income_usd", "w_households")
        w = frame["sampling_weight"].to_numpy()
        mean = (w * y).sum() / w.sum()
        m = len(frame)
        # the weighted element variance over m households (Kish 1965)
        srs = m / (m - 1) * (w * (y - mean) ** 2).sum() / w.sum() / m
        assert result.loc[pd.Timestamp(day), "srs_variance"] == pytest.approx(srs, rel=1e-9)
    reporting = statistics.with_interval(
        statistics.reporting_series(result.reset_index(), "mean", "periodic", "round"),
        "design_t")
    expected = reporting["variance"] / reporting["srs_variance"]
    assert np.allclose(reporting["design_effect"], expected)
    assert np.allclose(reporting["n_effective"], reporting["n"] / expected)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, p: float) -> float:
    """The lowest value at which the cumulated weight share reaches p (R's qrule "math")."""
    order = np.argsort(values, kind="stable")
    cumulated = np.cumsum(weights[order]) / weights.sum()
    return values[order][np.argmax(cumulated >= min(max(p, 0), 1) - 1e-12)]


def test_the_median_interval_is_woodruffs(use_db, design_db):
    """The bounds invert a design-based interval for the share at or below the median; the
    share's standard error is samplics' (a mean of the indicator, same design)."""
    path, households = design_db
    use_db(path)
    result = db.run("indicator_median_household_income", province=None, site_id=None,
                    programme_status=None, head_gender=None, start=START,
                    end=END).set_index("period")
    for round_id, day in ROUNDS.items():
        frame = households[households["round_id"] == round_id].reset_index(drop=True)
        income = (frame["income_mining_usd"] + frame["income_non_mining_usd"]).to_numpy()
        w = frame["sampling_weight"].to_numpy()
        median = weighted_quantile(income, w, 0.5)
        below = (income <= median).astype(float)
        stratum, psu, fpc = design_arrays(frame)
        share = TaylorEstimator(PopParam.mean)
        share.estimate(y=below, samp_weight=w, stratum=stratum, psu=psu, fpc=fpc,
                       single_psu=SinglePSUEst.certainty)
        spread = stats.t.ppf(0.975, share.degree_of_freedom) * np.sqrt(share.variance)
        row = result.loc[pd.Timestamp(day)]
        assert row["value"] == median
        assert row["df"] == share.degree_of_freedom
        assert (row["ci_low"], row["ci_high"]) == (weighted_quantile(income, w, 0.5 - spread),
                                                   weighted_quantile(income, w, 0.5 + spread))
        assert row["ci_low"] < row["value"] < row["ci_high"]


def test_the_sql_t_quantile_matches_scipy(use_db, design_db):
    path, _ = design_db
    with duckdb.connect(str(path), read_only=True) as con:
        df = np.concatenate([np.arange(1, 200), [250, 1000, 5000, 100000]])
        got = np.array(con.execute("SELECT t975(d) FROM unnest($d) AS t(d)",
                                   {"d": df.tolist()}).fetchall(), dtype=float)[:, 0]
        assert np.allclose(got, stats.t.ppf(0.975, df), atol=1e-7, rtol=0)
        assert con.execute("SELECT t975(0)").fetchone()[0] is None


# -- coverage -------------------------------------------------------------------------------


def clustered_population(rng: np.random.Generator, sites_per_province: int = 300):
    """Sites of very unequal sizes whose food insecurity differs a lot (an intra-site
    correlation of about 0.15), in two provinces."""
    n = 2 * sites_per_province
    return pd.DataFrame({
        "site_id": [f"P{i:04d}" for i in range(n)],
        "province": ["Lualaba"] * sites_per_province + ["Haut-Katanga"] * sites_per_province,
        "households": rng.integers(50, 2000, n),
        "prevalence": rng.beta(1.2, 2.8, n),
    })


def test_the_interval_covers_95_percent_on_clustered_data(use_db, tmp_path):
    """300 seeded surveys of 10 sites per province (15 households each) from one
    population: the design-based interval covers the population share about 95% of the
    time; the old Wilson interval (weighted share, unweighted n) clearly less."""
    rng = np.random.default_rng(20261201)
    population = clustered_population(rng)
    truth = (population["households"] * population["prevalence"]).sum() \
        / population["households"].sum()
    replications, per_province, m = 300, 10, 15
    rounds = {f"X{rep:03d}": dt.date(2000, 1, 1) + dt.timedelta(days=rep)
              for rep in range(replications)}
    parts = []
    for _, group in population.groupby("province"):
        # each replication draws its sites without replacement within the province
        picks = np.argsort(rng.random((replications, len(group))), axis=1)[:, :per_province]
        chosen = group.iloc[picks.ravel()]
        parts.append(pd.DataFrame({
            "round_id": np.repeat(list(rounds), per_province),
            "site_id": chosen["site_id"].to_numpy(),
            "weight": len(group) / per_province * chosen["households"].to_numpy() / m,
            "prevalence": chosen["prevalence"].to_numpy()}))
    sampled = pd.concat(parts, ignore_index=True).loc[lambda f: f.index.repeat(m)]
    households = pd.DataFrame({
        "interview_id": np.arange(len(sampled)),
        "round_id": sampled["round_id"].to_numpy(),
        "site_id": sampled["site_id"].to_numpy(),
        "household_id": [f"H{i}" for i in range(len(sampled))],
        "interviewed_on": sampled["round_id"].map(rounds).to_numpy(),
        "food_insecure": rng.random(len(sampled)) < sampled["prevalence"].to_numpy(),
        "sampling_weight": sampled["weight"].to_numpy()})
    path = survey_database(tmp_path / "fca.duckdb", households,
                           population[["site_id", "province"]], rounds)
    use_db(path)
    result = run_ratio("w_food_insecure", "w_households")
    assert len(result) == replications
    reporting = statistics.with_interval(
        statistics.reporting_series(result, "share", "periodic", "round"), "korn_graubard")
    covered = ((reporting["low"] <= truth) & (truth <= reporting["high"])).mean()
    old_low, old_high = intervals.wilson(result["value"], result["n"])
    old = ((old_low <= truth) & (truth <= old_high)).mean()
    print(f"coverage: design-based {covered:.3f}, old Wilson {old:.3f}, median design "
          f"effect {reporting['design_effect'].median():.2f}")
    assert 0.93 <= covered <= 0.99, covered
    assert old < 0.8, old
    assert reporting["design_effect"].median() > 2
