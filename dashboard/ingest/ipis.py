"""IPIS open data: artisanal mine visits in eastern DRC, one CSV row per visit -> sites and
site visits (``python -m dashboard.ingest ipis PATH``).

What the fields mean (IPIS Open Data FAQ & dictionary, ipisresearch.be, and the IPIS webmap's
own code): ``pcode`` is the mine's IPIS code (``codmine00191``); ``visit_onsite`` says whether
the team went to the site (no: the information was gathered elsewhere); ``workers_numb`` is the
estimated number of workers, a count; ``childunder15`` and ``women`` say whether children under
15 and women work at the site: flags (yes/no, -1 unknown), not counts; ``childunder15work`` and
``womenwork`` are the kinds of work they do, ``armed_group1..3`` and ``state_service1..4``
names, ``interference`` a flag (an armed actor interferes), ``traceability`` and
``qualification`` categories, ``mineral1..3`` the minerals in French (Or, Cassitérite...).

What becomes what:
- each mine (``pcode``) is a site: the site whose ``ipis_pcode`` it is; else a site without an
  IPIS code of the same name (or alias, ignoring case and accents) within 2 km, which gets the
  code (a warning says so, for review); else a new comparison site ``IPIS-<pcode>`` (source
  IPIS) at the position of its latest row. A matched site keeps everything else it had;
- each row visited on site is a visit (source IPIS): workers from ``workers_numb``; the flags
  as flags (``children_under_15_present``, ``women_present``, ``armed_interference``), never as
  counts; the minerals as a list. A row not visited on site gives the site its position but no
  visit (a warning). A day the programme itself visited a matched site keeps the programme's
  visit (a warning);
- a field IPIS left empty (or -1, unknown) stays unknown. The names and categories the database
  has no column for (armed groups, state services, traceability, qualification, kinds of work)
  are read and not stored; the run's notes say so.

The checks, the report, strict or lenient and the atomic load are the pipeline's (the rows are
checked as the ``sites`` and ``visits`` kinds). An IPIS file is small (about 7,000 visits): it
is read whole, as the sites come from the latest visit of each mine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.ingest.definitions import normalised
from dashboard.ingest.pipeline import Options, Outcome, import_sources
from dashboard.ingest.sources import Source, SourceError, read_file

KINDS = ["sites", "visits"]
REQUIRED = ("pcode", "name", "visit_date", "longitude", "latitude")
MATCH_KM = 2.0
SOURCE = "IPIS"
YES = {"yes", "oui", "y", "o", "1", "true", "vrai"}
NO = {"no", "non", "n", "0", "false", "faux"}
UNKNOWN = {"-1", "unknown", "inconnu", "nsp", "nesaitpas", "dontknow", "na", "nd"}
FLAGS = {"childunder15": "children_under_15_present", "women": "women_present",
         "interference": "armed_interference"}
MINERALS = ("mineral1", "mineral2", "mineral3")
NOT_STORED = ("childunder15work", "womenwork", "armed_group1", "armed_group2", "armed_group3",
              "state_service1", "state_service2", "state_service3", "state_service4",
              "traceability", "qualification")
SITE_COLUMNS = ["site_id", "name", "province", "territory", "lat", "lon", "programme_status",
                "enrolled_on", "ipis_pcode", "source"]
VISIT_COLUMNS = ["site_id", "visited_on", "workers", "children_under_15_present",
                 "women_present", "armed_interference", "minerals", "source"]


def import_ipis(target: Path | str, path: Path | str, options: Options | None = None) -> Outcome:
    """Import an IPIS open-data CSV of mine visits into the database at ``target``."""
    target, path = Path(target), Path(path)
    return import_sources(target, lambda: read_ipis(path, target), path, options or Options(),
                          list(KINDS))


def read_ipis(path: Path, target: Path) -> list[Source]:
    """The file's sites and visits, matched against the sites of the database at ``target``."""
    source = read_file(path, "visits")
    headers = [normalised(h) for h in source.headers]
    missing = [name for name in REQUIRED if normalised(name) not in headers]
    if missing:
        raise SourceError("ipis_missing_column", ", ".join(missing), row=1)
    frame = pd.concat(list(source.chunks), ignore_index=True)
    frame.columns = ["_row", "_sheet", *headers]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    rows = frame.assign(**{c: frame[c].map(_clean) for c in frame.columns[2:]}).astype(object)
    rows = rows.where(rows.notna(), None)
    rows = rows[rows.iloc[:, 2:].notna().any(axis=1)]  # a blank line is no row
    known, visits_on = _database(target)
    sites, problems = _sites(rows, known)
    visits, visit_problems = _visits(rows, sites, visits_on)
    read = [h for h in dict.fromkeys(headers) if h in _USED]
    notes = [*source.notes, f"IPIS fields read: {', '.join(read)}"]
    unstored = [h for h in NOT_STORED if h in headers]
    if unstored:
        notes.append(f"IPIS fields read and not stored (names and categories): "
                     f"{', '.join(unstored)}")
    site_frame = sites.reindex(columns=["_row", "_sheet", *SITE_COLUMNS])
    visit_frame = visits.reindex(columns=["_row", "_sheet", *VISIT_COLUMNS])
    return [Source("sites", SITE_COLUMNS, iter([site_frame]), notes=notes,
                   problems=_with_sheet(problems)),
            Source("visits", VISIT_COLUMNS, iter([visit_frame]),
                   problems=_with_sheet(visit_problems))]


def _with_sheet(problems: list[tuple]) -> list[tuple]:
    """(row, column, value, rule, param, severity) as a reader's problem: the CSV has no sheet."""
    return [(row, None, *rest) for row, *rest in problems]


_USED = ("pcode", "name", "visitdate", "visitonsite", "longitude", "latitude", "province",
         "territoire", "workersnumb", *FLAGS, *MINERALS)


def _clean(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _database(target: Path) -> tuple[pd.DataFrame, set[tuple[str, dt.date]]]:
    """The database's sites, and the (site, day) of its visits not made by IPIS."""
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return pd.DataFrame(columns=["site_id"]), set()  # the pipeline says why
    try:
        sites = con.execute("""SELECT site_id, name, aliases, province, territory, lat, lon,
                   programme_status, enrolled_on, ipis_pcode, source FROM sites""").df()
        days = con.execute("SELECT site_id, visited_on FROM site_visits "
                           "WHERE source <> $ipis", {"ipis": SOURCE}).fetchall()
    except duckdb.Error:
        return pd.DataFrame(columns=["site_id"]), set()
    finally:
        con.close()
    return sites, set(days)


def _number(text: str | None) -> float:
    try:
        return float(str(text).replace(",", "."))
    except ValueError:
        return float("nan")


def _day(text: str | None) -> dt.date | None:
    """A visit date for ordering and comparing (the pipeline parses and checks it)."""
    if text is None:
        return None
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text[:10], form).date()
        except ValueError:
            continue
    return None


def _km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def _sites(rows: pd.DataFrame, known: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    """One row per mine, from its latest row: a matched site's own values, or a new site."""
    problems = [(int(r), "pcode", None, "required", "pcode", "error")
                for r in rows.loc[rows["pcode"].isna(), "_row"]]
    rows = rows[rows["pcode"].notna()].copy()
    rows["_day"] = rows["visitdate"].map(_day)
    rows["_order"] = rows["_day"].map(lambda d: d or dt.date.min)
    latest = rows.sort_values(["_order", "_row"]).groupby("pcode", sort=False).tail(1)
    latest = latest.sort_values("_row")
    by_pcode = {p: r for p, r in zip(known.get("ipis_pcode", []), known.to_dict("records"))
                if isinstance(p, str)}
    free = known[known.get("ipis_pcode", pd.Series(dtype=object)).isna()] \
        if "ipis_pcode" in known else known
    names = {}
    for record in free.to_dict("records"):
        for name in [record["name"], *(record["aliases"] if record["aliases"] is not None
                                       else [])]:
            names.setdefault(normalised(name), []).append(record)
    taken: set[str] = set()
    out = []
    for mine in latest.to_dict("records"):
        pcode = mine["pcode"]
        match = by_pcode.get(pcode)
        if match is None and mine["name"]:
            lat, lon = _number(mine["latitude"]), _number(mine["longitude"])
            candidates = [(float(_km(lat, lon, c["lat"], c["lon"])), c)
                          for c in names.get(normalised(mine["name"]), [])
                          if c["site_id"] not in taken]
            candidates = [(km, c) for km, c in candidates if km <= MATCH_KM]
            if candidates:
                km, match = min(candidates, key=lambda item: item[0])
                problems.append((int(mine["_row"]), "name", mine["name"], "ipis_matched_by_name",
                                 f"{match['site_id']} ({km:.1f} km)", "warning"))
        if match is not None:
            taken.add(match["site_id"])
            out.append({"_row": mine["_row"], "_sheet": None, "pcode": pcode,
                        **_as_text({c: match[c] for c in SITE_COLUMNS if c != "ipis_pcode"}),
                        "ipis_pcode": pcode})
        else:
            out.append({"_row": mine["_row"], "_sheet": None, "pcode": pcode,
                        "site_id": f"IPIS-{pcode}", "name": mine["name"],
                        "province": mine.get("province"), "territory": mine.get("territoire"),
                        "lat": mine["latitude"], "lon": mine["longitude"],
                        "programme_status": "comparison", "enrolled_on": None,
                        "ipis_pcode": pcode, "source": SOURCE})
    return pd.DataFrame(out, columns=["_row", "_sheet", "pcode", *SITE_COLUMNS]), problems


def _as_text(values: dict) -> dict:
    """A database row's values as the text cells the pipeline reads."""
    text = {}
    for name, value in values.items():
        if value is None or pd.isna(value):
            text[name] = None
        elif isinstance(value, dt.date | pd.Timestamp):
            text[name] = pd.Timestamp(value).date().isoformat()
        elif isinstance(value, float):
            text[name] = repr(value)
        else:
            text[name] = str(value)
    return text


def _visits(rows: pd.DataFrame, sites: pd.DataFrame,
            programme_days: set) -> tuple[pd.DataFrame, list[tuple]]:
    problems: list[tuple] = []
    site_of = dict(zip(sites["pcode"], sites["site_id"]))
    out = []
    for row in rows[rows["pcode"].notna()].to_dict("records"):
        onsite = _flag(row.get("visitonsite"))
        if onsite == "no":
            problems.append((int(row["_row"]), "visit_onsite", row.get("visitonsite"),
                             "ipis_not_visited", row.get("visitonsitenovisitreason") or "–",
                             "warning"))
            continue
        if onsite not in (None, "yes"):
            problems.append((int(row["_row"]), "visit_onsite", row.get("visitonsite"),
                             "not_boolean", None, "error"))
            continue
        site_id = site_of.get(row["pcode"])
        day = _day(row.get("visitdate"))
        if (site_id, day) in programme_days:
            problems.append((int(row["_row"]), "visit_date", row.get("visitdate"),
                             "ipis_programme_visit_kept", site_id, "warning"))
            continue
        minerals = [m for m in (row.get(c) for c in MINERALS) if m]
        out.append({"_row": row["_row"], "_sheet": None, "site_id": site_id,
                    "visited_on": row.get("visitdate"), "workers": row.get("workersnumb"),
                    **{column: _flag(row.get(field)) for field, column in FLAGS.items()},
                    "minerals": "; ".join(minerals) or None, "source": SOURCE})
    return pd.DataFrame(out, columns=["_row", "_sheet", *VISIT_COLUMNS]), problems


def _flag(text: str | None) -> str | None:
    """yes, no, None (not recorded or unknown: empty, -1), or the text itself when it is
    neither (the pipeline then reports it)."""
    if text is None or text.strip() == "-1":
        return None
    key = normalised(text)
    if key in YES:
        return "yes"
    if key in NO:
        return "no"
    if key in UNKNOWN:
        return None
    return text
