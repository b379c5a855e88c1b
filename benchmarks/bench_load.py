"""Print speed ratios for the package issue's targets (ratios, not seconds: machines differ).

- import migration_analysis  vs  import pandas           target ≤ 1.10
- every processed table through the loaders  vs  bare pd.read_csv of the same files with dates parsed
                                                          target ≤ 1.50
Run: .venv/bin/python benchmarks/bench_load.py
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time

REPEATS = 20


def import_ratio() -> tuple[float, float, float]:
    # Each import in a fresh interpreter: that is the cost a user or a notebook kernel pays.
    # Alternating runs, best of each (stolen time on a shared machine only ever adds).
    commands = {"pandas": [sys.executable, "-c", "import pandas"],
                "package": [sys.executable, "-c", "import migration_analysis"]}
    best = {name: float("inf") for name in commands}
    subprocess.run(commands["package"], check=True)  # warm the file cache
    for round_ in range(REPEATS):
        for name in (("pandas", "package") if round_ % 2 else ("package", "pandas")):
            start = time.perf_counter()
            subprocess.run(commands[name], check=True)
            best[name] = min(best[name], time.perf_counter() - start)
    return best["package"] / best["pandas"], best["package"], best["pandas"]


def load_ratio() -> tuple[float, float, float]:
    import pandas as pd

    import migration_analysis as ma
    from migration_analysis import schema

    folder = ma.default_data_dir()
    tables = schema.all_tables()
    loaders = [ma.load_platforms, ma.load_account_bans, ma.load_store_removals, ma.load_user_surges,
               ma.load_context_events, ma.load_events, ma.load_surge_rates]

    def bare():
        for t in tables:
            pd.read_csv(folder / t.filename, parse_dates=[c.name for c in t.columns if c.kind == "date"])

    def library():
        for load in loaders:
            load()

    # Alternate the two so that drift in machine load hits both alike; keep the best round of
    # each, with the garbage collector off while timing, as timeit does (noise only adds time).
    bare(), library()  # warm caches
    lib, raw = [], []
    gc.disable()
    # Many short samples: on a shared virtual machine, stolen time arrives in bursts, and the
    # minimum of many short runs is the run that no burst touched.
    pairs = ((library, lib), (bare, raw))
    for round_ in range(200):
        # Swap the order every round: whichever runs second finds warmer caches.
        for fn, samples in (pairs if round_ % 2 else pairs[::-1]):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        gc.collect()
    gc.enable()
    return min(lib) / min(raw), min(lib), min(raw)


def main() -> int:
    ratio, package, pandas = import_ratio()
    print(f"import migration_analysis / import pandas: {ratio:.2f}  ({package * 1000:.0f} ms vs "
          f"{pandas * 1000:.0f} ms; target <= 1.10)")
    ratio2, lib, raw = load_ratio()
    print(f"load every table via library / bare pd.read_csv: {ratio2:.2f}  ({lib * 1000:.1f} ms vs "
          f"{raw * 1000:.1f} ms; target <= 1.50)")
    return 0 if ratio <= 1.10 and ratio2 <= 1.50 else 1


if __name__ == "__main__":
    sys.exit(main())
