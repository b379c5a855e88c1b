"""How much a daily series changed around an event, against what it would have done without it.

The default (``method="its"``) is an interrupted time series: a segmented regression over the days
before and after the event with a level, a linear trend, a day-of-week pattern and a step at the
event, whose errors follow an AR(1) process (statsmodels' ``GLSAR``, feasible GLS on the log of the
series). The counterfactual is the same model without the step. Series of small counts, or with
zeros, get a quasi-Poisson regression with the same terms instead (statsmodels' ``GLM``), so that a
day with 0 sign-ups is data, not a hole. Each event is also measured at placebo dates before it
(where nothing is known to have happened) and every row carries ``flags`` in words.

``method="naive"`` is the plain before/after comparison of means with a bootstrap over days; it
ignores trend, weekly pattern and autocorrelation and is descriptive only.

The method was calibrated on simulated series of known truth (``benchmarks/bench_event_change.py``,
``docs/event_change.md``). statsmodels is imported on first use.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

METHODS = ("its", "naive")
# Default windows: six weeks before (a trend and six weekly cycles to estimate them from), two after.
DEFAULT_WINDOWS = {"its": (42, 14), "naive": (7, 7)}
# The model has 10 terms and an AR coefficient; on shorter windows its intervals were too narrow in the
# calibration (false alarms above 10%: docs/event_change.md).
MIN_BEFORE_DAYS, MIN_AFTER_DAYS = 28, 14
# Below this mean per day before the event (or with any zero in the window) the counts model is used.
SMALL_COUNT_MEAN = 10.0
# Placebo dates: at most this many, the latest ones before the event.
MAX_PLACEBOS = 28

WINDOW_COLUMNS = ["date", "method", "before_mean", "after_mean", "counterfactual_mean", "ratio", "change",
                  "ci_low", "ci_high", "n_before", "n_after", "missing_days", "missing_dates", "n_placebo",
                  "placebo_share", "overlaps", "flags"]


# --- inputs ------------------------------------------------------------------------------------------

def check_daily(series: pd.Series) -> pd.Series:
    """The series as float64 on a sorted, tz-naive, one-value-per-day index, or a ValueError saying why not."""
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise TypeError("series must be a pandas Series on a DatetimeIndex")
    if series.index.tz is not None:
        series = series.tz_localize(None)
    index = series.index
    if (index != index.normalize()).any():
        raise ValueError("series index has times of day; it must hold one value per calendar day")
    if index.has_duplicates:
        raise ValueError(f"series index repeats dates, e.g. {index[index.duplicated()][0]:%Y-%m-%d}")
    series = series.sort_index()
    steps = series.index.to_series().diff().dropna()
    if len(steps) and steps.mode().iloc[0] != pd.Timedelta(days=1):
        raise ValueError(f"series is not daily: its usual step is {steps.mode().iloc[0].days} days "
                         "(weekly or monthly data cannot give daily windows)")
    values = series.astype("float64")
    if np.isinf(values).any():
        raise ValueError(f"series has an infinite value on {values.index[np.isinf(values)][0]:%Y-%m-%d}")
    return values


def day_events(events: pd.DataFrame, precision: str = "day") -> pd.DataFrame:
    """The events that can be placed on a day: day precision only, unless ``precision="any"``.

    A month-precision event sits on the 1st of its month as a placeholder, not as the day it
    happened; placing it on that day would measure or draw something that did not happen then.
    Leaving events out warns, naming how many and the first few, so nothing vanishes silently.
    """
    if precision not in ("day", "any"):
        raise ValueError(f"precision must be 'day' or 'any', not {precision!r}")
    if precision == "any" or "date_precision" not in events.columns:
        return events
    imprecise = events["date_precision"].astype("string") != "day"
    if imprecise.any():
        left_out = events[imprecise]
        named = left_out["label"] if "label" in left_out.columns else left_out["date"].astype(str)
        shown = "; ".join(named.astype(str).head(3)) + ("; …" if len(left_out) > 3 else "")
        warnings.warn(f"left out {len(left_out)} event(s) known only to the month or year, which have no day "
                      f"to be placed on ({shown}); pass precision='any' to place them on the 1st",
                      UserWarning, stacklevel=3)
    return events[~imprecise]


def event_frame(events, precision: str = "day") -> pd.DataFrame:
    """A list of dates, or a DataFrame with a ``date`` column, as a frame of normalised event days."""
    if isinstance(events, pd.DataFrame):
        if "date" not in events.columns:
            raise ValueError("events DataFrame needs a 'date' column")
        frame = day_events(events, precision).reset_index(drop=True).copy()
    else:
        frame = pd.DataFrame({"date": list(events)})
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    return frame


def _event_name(frame: pd.DataFrame, i: int) -> str:
    for column in ("label", "event_id", "id"):
        if column in frame.columns and pd.notna(frame.at[i, column]):
            return str(frame.at[i, column])
    return "event"


# --- the interrupted time series ------------------------------------------------------------------

def _design(days: pd.DatetimeIndex, event_day: pd.Timestamp) -> pd.DataFrame:
    """Level, trend (per week, zero on the event day), day of week (Monday as reference) and the step."""
    offset = (days - event_day).days.to_numpy(dtype=float)
    design = pd.DataFrame({"const": 1.0, "trend": offset / 7.0, "step": (offset >= 0).astype(float)}, index=days)
    for weekday in range(1, 7):
        design[f"dow{weekday}"] = (days.day_of_week == weekday).astype(float)
    return design.loc[:, design.any(axis=0) | (design.columns == "step")]  # drop a weekday that never occurs


def uses_counts_model(before: np.ndarray, window: np.ndarray) -> bool:
    """Small counts (mean below ``SMALL_COUNT_MEAN`` per day before the event) or any zero: the counts model."""
    return bool(before.mean() < SMALL_COUNT_MEAN or (window == 0).any())


def fit_step(window: pd.Series, event_day: pd.Timestamp, level: float = 0.95) -> dict:
    """Fit the segmented regression on the days present in ``window``; the step is the change.

    Returns ``change`` (exp(step) − 1), its interval, the model used and the fitted results, so
    that ``counterfactual_path`` can draw what the series would have done without the event.
    """
    import statsmodels.api as sm

    present = window.dropna()
    design = _design(present.index, event_day)
    before = present[present.index < event_day].to_numpy()
    counts = uses_counts_model(before, present.to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on near-constant windows; the result is checked below
        if counts:
            results = sm.GLM(present.to_numpy(), design, family=sm.families.Poisson()).fit(scale="X2", use_t=True)
        else:
            model = sm.GLSAR(np.log(present.to_numpy()), design, rho=1)
            results = model.iterative_fit(maxiter=6)
    step = float(results.params["step"])
    low, high = (float(v) for v in results.conf_int(alpha=1 - level).loc["step"])
    if not np.isfinite([step, low, high]).all():
        return {"change": np.nan, "ci_low": np.nan, "ci_high": np.nan, "counts": counts, "results": None}
    return {"change": float(np.expm1(step)), "ci_low": float(np.expm1(low)), "ci_high": float(np.expm1(high)),
            "counts": counts, "results": results, "design": design}


def counterfactual_path(series: pd.Series, event, before: int | None = None, after: int | None = None,
                        *, level: float = 0.95) -> pd.DataFrame:
    """What the model says the series would have done without the event, day by day, with a band.

    One row per day of the windows: ``observed``, ``fitted`` (the model with its step),
    ``counterfactual`` (the same without the step) and ``cf_low``/``cf_high`` (a ``level`` interval
    of the counterfactual mean). ``plot_series_with_events(..., counterfactual=...)`` draws it.
    """
    before = DEFAULT_WINDOWS["its"][0] if before is None else before
    after = DEFAULT_WINDOWS["its"][1] if after is None else after
    series = check_daily(series)
    day = pd.Timestamp(event).normalize()
    days = pd.date_range(day - pd.Timedelta(days=before), periods=before + after, freq="D")
    window = series.reindex(days)
    n_before, n_after = window[:before].notna().sum(), window[before:].notna().sum()
    if n_before < MIN_BEFORE_DAYS or n_after < MIN_AFTER_DAYS:
        raise ValueError(f"too short for the model: {n_before} days before {day:%Y-%m-%d} (needs "
                         f"{MIN_BEFORE_DAYS}) and {n_after} from it (needs {MIN_AFTER_DAYS})")
    fit = fit_step(window, day, level)
    if fit["results"] is None:
        raise ValueError(f"the model could not be fitted around {day:%Y-%m-%d}")
    full = _design(days, day).reindex(columns=fit["design"].columns, fill_value=0.0)
    without = full.assign(step=0.0)
    prediction = fit["results"].get_prediction(without).summary_frame(alpha=1 - level)
    fitted = fit["results"].predict(full)
    low_col, high_col = ("mean_ci_lower", "mean_ci_upper")
    transform = (lambda v: np.asarray(v, dtype=float)) if fit["counts"] else (lambda v: np.exp(np.asarray(v, dtype=float)))
    path = pd.DataFrame({
        "observed": window.to_numpy(),
        "fitted": transform(fitted),
        "counterfactual": transform(prediction["mean"]),
        "cf_low": transform(prediction[low_col]),
        "cf_high": transform(prediction[high_col]),
    }, index=pd.DatetimeIndex(days, name="date"))
    path.attrs["level"] = level
    return path


def _placebos(series: pd.Series, day: pd.Timestamp, before: int, after: int, level: float) -> list[dict]:
    """The model at dates before the event, on data that ends the day before it (so the event is never in it)."""
    history = series[series.index < day]
    if history.empty:
        return []
    first = history.index.min()
    dates = pd.date_range(first + pd.Timedelta(days=MIN_BEFORE_DAYS), day - pd.Timedelta(days=MIN_AFTER_DAYS), freq="D")
    out = []
    for placebo in dates[-MAX_PLACEBOS:]:
        stop = min(placebo + pd.Timedelta(days=after), day)
        window = history[(history.index >= placebo - pd.Timedelta(days=before)) & (history.index < stop)]
        n_before = int(window[window.index < placebo].notna().sum())
        n_after = int(window[window.index >= placebo].notna().sum())
        if n_before < MIN_BEFORE_DAYS or n_after < MIN_AFTER_DAYS or window[window.index < placebo].sum() == 0:
            continue
        fit = fit_step(window, placebo, level)
        if np.isfinite(fit["change"]):
            out.append(fit)
    return out


# --- the naive comparison ------------------------------------------------------------------------

def _bootstrap_change(before: np.ndarray, after: np.ndarray, rng: np.random.Generator,
                      n_boot: int, level: float) -> tuple[float, float, float]:
    """Percentile interval of after-mean ÷ before-mean − 1, resampling each window's days; and the
    share of resamples whose before-mean is 0 (where no change can be computed)."""
    b = rng.choice(before, size=(n_boot, len(before)), replace=True).mean(axis=1)
    a = rng.choice(after, size=(n_boot, len(after)), replace=True).mean(axis=1)
    zero_share = float((b <= 0).mean())
    if zero_share > 0:
        return np.nan, np.nan, zero_share
    changes = a / b - 1
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(changes, [tail, 100 - tail])
    return float(low), float(high), 0.0


# --- event_window_change ---------------------------------------------------------------------------

def event_window_change(series: pd.Series, events, before: int | None = None, after: int | None = None, *,
                        method: str = "its", n_boot: int = 2000, level: float = 0.95, seed: int = 0,
                        precision: str = "day", min_days: int = 3, placebo: bool = True) -> pd.DataFrame:
    """How much a daily series changed around each event, with an interval and flags.

    For an event on day D the "before" window is the ``before`` days D−before … D−1 and the "after"
    window the ``after`` days D … D+after−1 (the event day counts as after). ``before_mean`` and
    ``after_mean`` are the plain means of the days present.

    ``method="its"`` (default; windows 42 and 14 days): an interrupted time series over both
    windows: log(series) = level + trend + day of week + step·[day ≥ D] + AR(1) error (GLSAR),
    or, for small counts (before-mean under 10 a day) or any zero, a quasi-Poisson regression with
    the same terms. ``change`` = exp(step) − 1 = ``after_mean`` ÷ ``counterfactual_mean`` − 1,
    where the counterfactual is what the model says the after window would have averaged without
    the event; ``ci_low``/``ci_high`` are its ``level`` interval. It needs at least 28 days with
    data before D and 14 from D; a shorter window gives a row with no change and a flag saying so.
    ``n_placebo``/``placebo_share``: the same model at up to 28 dates before D (on data that stops
    the day before D), and the share of them whose change is at least as large (absolute) as the
    event's: a high share means the event's change is not unusual for this series.

    ``method="naive"`` (windows 7 and 7): ``change`` = after_mean ÷ before_mean − 1, with a seeded
    percentile bootstrap over the days of each window (``n_boot``, ``seed``) given when each window
    has ``min_days`` days. Descriptive only: it ignores trend, weekly pattern and autocorrelation,
    and its interval is too narrow on real series (see ``docs/event_change.md``).

    ``overlaps`` names the other events inside the windows; ``flags`` says in words what to worry
    about (too short, overlaps, missing days, small counts, a zero baseline, an unusual placebo
    record). ``events`` is a list of dates or a DataFrame with a ``date`` column (its other columns
    are kept); with a ``date_precision`` column only day-precision events are measured unless
    ``precision="any"`` (a warning names those left out). Returns one row per event.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    default_before, default_after = DEFAULT_WINDOWS[method]
    before = default_before if before is None else before
    after = default_after if after is None else after
    if before < 1 or after < 1:
        raise ValueError("before and after must each be at least 1 day")
    series = check_daily(series)
    if (series < 0).any():
        raise ValueError(f"series has a negative value on {series.index[series < 0][0]:%Y-%m-%d}; "
                         "the change is a ratio of levels and needs values of 0 or more")
    frame = event_frame(events, precision)
    rng = np.random.default_rng(seed)
    results = []
    for i, day in enumerate(frame["date"]):
        window = series.reindex(pd.date_range(day - pd.Timedelta(days=before), periods=before + after, freq="D"))
        b, a = window[:before], window[before:]
        missing = window.index[window.isna()]
        bv, av = b.dropna().to_numpy(), a.dropna().to_numpy()
        row = {"method": method, "before_mean": float(bv.mean()) if len(bv) else np.nan,
               "after_mean": float(av.mean()) if len(av) else np.nan, "n_before": len(bv), "n_after": len(av),
               "missing_days": len(missing), "missing_dates": ",".join(f"{d:%Y-%m-%d}" for d in missing),
               "change": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_placebo": 0, "placebo_share": np.nan}
        flags = []
        others = [(_event_name(frame, j), other) for j, other in enumerate(frame["date"])
                  if j != i and window.index[0] <= other <= window.index[-1]]
        row["overlaps"] = "; ".join(f"{name} ({other:%Y-%m-%d})" for name, other in others)
        if others:
            flags.append(f"overlaps {len(others)} other event(s) in the windows: the change mixes their effects")
        if len(missing):
            flags.append(f"{len(missing)} day(s) missing from the windows")
        if len(bv) and bv.sum() == 0:
            flags.append("zero baseline: no activity before the event, so no ratio can be measured")
        elif len(bv) and bv.mean() < SMALL_COUNT_MEAN:
            flags.append(f"small counts: {bv.mean():.3g} a day before the event, so the ratio is unstable")
        if method == "naive":
            flags.append("descriptive only: plain means, no trend, weekly pattern or autocorrelation")
            if len(bv) and len(av) and bv.mean() > 0:
                row["change"] = av.mean() / bv.mean() - 1
                if min(len(bv), len(av)) >= min_days:
                    low, high, zero_share = _bootstrap_change(bv, av, rng, n_boot, level)
                    row["ci_low"], row["ci_high"] = low, high
                    if zero_share:
                        flags.append(f"no interval: {zero_share:.0%} of resampled baselines are 0")
                else:
                    flags.append(f"no interval: fewer than {min_days} days in a window")
        elif len(bv) < MIN_BEFORE_DAYS or len(av) < MIN_AFTER_DAYS:
            flags.append(f"too short for the model: {len(bv)} days before (needs {MIN_BEFORE_DAYS}) and "
                         f"{len(av)} from the event (needs {MIN_AFTER_DAYS}); method='naive' describes it")
        elif bv.sum() > 0:
            if len(bv) < DEFAULT_WINDOWS["its"][0]:
                flags.append(f"only {len(bv)} days before the event: below 42, false alarms ran to 12% in the "
                             "calibration (docs/event_change.md)")
            fit = fit_step(window, day, level)
            row["change"], row["ci_low"], row["ci_high"] = fit["change"], fit["ci_low"], fit["ci_high"]
            if fit["counts"]:
                flags.append("counts model (quasi-Poisson): small counts or zeros in the windows")
            if placebo and np.isfinite(fit["change"]):
                placebos = _placebos(series, day, before, after, level)
                row["n_placebo"] = len(placebos)
                if placebos:
                    size = abs(np.log1p(row["change"]))
                    larger = sum(abs(np.log1p(p["change"])) >= size for p in placebos)
                    row["placebo_share"] = larger / len(placebos)
                    if row["placebo_share"] > 0.05:
                        flags.append(f"not unusual: {larger} of {len(placebos)} placebo dates before the event "
                                     "show a change at least as large")
                    alarms = sum(p["ci_low"] > 0 or p["ci_high"] < 0 for p in placebos)
                    if alarms / len(placebos) > 1 / 3:
                        flags.append(f"unstable before the event: {alarms} of {len(placebos)} placebo dates "
                                     "show a change whose interval excludes 0")
                    if len(placebos) < 5:
                        flags.append(f"weak placebo check: only {len(placebos)} placebo date(s) before the event")
                else:
                    flags.append("no placebo check: too little data before the windows")
        row["counterfactual_mean"] = (row["after_mean"] / (1 + row["change"])
                                      if np.isfinite(row["change"]) else np.nan)
        row["ratio"] = row["change"] + 1
        row["flags"] = "; ".join(flags)
        results.append(row)
    out = pd.concat([frame, pd.DataFrame(results, index=frame.index, columns=WINDOW_COLUMNS[1:])], axis=1)
    return out
