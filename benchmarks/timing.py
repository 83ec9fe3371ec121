"""The one way benchmarks time things."""

import statistics
import time


def timed(function, repeat: int = 5) -> float:
    """Median wall time in milliseconds of ``repeat`` warm runs (one warm-up first)."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
