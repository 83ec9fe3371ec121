"""The one door between the database and the pages: query results filtered by the viewer's
role. Pages call ``dashboard.ui.load``, which caches around ``fetch``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import db, privacy


@dataclass(frozen=True)
class Viewer:
    role: str | None = privacy.DEFAULT_ROLE


def fetch(viewer: Viewer, name: str, **params) -> pd.DataFrame:
    result = db.execute(name, **params)
    return privacy.apply(viewer.role, result.level, result.frame, query=name)
