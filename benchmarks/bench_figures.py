"""Print the median seconds per exported figure (target < 0.3 s per file).

Each report figure is drawn once and written as PNG, SVG and PDF plus its CSV twin; we time the
whole export and divide by the number of image files, and also print the time per figure (all
three formats). Run: .venv/bin/python benchmarks/bench_figures.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import migration_analysis as ma  # noqa: E402

ROUNDS = 3


def main() -> int:
    tables = ma.load_all()
    per_figure = []
    with tempfile.TemporaryDirectory() as out:
        ma.draw_figure(ma.FIGURES[0].name, tables)  # warm font caches
        plt.close("all")
        for _ in range(ROUNDS):
            for figure in ma.FIGURES:
                start = time.perf_counter()
                fig, data = ma.draw_figure(figure.name, tables)
                ma.save_figure(fig, figure.name, out, data=data)
                per_figure.append(time.perf_counter() - start)
                plt.close(fig)
    figure_median = statistics.median(per_figure)
    file_median = figure_median / 3
    print(f"median per exported figure file: {file_median:.3f} s (target < 0.3 s)")
    print(f"median per figure (draw + PNG, SVG, PDF, CSV): {figure_median:.3f} s over {len(per_figure)} exports")
    return 0 if file_median < 0.3 else 1


if __name__ == "__main__":
    sys.exit(main())
