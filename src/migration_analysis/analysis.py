"""Rates, baselines and multipliers for surge figures; event windows on any daily series."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import METRIC_FAMILIES, METRIC_KINDS, SURGE_RATES


def period_days(surges: pd.DataFrame) -> pd.Series:
    """Days in each period, counted inclusively, where the span is known.

    A day-precision period is known. A month- or year-precision period is known only when it is
    given as a range (2020-01-01 to 2020-12-31); a single month-precision date ("in January") is not.
    """
    days = (surges["period_end"] - surges["period_start"]).dt.days + 1
    known = (surges["date_precision"] == "day") | (surges["period_end"] > surges["period_start"])
    return days.where(known).astype("Int64")


def per_day_rate(surges: pd.DataFrame) -> pd.Series:
    """Flows: value ÷ days; rates: the value itself; stocks: missing."""
    kinds = surges["metric"].astype(str).map(METRIC_KINDS)
    days = period_days(surges)
    flow = surges["value"] / days.astype("Float64")
    rate = surges["value"].where(kinds == "rate")
    return flow.where(kinds == "flow").fillna(rate).astype("Float64")


def _family(metric: str) -> str:
    return METRIC_FAMILIES.get(metric, metric)


def choose_baseline(row, candidates: pd.DataFrame):
    """The figure ``row`` is compared with, or None.

    Candidates are figures of the same platform, metric family (stocks: the same metric) and
    geography whose period ends before ``row``'s starts. Among them we prefer, in this order: the
    same reporter; the latest end; the latest start (the shortest such period); an underived
    (not derived) figure; the smallest id.
    """
    earlier = candidates[candidates["period_end"] < row.period_start]
    if earlier.empty:
        return None
    ranked = earlier.assign(
        same_reporter=earlier["reporter"] == row.reporter,
        not_derived=~earlier["derived"].astype(bool),
    ).sort_values(
        ["same_reporter", "period_end", "period_start", "not_derived", "id"],
        ascending=[False, False, False, False, True], kind="mergesort",
    )
    return ranked.iloc[0]


def surge_rates(surges: pd.DataFrame) -> pd.DataFrame:
    """Every surge figure with ``per_day`` and, where a baseline exists, ``baseline_id`` and ``multiplier``."""
    out = surges.copy()
    kinds = out["metric"].astype(str).map(METRIC_KINDS)
    out["metric_kind"] = pd.Categorical(kinds, categories=SURGE_RATES.column("metric_kind").enum)
    out["days"] = period_days(out).where(kinds != "stock")
    out["per_day"] = per_day_rate(out)
    # What is compared: per-day rates for flows and rates, levels for stocks.
    out["cmp_level"] = out["per_day"].where(kinds != "stock", out["value"])
    out["cmp_group"] = [
        (p, _family(m) if k != "stock" else m, g)
        for p, m, k, g in zip(out["platform"], out["metric"].astype(str), kinds, out["geography"])
    ]
    baseline_id, baseline_value = [], []
    usable = out[out["cmp_level"].notna()]
    groups = {key: frame for key, frame in usable.groupby("cmp_group", sort=False)}
    for row in out.itertuples():
        base = None
        if pd.notna(row.cmp_level) and row.cmp_group in groups:
            base = choose_baseline(row, groups[row.cmp_group])
        baseline_id.append(base["id"] if base is not None else pd.NA)
        baseline_value.append(base["cmp_level"] if base is not None else pd.NA)
    out["baseline_id"] = pd.array(baseline_id, dtype="str")
    out["baseline_value"] = pd.array(baseline_value, dtype="Float64")
    ratio = out["cmp_level"] / out["baseline_value"]
    out["multiplier"] = ratio.where(out["baseline_value"] > 0)
    # Evidence columns come with processed facts; figures without them (a user's own) get them empty.
    out = out.reindex(columns=SURGE_RATES.column_names)
    return out.sort_values(list(SURGE_RATES.sort_by), kind="mergesort").reset_index(drop=True)


# --- event windows -------------------------------------------------------------------------------

WINDOW_COLUMNS = ["date", "before_mean", "after_mean", "change", "ci_low", "ci_high",
                  "n_before", "n_after", "missing_days", "missing_dates"]


def _check_daily(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
        raise TypeError("series must be a pandas Series on a DatetimeIndex")
    index = series.index
    if index.tz is not None:
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
    return series.astype("float64")


def _event_frame(events) -> pd.DataFrame:
    if isinstance(events, pd.DataFrame):
        if "date" not in events.columns:
            raise ValueError("events DataFrame needs a 'date' column")
        frame = events.reset_index(drop=True).copy()
    else:
        frame = pd.DataFrame({"date": list(events)})
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize()
    return frame


def _bootstrap_change(before: np.ndarray, after: np.ndarray, rng: np.random.Generator,
                      n_boot: int, level: float) -> tuple[float, float]:
    """Percentile interval of after-mean ÷ before-mean − 1, resampling each window's days."""
    b = rng.choice(before, size=(n_boot, len(before)), replace=True).mean(axis=1)
    a = rng.choice(after, size=(n_boot, len(after)), replace=True).mean(axis=1)
    valid = b > 0
    if not valid.any():
        return np.nan, np.nan
    changes = a[valid] / b[valid] - 1
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(changes, [tail, 100 - tail])
    return float(low), float(high)


def event_window_change(series: pd.Series, events, before: int = 7, after: int = 7, *,
                        n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Compare a daily series before and after each event.

    For an event on day D: ``before_mean`` is the mean of the ``before`` days D−before … D−1;
    ``after_mean`` the mean of D … D+after−1 (the event day counts as "after").
    ``change`` = after_mean ÷ before_mean − 1. ``ci_low``/``ci_high`` are a percentile bootstrap
    interval (``level``, ``n_boot`` resamples of each window's days, seeded by ``seed`` so a rerun
    gives the same numbers). Days absent from the series, or missing values, are not filled: the
    means use the days present and ``missing_days``/``missing_dates`` say which were absent.

    ``events`` is a list of dates or a DataFrame with a ``date`` column (its other columns are kept).
    Returns one row per event.
    """
    if before < 1 or after < 1:
        raise ValueError("before and after must each be at least 1 day")
    series = _check_daily(series)
    frame = _event_frame(events)
    rng = np.random.default_rng(seed)
    results = []
    for day in frame["date"]:
        window_before = pd.date_range(day - pd.Timedelta(days=before), periods=before, freq="D")
        window_after = pd.date_range(day, periods=after, freq="D")
        b = series.reindex(window_before)
        a = series.reindex(window_after)
        missing = [d for d, v in list(b.items()) + list(a.items()) if pd.isna(v)]
        bv, av = b.dropna().to_numpy(), a.dropna().to_numpy()
        before_mean = float(bv.mean()) if len(bv) else np.nan
        after_mean = float(av.mean()) if len(av) else np.nan
        change = after_mean / before_mean - 1 if len(bv) and len(av) and before_mean > 0 else np.nan
        low, high = _bootstrap_change(bv, av, rng, n_boot, level) if not np.isnan(change) else (np.nan, np.nan)
        results.append({
            "before_mean": before_mean, "after_mean": after_mean, "change": change,
            "ci_low": low, "ci_high": high, "n_before": len(bv), "n_after": len(av),
            "missing_days": len(missing), "missing_dates": ",".join(f"{d:%Y-%m-%d}" for d in missing),
        })
    out = pd.concat([frame, pd.DataFrame(results, index=frame.index, columns=WINDOW_COLUMNS[1:])], axis=1)
    return out


def daily_series(surges: pd.DataFrame, platform: str, metric: str = "downloads", reporter: str | None = None,
                 geography: str = "worldwide") -> pd.Series:
    """The one-day figures of a platform as a daily Series (e.g. an analytics firm's daily downloads).

    Only figures whose period is a single day at day precision are used. If several rows give the
    same day (several sources quoting one estimate), they must agree; otherwise pass ``reporter``.
    """
    rows = surges[(surges["platform"] == platform) & (surges["metric"] == metric)
                  & (surges["geography"] == geography) & (surges["date_precision"] == "day")
                  & (surges["period_start"] == surges["period_end"])]
    if reporter is not None:
        rows = rows[rows["reporter"] == reporter]
    if rows.empty:
        raise KeyError(f"no one-day {metric} figures for {platform} ({geography})"
                       + (f" from {reporter}" if reporter else ""))
    by_day = rows.groupby("period_start")["value"]
    clash = by_day.nunique() > 1
    if clash.any():
        day = clash[clash].index[0]
        raise ValueError(f"sources disagree on {day:%Y-%m-%d} ({sorted(rows.loc[rows.period_start == day, 'reporter'].unique())}); "
                         "pass reporter= to choose one")
    series = by_day.first().astype("float64")
    series.index = pd.DatetimeIndex(series.index, name="date")
    series.name = f"{platform} {metric}" + (f" ({reporter})" if reporter else "")
    return series


# --- ban durations -------------------------------------------------------------------------------

BANNING_ACTIONS = ("suspended", "permanently_suspended", "indefinitely_suspended", "banned", "removed")


def ban_durations(bans: pd.DataFrame, target_contains: str = "trump", start: str = "2021-01-01",
                  as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """How long each platform's ban of a target lasted, one row per platform.

    Takes day-precision rows whose target contains ``target_contains`` (case-insensitive). The ban
    starts at the platform's first suspension, ban or removal on or after ``start`` (locks and
    restrictions do not count); it ends at the first reinstatement after that (a platform that
    restored the account twice has ``reinstated_last`` later than ``reinstated``).
    A ban with no reinstatement is ``in_force`` and runs to ``as_of`` (default: the latest date in
    ``bans``, so the result depends only on the data).
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else bans["date"].max()
    rows = bans[(bans["date_precision"] == "day")
                & bans["target"].str.contains(target_contains, case=False, na=False)]
    out = []
    for platform, group in rows.groupby("platform", sort=False, observed=True):
        bans_ = group[group["action"].isin(BANNING_ACTIONS) & (group["date"] >= pd.Timestamp(start))]
        if bans_.empty:
            continue
        banned = bans_["date"].min()
        returns = group[(group["action"] == "reinstated") & (group["date"] > banned)]
        first = returns["date"].min() if len(returns) else pd.NaT
        end = first if len(returns) else as_of
        out.append({
            "platform": platform,
            "target": bans_.loc[bans_["date"] == banned, "target"].iloc[0],
            "banned": banned,
            "reinstated": first,
            "reinstated_last": returns["date"].max() if len(returns) else pd.NaT,
            "in_force": returns.empty,
            "days": int((end - banned).days),
            "ban_ids": ",".join(sorted(bans_.loc[bans_["date"] == banned, "id"])),
            "reinstated_ids": ",".join(sorted(returns["id"])),
        })
    columns = ["platform", "target", "banned", "reinstated", "reinstated_last", "in_force", "days",
               "ban_ids", "reinstated_ids"]
    return pd.DataFrame(out, columns=columns).sort_values(["in_force", "days"], ascending=[True, True],
                                                          kind="mergesort").reset_index(drop=True)
