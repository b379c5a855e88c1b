"""The default change measure (interrupted time series) on hand-built series, and a seeded slice of
its calibration (the full study is benchmarks/bench_event_change.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import migration_analysis as ma
from migration_analysis.analysis.simulate import simulated_event_series

EVENT = pd.Timestamp("2021-02-12")  # day 42 of a series starting 1 January 2021


def series_of(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.date_range("2021-01-01", periods=len(values)))


def wiggle(n: int) -> np.ndarray:
    """A small fixed disturbance (±0.5%), so the model has residuals to estimate noise from."""
    return 1 + 0.005 * np.sin(np.arange(n) * 2.3)


def test_a_pure_step_on_a_flat_series_is_measured_as_that_step():
    # 42 days at 100 then 14 at 150 (× a ±0.5% wiggle): change = 150 / 100 − 1 = +50%.
    values = np.r_[np.full(42, 100.0), np.full(14, 150.0)] * wiggle(56)
    row = ma.event_window_change(series_of(values), [EVENT]).iloc[0]
    assert row.method == "its" and (row.n_before, row.n_after) == (42, 14)
    assert row.change == pytest.approx(0.5, abs=0.01)
    assert row.ci_low < 0.5 < row.ci_high and row.ci_high - row.ci_low < 0.05
    assert row.counterfactual_mean == pytest.approx(100.0, rel=0.01)
    assert row.after_mean / row.counterfactual_mean - 1 == pytest.approx(row.change)


def test_a_weekly_pattern_with_a_step_is_measured_as_the_step():
    # Weekends at twice the weekday level; a step of ×1.3 on a Friday. Plain means would mix both.
    days = pd.date_range("2021-01-01", periods=56)
    weekly = np.where(days.day_of_week >= 5, 200.0, 100.0)
    values = weekly * np.where(days >= EVENT, 1.3, 1.0) * wiggle(56)
    row = ma.event_window_change(pd.Series(values, index=days), [EVENT]).iloc[0]
    assert row.change == pytest.approx(0.3, abs=0.01)


def test_a_pure_trend_is_not_called_a_change():
    # Growth of 1% a day and no step: the naive comparison of 7 days either side calls it about +7%.
    values = 100 * np.exp(0.01 * np.arange(56)) * wiggle(56)
    its = ma.event_window_change(series_of(values), [EVENT]).iloc[0]
    assert abs(its.change) < 0.01 and its.ci_low < 0 < its.ci_high
    naive = ma.event_window_change(series_of(values), [EVENT], method="naive").iloc[0]
    assert naive.change == pytest.approx(np.exp(0.07) - 1, abs=0.005) and naive.ci_low > 0


def test_overlapping_events_are_named_and_flagged():
    values = np.r_[np.full(42, 100.0), np.full(14, 150.0)] * wiggle(56)
    events = pd.DataFrame({"date": [EVENT, EVENT + pd.Timedelta(days=2)], "label": ["ban", "removal"]})
    out = ma.event_window_change(series_of(values), events)
    assert out["overlaps"].tolist() == ["removal (2021-02-14)", "ban (2021-02-12)"]
    assert all("overlaps 1 other event(s)" in flags for flags in out["flags"])


def test_a_zero_baseline_is_flagged_and_gives_no_change():
    values = np.r_[np.zeros(42), np.full(14, 5.0)]
    row = ma.event_window_change(series_of(values), [EVENT]).iloc[0]
    assert np.isnan(row.change) and np.isnan(row.ci_low)
    assert "zero baseline" in row["flags"]


def test_small_counts_use_the_counts_model():
    rng = np.random.default_rng(7)
    values = rng.poisson(np.r_[np.full(42, 3.0), np.full(14, 9.0)])
    row = ma.event_window_change(series_of(values), [EVENT]).iloc[0]
    assert "counts model (quasi-Poisson)" in row["flags"] and "small counts" in row["flags"]
    # The counts model's step is exactly after_mean ÷ counterfactual mean (its score equations).
    assert row.after_mean / row.counterfactual_mean - 1 == pytest.approx(row.change)
    assert row.ci_low < 2.0 < row.ci_high  # the true change: 9 / 3 − 1


def test_the_naive_interval_refuses_resampled_zero_baselines():
    # A before window of [0, 1, 1, 0, 0, 0, 0]: resamples of all zeros would divide by 0.
    values = [0, 1, 1, 0, 0, 0, 0, 5, 6, 5, 7, 6, 5, 6]
    row = ma.event_window_change(series_of(values), ["2021-01-08"], method="naive").iloc[0]
    assert row.change == pytest.approx(40 / 7 / (2 / 7) - 1)  # 19.0, stated with its flags
    assert np.isnan(row.ci_low) and "resampled baselines are 0" in row["flags"] and "small counts" in row["flags"]


def test_a_window_too_short_for_the_model_is_flagged_not_guessed():
    row = ma.event_window_change(series_of(np.arange(1.0, 21.0)), ["2021-01-15"]).iloc[0]
    assert np.isnan(row.change) and "too short for the model: 14 days before (needs 28)" in row["flags"]
    with pytest.raises(ValueError, match="too short for the model"):
        ma.counterfactual_path(series_of(np.arange(1.0, 21.0)), "2021-01-15")


def test_placebo_dates_before_a_real_step_show_nothing_as_large():
    # 70 days of flat noise, then the step: 28 placebo dates on the 70 days before the event.
    values = np.r_[np.full(70, 100.0), np.full(14, 200.0)] * wiggle(84)
    row = ma.event_window_change(series_of(values), ["2021-03-12"]).iloc[0]
    assert row.n_placebo == 28 and row.placebo_share == 0.0 and "not unusual" not in row["flags"]


def test_a_step_before_the_event_makes_the_event_not_unusual():
    # The series jumped 20 days before the "event" and stayed up: placebo dates see changes as large.
    values = np.r_[np.full(50, 100.0), np.full(34, 200.0)] * wiggle(84)
    row = ma.event_window_change(series_of(values), ["2021-03-12"]).iloc[0]
    assert abs(row.change) < 0.05 and row.placebo_share > 0.05


def test_counterfactual_path_without_the_step():
    values = np.r_[np.full(42, 100.0), np.full(14, 150.0)] * wiggle(56)
    path = ma.counterfactual_path(series_of(values), EVENT)
    assert list(path.columns) == ["observed", "fitted", "counterfactual", "cf_low", "cf_high"]
    assert len(path) == 56 and path.attrs["level"] == 0.95
    assert np.allclose(path["counterfactual"], 100.0, rtol=0.01)
    assert np.allclose(path.loc[EVENT:, "fitted"], 150.0, rtol=0.01)
    assert (path["cf_low"] <= path["counterfactual"]).all() and (path["counterfactual"] <= path["cf_high"]).all()


def test_negative_and_infinite_values_are_refused():
    with pytest.raises(ValueError, match="negative value on 2021-01-03"):
        ma.event_window_change(series_of([1, 2, -1, 4]), ["2021-01-02"])
    with pytest.raises(ValueError, match="infinite value on 2021-01-02"):
        ma.event_window_change(series_of([1, np.inf, 1]), ["2021-01-02"])
    with pytest.raises(ValueError, match="method must be one of its, naive"):
        ma.event_window_change(series_of([1, 2]), ["2021-01-02"], method="bootstrap")


def test_calibration_slice_keeps_false_alarms_coverage_and_power():
    # A seeded slice of benchmarks/bench_event_change.py (200 series; the published table uses 1,000).
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from bench_event_change import calibrate

    its = calibrate(200, 42, 14, False, "its", seed=20)
    assert its["false_alarms"] <= 0.12 and its["coverage"] >= 0.85 and its["power"] >= 0.8
    naive = calibrate(200, 42, 14, False, "naive", seed=20)
    assert naive["false_alarms"] > its["false_alarms"]


def test_simulated_series_are_seeded_and_carry_the_step():
    a = simulated_event_series(np.random.default_rng(3), step=1.0)
    b = simulated_event_series(np.random.default_rng(3), step=1.0)
    pd.testing.assert_series_equal(a, b)
    assert len(a) == 56 and a.index[42] == EVENT


def test_short_history_is_flagged_by_the_days_it_has():
    # 30 days before the event (under the calibrated 42) and 14 from it: measured, with the calibration caveat;
    # a series that starts 42 days before the event leaves room for one placebo date only (42 - 28 - 14 + 1).
    values = np.r_[np.full(30, 100.0), np.full(14, 150.0)] * wiggle(44)
    row = ma.event_window_change(series_of(values), ["2021-01-31"]).iloc[0]
    assert row.n_before == 30 and "only 30 days before the event: below 42" in row["flags"]
    full = ma.event_window_change(simulated_event_series(np.random.default_rng(3), step=1.0), [EVENT]).iloc[0]
    assert full.n_placebo == 1 and "weak placebo check: only 1 placebo date(s)" in full["flags"]
    assert "only" not in full["flags"].split("weak placebo")[0]  # 42 days before: no short-history flag
