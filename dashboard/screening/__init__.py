"""Problem sites: the screening rules, funnel limits and shrinkage, the watchlist and its charts."""
