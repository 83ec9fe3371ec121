"""Importers: bring outside data into the FCA database (`python -m dashboard.ingest ...`).

Every importer reads and checks its whole input first, then changes a copy of the database and
swaps it in (``dashboard.build.update_database``): bad input gets a clear error naming the row,
column, value and rule, and the database is left exactly as it was.

- ``layer``: a GIS layer of mining permits or administrative boundaries (layers.py, joins.py,
  store.py).
"""
