"""How `build` scales with figures that share a platform, metric and geography (issue #22).

Each figure's baseline is searched among the earlier figures of its group; done naively that is
quadratic (1,000 such rows took 102 s, 10,000 over 300 s). This builds a copy of the repository's
data with N extra figures of one platform, and prints the seconds for each N and the ratio of the
largest to the smallest: about N_large / N_small (here 10) when the build is linear, its square
(100) when it is quadratic.

    python benchmarks/bench_build.py            # 1,000 and 10,000 extra figures
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from migration_analysis.data.build import build

ROOT = Path(__file__).resolve().parents[1]


def add_figures(raw: Path, n: int, seed: int = 0) -> None:
    """Append ``n`` day-precision download figures of Telegram, each with a citation."""
    rng = np.random.default_rng(seed)
    # Distinct periods (no two figures of one period, which validation would flag as one figure twice),
    # 2014 to 2025, after Telegram's founding and before the pages' access date.
    days = [np.datetime64("2014-01-01") + (i % 4000) for i in range(n)]
    with open(raw / "user_surges.csv", "a", newline="", encoding="utf-8") as surges, \
            open(raw / "citations.csv", "a", newline="", encoding="utf-8") as citations:
        facts, pages = csv.writer(surges, lineterminator="\n"), csv.writer(citations, lineterminator="\n")
        for i, day in enumerate(days):
            end = day + i // 4000
            facts.writerow([f"surge-{90000 + i}", "telegram", "downloads", int(rng.integers(1, 10**6)), str(day),
                            str(end), "day", "false", "worldwide", str(rng.choice(["A", "B", "C"])),
                            "third_party_estimate", "false", "", "benchmark figure"])
            pages.writerow([f"cite-{900000 + i}", f"surge-{90000 + i}", f"https://www.reuters.com/bench/{i}", "reuters",
                            "", "", "2026-12-03", "", "", "benchmark page"])


def seconds_to_build(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
        add_figures(root / "data" / "raw", n)
        start = time.perf_counter()
        build(root)
        return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    times = {n: seconds_to_build(n) for n in sizes}
    for n, s in times.items():
        print(f"{n:>7,} extra figures of one platform: build {s:6.1f} s")
    small, large = min(times), max(times)
    print(f"ratio {large:,} / {small:,}: {times[large] / times[small]:.1f} "
          f"(linear: about {large / small:.0f}; quadratic: about {(large / small) ** 2:.0f})")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
