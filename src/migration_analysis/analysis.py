"""Rates, baselines and multipliers for surge figures; event windows on any daily series."""

from __future__ import annotations

import warnings

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


def choose_baseline(row, candidates: pd.DataFrame) -> pd.Series | None:
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


def quiet_baselines(rates: pd.DataFrame, start="2021-01-06", end="2021-01-17", before=None,
                    surges: tuple[tuple[str, str], ...] = (), surge: float = 2.0, recent_days: int = 90) -> pd.DataFrame:
    """Figures whose period starts in ``start``…``end``, each measured against a quiet baseline.

    ``surge_rates`` compares a figure with the latest earlier figure of its kind, which may itself
    be a surge (Parler's November 2020 spike). Here a baseline must end before ``before`` (default:
    ``start``, the wave's first day), must not lie mostly inside a known surge period in ``surges``
    (pairs of dates), and must not itself be a surge: a period shorter than a month that is ``surge`` times or
    more a baseline that ended within ``recent_days`` before it (growth over years is not a surge). Among those the
    usual preference applies (same reporter, latest end…); figures with no quiet baseline get none. Adds
    ``quiet_baseline_id``, ``quiet_baseline_start``/``_end``, ``quiet_baseline_value`` and
    ``quiet_multiplier``.
    """
    before = pd.Timestamp(before if before is not None else start)
    kinds = rates["metric"].astype(str).map(METRIC_KINDS)
    level = rates["per_day"].where(kinds != "stock", rates["value"])
    group = [(p, _family(m) if k != "stock" else m, g)
             for p, m, k, g in zip(rates["platform"], rates["metric"].astype(str), kinds, rates["geography"])]
    frame = rates.assign(cmp_level=level, cmp_group=group)
    base_end = frame["baseline_id"].map(dict(zip(frame["id"], frame["period_end"])))
    recent = (frame["period_start"] - pd.to_datetime(base_end)).dt.days <= recent_days
    short = (frame["period_end"] - frame["period_start"]).dt.days < 31  # a year's average is not a spike
    surging = (frame["multiplier"].fillna(0) >= surge) & recent.fillna(False) & short
    # In a known surge: more than half of the figure's days fall inside it (a year's average that
    # merely contains a surge month stays usable).
    days = (frame["period_end"] - frame["period_start"]).dt.days + 1
    in_known_surge = pd.Series(False, index=frame.index)
    for first, last in surges:
        overlap = (frame["period_end"].clip(upper=pd.Timestamp(last))
                   - frame["period_start"].clip(lower=pd.Timestamp(first))).dt.days + 1
        in_known_surge |= overlap.clip(lower=0) > days / 2
    quiet = frame[(frame["period_end"] < before) & frame["cmp_level"].notna() & ~surging & ~in_known_surge]
    rows = frame[(frame["period_start"] >= pd.Timestamp(start)) & (frame["period_start"] <= pd.Timestamp(end))]
    chosen = [choose_baseline(row, quiet[quiet["cmp_group"] == row.cmp_group]) if pd.notna(row.cmp_level) else None
              for row in rows.itertuples()]
    out = rows.drop(columns=["cmp_level", "cmp_group"]).copy()
    out["quiet_baseline_id"] = pd.array([b["id"] if b is not None else pd.NA for b in chosen], dtype="string")
    out["quiet_baseline_start"] = [b["period_start"] if b is not None else pd.NaT for b in chosen]
    out["quiet_baseline_end"] = [b["period_end"] if b is not None else pd.NaT for b in chosen]
    out["quiet_baseline_value"] = pd.array([b["cmp_level"] if b is not None else pd.NA for b in chosen], dtype="Float64")
    own = rows["cmp_level"].astype("Float64")
    out["quiet_multiplier"] = (own / out["quiet_baseline_value"]).where(out["quiet_baseline_value"] > 0)
    return out.reset_index(drop=True)


# --- event windows -------------------------------------------------------------------------------

WINDOW_COLUMNS = ["date", "before_mean", "after_mean", "ratio", "change", "ci_low", "ci_high",
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


def _event_frame(events, precision: str = "day") -> pd.DataFrame:
    if isinstance(events, pd.DataFrame):
        if "date" not in events.columns:
            raise ValueError("events DataFrame needs a 'date' column")
        frame = day_events(events, precision).reset_index(drop=True).copy()
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
                        n_boot: int = 2000, level: float = 0.95, seed: int = 0, precision: str = "day",
                        min_days: int = 3) -> pd.DataFrame:
    """Compare a daily series before and after each event.

    For an event on day D: ``before_mean`` is the mean of the ``before`` days D−before … D−1;
    ``after_mean`` the mean of D … D+after−1 (the event day counts as "after").
    ``ratio`` = after_mean ÷ before_mean (2.0: twice as high); ``change`` = ratio − 1 (+1.0 = +100%).
    ``ci_low``/``ci_high`` are a percentile bootstrap interval of ``change`` (``level``, ``n_boot``
    resamples of each window's days, seeded by ``seed`` so a rerun gives the same numbers), given
    only when each window has at least ``min_days`` days with data: resampling one or two days says
    nothing about uncertainty. Days absent from the series, or missing values, are not filled: the
    means use the days present and ``missing_days``/``missing_dates`` say which were absent.

    ``events`` is a list of dates or a DataFrame with a ``date`` column (its other columns are kept).
    With a ``date_precision`` column, only day-precision events are measured unless
    ``precision="any"`` (a warning names those left out). Returns one row per event.
    """
    if before < 1 or after < 1:
        raise ValueError("before and after must each be at least 1 day")
    series = _check_daily(series)
    frame = _event_frame(events, precision)
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
        enough = not np.isnan(change) and min(len(bv), len(av)) >= min_days
        low, high = _bootstrap_change(bv, av, rng, n_boot, level) if enough else (np.nan, np.nan)
        results.append({
            "before_mean": before_mean, "after_mean": after_mean, "ratio": change + 1, "change": change,
            "ci_low": low, "ci_high": high, "n_before": len(bv), "n_after": len(av),
            "missing_days": len(missing), "missing_dates": ",".join(f"{d:%Y-%m-%d}" for d in missing),
        })
    out = pd.concat([frame, pd.DataFrame(results, index=frame.index, columns=WINDOW_COLUMNS[1:])], axis=1)
    return out


def daily_series(surges: pd.DataFrame, platform: str, metric: str = "downloads", reporter: str | None = None,
                 geography: str | tuple[str, ...] = "worldwide") -> pd.Series:
    """The one-day figures of a platform as a daily Series (e.g. an analytics firm's daily downloads).

    Only figures whose period is a single day at day precision are used. If several rows give the
    same day (several sources quoting one estimate), they must agree; otherwise pass ``reporter``.
    ``geography`` is one value or a tuple (``("worldwide", "unstated")`` takes pages that name no region).
    """
    places = (geography,) if isinstance(geography, str) else tuple(geography)
    rows = surges[(surges["platform"] == platform) & (surges["metric"] == metric)
                  & surges["geography"].isin(places) & (surges["date_precision"] == "day")
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
        raise ValueError(f"sources disagree on {day:%Y-%m-%d} "
                         f"({sorted(rows.loc[rows.period_start == day, 'reporter'].unique())}); "
                         "pass reporter= to choose one")
    series = by_day.first().astype("float64")
    series.index = pd.DatetimeIndex(series.index, name="date")
    series.name = f"{platform} {metric}" + (f" ({reporter})" if reporter else "")
    return series


# --- ban durations -------------------------------------------------------------------------------

BANNING_ACTIONS = ("suspended", "permanently_suspended", "indefinitely_suspended", "banned", "removed")


def ban_durations(bans: pd.DataFrame, target_contains: str = "trump", start: str = "2021-01-01",
                  as_of: str | pd.Timestamp | None = None, targets: dict[str, str] | None = None) -> pd.DataFrame:
    """How long each platform's ban of a target lasted, one row per platform and target.

    Takes day-precision rows whose target contains ``target_contains`` (case-insensitive) and is
    one presence (an account, page or channel, not a community, store or group of accounts), or,
    with ``targets``, exactly the {platform: target} pairs given. The ban
    starts at the platform's first suspension, ban or removal on or after ``start`` (locks and
    restrictions do not count); it ends at the first reinstatement after that (a platform that
    restored the account twice has ``reinstated_last`` later than ``reinstated``).
    A ban with no reinstatement is ``in_force`` and runs to ``as_of`` (default: the latest date in
    ``bans``, so the result depends only on the data).
    """
    as_of = pd.Timestamp(as_of) if as_of is not None else bans["date"].max()
    rows = bans[bans["date_precision"] == "day"]
    if targets is not None:
        rows = rows[[targets.get(str(p)) == t for p, t in zip(rows["platform"], rows["target"])]]
    else:
        rows = rows[rows["target"].str.contains(target_contains, case=False, na=False)
                    & rows["target_type"].isin(["account", "page", "channel"])]
    out = []
    for (platform, _), group in rows.groupby(["platform", "target"], sort=False, observed=True):
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
