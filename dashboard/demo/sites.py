"""Demo sites: about 40 named places in the Copperbelt, plus generated ones at sector scale.

Coordinates are approximate positions of real mining areas around Kolwezi, Fungurume, Likasi,
Kambove and Lubumbashi (Lualaba and Haut-Katanga). Workforces, cooperatives and everything
measured at the sites are synthetic. The FCA's two pilot sites are Kasulo and Kamilombe
(CIPS, August 2020); Kamilombe has "more than 5,000 miners" (FCA mid-year report 2024).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
import shapely.prepared

from dashboard.demo.config import Scale


@dataclass(frozen=True)
class NamedSite:
    name: str
    province: str
    territory: str
    lat: float
    lon: float
    workers: int
    enrolled: str | None = None  # "YYYY-MM": enrolled in the programme that month
    aliases: tuple[str, ...] = ()
    site_type: str = "concession"
    # planted stories, so the problem-site views have something true to find
    worsening_from: str | None = None
    visits_stop: str | None = None
    slow_cases: bool = False


COUNTRIES_FILE = Path(__file__).parents[1] / "static" / "countries.geojson"
L, HK = "Lualaba", "Haut-Katanga"
NAMED_SITES = (
    NamedSite("Kasulo", L, "Kolwezi", -10.705, 25.479, 3500, "2020-08", ("Kasulu",), "other"),
    NamedSite("Kamilombe", L, "Kolwezi", -10.784, 25.402, 5500, "2020-08"),
    NamedSite("Kapata", L, "Kolwezi", -10.772, 25.384, 1200, "2021-03"),
    NamedSite("Musompo", L, "Kolwezi", -10.664, 25.545, 2500, "2021-06", site_type="ZEA",
              slow_cases=True),
    NamedSite("Kanina", L, "Kolwezi", -10.686, 25.507, 900, "2021-09"),
    NamedSite("Mutoshi", L, "Kolwezi", -10.640, 25.330, 2200, "2022-01"),
    NamedSite("Tulizembe", L, "Mutshatsha", -10.760, 25.318, 1500, "2022-10"),
    NamedSite("Shabara", L, "Kolwezi", -10.690, 25.395, 1800, "2022-04"),
    NamedSite("Luilu", L, "Kolwezi", -10.737, 25.512, 700, "2022-07",
              worsening_from="2025-10"),
    NamedSite("Mabaya", L, "Mutshatsha", -10.615, 25.295, 400),
    NamedSite("Kawama", L, "Kolwezi", -10.720, 25.620, 800, site_type="ZEA",
              worsening_from="2025-06"),
    NamedSite("Tilwezembe", L, "Kolwezi", -10.815, 25.655, 1600),
    NamedSite("Mashamba", L, "Kolwezi", -10.745, 25.445, 600, "2023-01"),
    NamedSite("Tshamundenda", L, "Kolwezi", -10.698, 25.430, 300, aliases=("Tshamundende",)),
    NamedSite("Dikuluwe", L, "Kolwezi", -10.738, 25.380, 500),
    NamedSite("Kamoto Est", L, "Kolwezi", -10.722, 25.400, 250),
    NamedSite("Manika", L, "Kolwezi", -10.718, 25.470, 150, site_type="other"),
    NamedSite("Mupanja", L, "Kolwezi", -10.650, 25.440, 350),
    NamedSite("Kando", L, "Mutshatsha", -10.830, 25.480, 200),
    NamedSite("Lualaba Gare", L, "Kolwezi", -10.600, 25.520, 120, site_type="other"),
    NamedSite("Fungurume Centre", L, "Lubudi", -10.620, 26.310, 1400, "2023-04", site_type="ZEA"),
    NamedSite("Tenke", L, "Lubudi", -10.585, 26.180, 650, visits_stop="2026-06"),
    NamedSite("Kwatebala", L, "Lubudi", -10.570, 26.240, 900, "2023-07"),
    NamedSite("Mwilu", L, "Lubudi", -10.670, 26.060, 450),
    NamedSite("Kisanfu", L, "Lubudi", -10.760, 25.920, 300),
    NamedSite("Panda", HK, "Likasi", -10.995, 26.760, 1100, "2023-10", ("Likasi Panda",)),
    NamedSite("Shituru", HK, "Likasi", -10.975, 26.790, 700),
    NamedSite("Kambove", HK, "Kambove", -10.876, 26.597, 1300, "2024-01", site_type="ZEA"),
    NamedSite("Kakanda", HK, "Kambove", -10.740, 26.400, 500),
    NamedSite("Kamatanda", HK, "Likasi", -10.920, 26.770, 400),
    NamedSite("Mukondo", HK, "Kambove", -10.900, 26.550, 250),
    NamedSite("Luisha", HK, "Kambove", -11.170, 27.020, 600),
    NamedSite("Kasombo", HK, "Likasi", -11.000, 26.700, 180),
    NamedSite("Ruashi", HK, "Lubumbashi", -11.620, 27.560, 1000, "2024-04"),
    NamedSite("Kalukuluku", HK, "Lubumbashi", -11.690, 27.520, 300),
    NamedSite("Kipushi", HK, "Kipushi", -11.760, 27.240, 800, "2024-07"),
    NamedSite("Kinsevere", HK, "Lubumbashi", -11.360, 27.570, 350),
    NamedSite("Lupoto", HK, "Kipushi", -11.650, 27.300, 90),
    NamedSite("Kasapa", HK, "Lubumbashi", -11.600, 27.440, 60, site_type="other"),
    NamedSite("Luano", HK, "Lubumbashi", -11.620, 27.390, 35, site_type="other"),
)

# Where generated sector-scale sites cluster: (province, territory, lat, lon, spread in degrees)
TOWNS = (
    (L, "Kolwezi", -10.72, 25.47, 0.18), (L, "Mutshatsha", -10.70, 25.15, 0.20),
    (L, "Lubudi", -10.62, 26.20, 0.20), (HK, "Likasi", -10.98, 26.75, 0.15),
    (HK, "Kambove", -10.88, 26.58, 0.18), (HK, "Lubumbashi", -11.66, 27.48, 0.20),
    (HK, "Kipushi", -11.76, 27.25, 0.15),
)


def _month(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text + "-01")


def site_frame(scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    """The ``sites`` table plus latent columns (prefixed ``z_``) that drive the other tables."""
    named = pd.DataFrame(
        {
            "name": [s.name for s in NAMED_SITES],
            "aliases": [list(s.aliases) for s in NAMED_SITES],
            "province": [s.province for s in NAMED_SITES],
            "territory": [s.territory for s in NAMED_SITES],
            "lat": [s.lat for s in NAMED_SITES],
            "lon": [s.lon for s in NAMED_SITES],
            "site_type": [s.site_type for s in NAMED_SITES],
            "z_workers": [s.workers for s in NAMED_SITES],
            "enrolled_on": [_month(s.enrolled) for s in NAMED_SITES],
            "z_worsening_from": [_month(s.worsening_from) for s in NAMED_SITES],
            "z_visits_stop": [_month(s.visits_stop) for s in NAMED_SITES],
            "z_slow_cases": [s.slow_cases for s in NAMED_SITES],
        }
    )
    frames = [named]
    if scale.extra_sites:
        frames.append(_generated_sites(scale.extra_sites, len(named), rng))
    sites = pd.concat(frames, ignore_index=True)
    n = len(sites)
    sites.insert(0, "site_id", [f"FCA-{i + 1:04d}" for i in range(n)])
    sites["cooperative"] = [f"Coopérative minière {1 + i % 23:02d}" for i in range(n)]
    sites["permit_code"] = None
    sites["permit_holder"] = None
    sites["programme_status"] = np.where(sites["enrolled_on"].notna(), "programme", "comparison")
    sites["ipis_pcode"] = None
    sites["source"] = "synthetic demo"
    return _with_latent_parameters(sites, rng)


def _drc_outline():
    """The DRC's outline from the map's base layer (Natural Earth, public domain)."""
    collection = json.loads(COUNTRIES_FILE.read_text())
    drc = next(f for f in collection["features"] if f["properties"]["iso_a3"] == "COD")
    return shapely.prepared.prep(shapely.geometry.shape(drc["geometry"]))


def _positions_in_drc(town: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scatter sites around their towns, drawing again those that fall across the border
    (Kipushi and Lubumbashi are a few kilometres from Zambia)."""
    spread = np.array([t[4] for t in TOWNS])[town]
    lat = np.array([t[2] for t in TOWNS])[town]
    lon = np.array([t[3] for t in TOWNS])[town]
    drc = _drc_outline()
    pending = np.arange(len(town))
    out_lat, out_lon = np.empty(len(town)), np.empty(len(town))
    while len(pending):
        new_lat = lat[pending] + rng.normal(0, 1, len(pending)) * spread[pending]
        new_lon = lon[pending] + rng.normal(0, 1, len(pending)) * spread[pending]
        inside = np.array([drc.contains(shapely.Point(x, y)) for x, y in zip(new_lon, new_lat)],
                          dtype=bool)
        out_lat[pending[inside]], out_lon[pending[inside]] = new_lat[inside], new_lon[inside]
        pending = pending[~inside]
    return np.round(out_lat, 5), np.round(out_lon, 5)


def _generated_sites(count: int, offset: int, rng: np.random.Generator) -> pd.DataFrame:
    town = rng.integers(0, len(TOWNS), count)
    lat, lon = _positions_in_drc(town, rng)
    # a fifth of generated sites join the programme, at dates spread over 2020-2025
    enrol_month = rng.integers(7, 72, count)
    enrolled = [
        dt.date(2020 + (m - 1) // 12, 1 + (m - 1) % 12, 1) if joins else None
        for m, joins in zip(enrol_month, rng.random(count) < 0.2)
    ]
    worsening = rng.random(count) < 0.02
    return pd.DataFrame(
        {
            "name": [f"Site {offset + i + 1:04d}" for i in range(count)],
            "aliases": [[] for _ in range(count)],
            "province": [TOWNS[t][0] for t in town],
            "territory": [TOWNS[t][1] for t in town],
            "lat": lat,
            "lon": lon,
            "site_type": rng.choice(["ZEA", "concession", "other"], count, p=[0.2, 0.6, 0.2]),
            "z_workers": np.clip(rng.lognormal(np.log(300), 1.1, count), 10, 12_000)
                           .round().astype(int),
            "enrolled_on": enrolled,
            "z_worsening_from": [dt.date(2025, 6, 1) if w else None for w in worsening],
            "z_visits_stop": [None] * count,
            "z_slow_cases": rng.random(count) < 0.03,
        }
    )


def _with_latent_parameters(sites: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Starting levels and programme response of each site (assumptions, see README)."""
    n = len(sites)
    latent = {
        "z_women_share": rng.uniform(0.12, 0.32, n),
        # children under 15 seen working per 1,000 workers at a visit, before the programme
        "z_child_per_1000": rng.lognormal(np.log(8.0), 0.5, n),
        "z_covered0": rng.beta(2, 5, n),
        "z_deep0": rng.beta(2, 7, n),
        "z_ppe0": rng.beta(2, 6, n),
        "z_income0": rng.lognormal(np.log(150.0), 0.12, n),
        "z_nonmining0": rng.uniform(0.10, 0.20, n),
        "z_vsla0": rng.uniform(0.02, 0.08, n),
        "z_school0": rng.uniform(0.55, 0.70, n),
        "z_child_mining0": rng.uniform(0.10, 0.20, n),
        "z_food0": rng.uniform(0.50, 0.65, n),
        # how strongly and how fast a programme site responds
        "z_efficacy": rng.uniform(0.6, 1.0, n),
        "z_tau_months": rng.uniform(9.0, 20.0, n),
    }
    return sites.assign(**latent)


SITE_COLUMNS = ("site_id", "name", "aliases", "province", "territory", "lat", "lon", "site_type",
                "cooperative", "permit_code", "permit_holder", "programme_status", "enrolled_on",
                "ipis_pcode", "source")
