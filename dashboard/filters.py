"""The shared filters every page reads: province, site and period (pure, no Streamlit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    province: str | None
    site_id: str | None
    start: dt.date
    end: dt.date

    def params(self) -> dict:
        """The ``$province, $site_id, $start, $end`` parameters of the shared queries."""
        return {"province": self.province, "site_id": self.site_id,
                "start": self.start, "end": self.end}


def month_label(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(label: str) -> dt.date:
    """'2024-03' -> 2024-03-01; raises ValueError with the bad value in the message."""
    try:
        year, month = label.split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"'{label}' is not a month (expected YYYY-MM)") from None


def month_range(first: dt.date, last: dt.date) -> list[str]:
    labels = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def month_end(first_of_month: dt.date) -> dt.date:
    following = (first_of_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def unknown_in_link(link: Mapping[str, Sequence[str]],
                    known: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """Per filter, the values a link gives that the filter does not offer (a province the
    database does not have, a site not in the chosen province, a month outside the data)."""
    unknown = {}
    for name, values in link.items():
        missing = [value for value in values if value not in known[name]]
        if missing:
            unknown[name] = list(dict.fromkeys(missing))
    return unknown
