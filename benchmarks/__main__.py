"""Run every benchmark (`make bench`): each module benchmarks/bench_*.py with a main().

Benchmarks are run on demand, never in the unit suite: these machines are shared and noisy,
so each prints figures measured side by side in one run rather than asserting a time.
"""

import importlib
import pkgutil
import sys

import benchmarks


def main() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)):
        if module.startswith("bench_"):
            print(f"\n== {module} ==", flush=True)
            sys.argv = [module]
            importlib.import_module(f"benchmarks.{module}").main()


if __name__ == "__main__":
    main()
