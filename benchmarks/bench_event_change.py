"""Calibration of event_window_change on simulated daily series of known truth.

For each scenario, half the series have no effect (a false alarm is an interval that excludes 0)
and half a step of +30% to +150% at the event (detected: the interval excludes 0; covered: the
interval contains the true change). Prints, per method and scenario, the false-alarm rate, the
coverage of the true change and the power, with the number of series. The default method must keep
false alarms near the nominal 5% (at most 10%) and cover the truth at least 85% of the time while
detecting at least 80% of the steps (issue #20).

Run: .venv/bin/python benchmarks/bench_event_change.py [series per scenario, default 1000]
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from migration_analysis.analysis.change import DEFAULT_WINDOWS, event_window_change
from migration_analysis.analysis.simulate import simulated_event_series

# (name, windows before/after for the series, small counts); each method uses its own default windows
# where the series is long enough for them.
SCENARIOS = (
    ("6 weeks before, 2 after", 42, 14, False),
    ("4 weeks before, 2 after (the model's minimum)", 28, 14, False),
    ("small counts (0.5–10 a day)", 42, 14, True),
)


def calibrate(n_series: int, before: int, after: int, small: bool, method: str, seed: int = 2026) -> dict:
    """False alarms, coverage and power of one method on one scenario (seeded: the same series for every method)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        step = 0.0 if i % 2 == 0 else float(rng.uniform(0.3, 1.5))
        series = simulated_event_series(rng, before=before, after=after, step=step, small_counts=small)
        event = series.index[before]
        b, a = (before, after) if method == "its" else DEFAULT_WINDOWS["naive"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = event_window_change(series, [event], before=b, after=a, method=method, placebo=False).iloc[0]
        rows.append((step, out.change, out.ci_low, out.ci_high))
    table = np.array(rows, dtype=float)
    null, alt = table[:, 0] == 0, table[:, 0] > 0
    measured = ~np.isnan(table[:, 2])
    excludes = measured & ((table[:, 2] > 0) | (table[:, 3] < 0))
    covers = measured & (table[:, 2] <= table[:, 0]) & (table[:, 0] <= table[:, 3])
    return {"false_alarms": excludes[null].mean(), "coverage": covers.mean(), "power": excludes[alt].mean(),
            "no_interval": (~measured).mean(), "n": n_series}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"{'scenario':48s} {'method':6s} {'false alarms':>12s} {'coverage':>9s} {'power':>6s} "
          f"{'no interval':>11s} {'series':>6s}")
    for name, before, after, small in SCENARIOS:
        for method in ("its", "naive"):
            r = calibrate(n, before, after, small, method)
            print(f"{name:48s} {method:6s} {r['false_alarms']:12.1%} {r['coverage']:9.1%} {r['power']:6.1%} "
                  f"{r['no_interval']:11.1%} {r['n']:6d}")


if __name__ == "__main__":
    main()
