"""Made-up daily series of known truth, for calibrating the change measure (``analysis.change``)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulated_event_series(rng: np.random.Generator, *, before: int = 42, after: int = 14, step: float = 0.0,
                           small_counts: bool = False, start: str = "2021-01-01") -> pd.Series:
    """A made-up daily series of known truth, for calibrating ``event_window_change``.

    Level × trend × weekly pattern × AR(1) noise, multiplied by ``1 + step`` from day ``before``
    (the event) on; ``small_counts`` draws Poisson counts around a level of 0.5–10 a day. The
    ranges (trend ±1.5% a day, weekly swing up to ±40%, AR coefficient 0–0.8, noise 5–25%) are
    wider than those the method was developed on, so the calibration is not tuned to them.
    """
    n = before + after
    t = np.arange(n)
    level = rng.uniform(0.5, 10) if small_counts else rng.uniform(20, 20_000)
    trend = rng.uniform(-0.015, 0.015)
    weekly = 1 + rng.uniform(0, 0.4) * np.sin(2 * np.pi * (t + rng.integers(7)) / 7)
    phi, sd = rng.uniform(0, 0.8), rng.uniform(0.05, 0.25)
    noise = np.empty(n)
    noise[0] = rng.normal(0, sd / np.sqrt(1 - phi ** 2))
    for i in range(1, n):
        noise[i] = phi * noise[i - 1] + rng.normal(0, sd)
    mean = level * np.exp(trend * t) * weekly * np.exp(noise)
    mean[before:] *= 1 + step
    values = rng.poisson(mean).astype(float) if small_counts else mean
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="D"), name="simulated")
