"""Data quality: how complete, fresh, plausible and unique the data are, what the last imports
refused, and where a page's data come from (pure: data frames in, data frames or text out).

- completeness.py: the share of expected monthly visits done per site, the share of missing
  values per table, field and site, and freshness (days since the last visit and survey);
- outliers.py: the modified z-score (Iglewicz and Hoaglin, as DHIS2's outlier detection uses
  it) of each site's monthly visit measures;
- duplicates.py: rows sharing the key an import identifies them by, per table and site;
- imports.py: the import journal and the rules the last runs' reports name;
- provenance.py: the line every page's footer shows (demo data, or which files, when).
"""
