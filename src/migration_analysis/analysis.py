"""Rates, baselines and multipliers for surge figures; event windows on any daily series."""

from __future__ import annotations

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
    return out[SURGE_RATES.column_names].sort_values(list(SURGE_RATES.sort_by), kind="mergesort").reset_index(drop=True)
