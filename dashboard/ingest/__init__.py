"""Importers: bring outside data into the FCA database (`python -m dashboard.ingest ...`).

Every importer reads and checks its whole input first, then changes a copy of the database and
swaps it in (``dashboard.build.update_database``): bad input gets a clear error naming the row,
column, value and rule, and the database is left exactly as it was.

- Programme files, one kind per table (sites, visits, incidents, survey, cases, supply,
  credits, funding, activities, milestones, targets): tables.toml + definitions.py (the one
  definition per table), sources.py (CSV and XLSX readers), parsing.py and checks.py (typing
  and checks in DuckDB SQL), load.py (what changes, and the change), report.py (report,
  journal), templates.py (XLSX templates), pipeline.py (the run; its docstring is the
  interface for other readers, such as IPIS); kobo.py and kobo_form.py read KoboToolbox / ODK
  exports of an XLSForm (``--form``) with its mapping (forms/);
  upload.py (a file uploaded on the Data management page: saved in the data folder's uploads/,
  checked, imported).
- ``layer``: a GIS layer of mining permits or administrative boundaries (layers.py, joins.py,
  store.py).
"""
