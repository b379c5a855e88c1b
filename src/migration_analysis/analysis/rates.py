"""Rates, baselines and multipliers for surge figures; event windows on any daily series."""

from __future__ import annotations

import bisect

import pandas as pd

from ..data.schema import ARRIVAL_METRICS, METRIC_FAMILIES, METRIC_KINDS, SURGE_RATES
from ..formatting import is_flagged


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


def before_launch(surges: pd.DataFrame, platforms: pd.DataFrame | None) -> pd.Series:
    """Figures that may count days before their platform existed, so are no baseline.

    A period starting before the platform's founding year; or a month- or year-precision figure
    in the founding year itself, whose span may begin before the launch day (the Mastodon app's
    downloads "in 2021", the year it came out).
    """
    if platforms is None or "founded" not in platforms:
        return pd.Series(False, index=surges.index)
    founded = surges["platform"].map(dict(zip(platforms["platform"], platforms["founded"]))).astype("Float64")
    year = surges["period_start"].dt.year.astype("Float64")
    coarse = surges["date_precision"].astype(str) != "day"
    return ((year < founded) | ((year == founded) & coarse)).fillna(False).astype(bool)


def surge_windows(surges: pd.DataFrame, waves: pd.DataFrame | None) -> pd.Series:
    """For each figure, the wave (if any) whose window holds most of its days and lists its platform
    as a destination: a figure from inside a surge is no baseline for a figure outside it."""
    inside = pd.Series(pd.NA, index=surges.index, dtype="string")
    if waves is None or waves.empty:
        return inside
    days = (surges["period_end"] - surges["period_start"]).dt.days + 1
    for wave in waves.itertuples():
        first, last = pd.Timestamp(wave.start), pd.Timestamp(wave.end)
        overlap = (surges["period_end"].clip(upper=last) - surges["period_start"].clip(lower=first)).dt.days + 1
        goes_there = surges["platform"].isin(str(wave.destinations).split(" "))
        inside = inside.mask(inside.isna() & goes_there & (overlap.clip(lower=0) > days / 2), wave.wave)
    return inside


def _waves_holding(row, waves: pd.DataFrame | None) -> set[str]:
    if waves is None or waves.empty:
        return set()
    start = row.period_start
    return {w.wave for w in waves.itertuples()
            if pd.Timestamp(w.start) <= start <= pd.Timestamp(w.end) and row.platform in str(w.destinations).split(" ")}


class _BaselineIndex:
    """``choose_baseline`` for every figure in about n log n, not n²: per comparison group (and per
    reporter in it), the candidates sorted so that the preferred one among those ending before a day
    is the last one before it (found by bisection). A candidate's ``in_surge`` (if the column is there)
    names the wave whose surge it lies in: it serves only figures of that wave."""

    def __init__(self, usable: pd.DataFrame):
        ranked = usable.assign(not_derived=~usable["derived"].astype(bool)).sort_values(
            ["period_end", "period_start", "not_derived", "id"], ascending=[True, True, True, False], kind="mergesort")
        if "in_surge" not in ranked:
            ranked = ranked.assign(in_surge=pd.NA)
        ranked = ranked.assign(end_ns=ranked["period_end"].to_numpy("datetime64[ns]").astype("int64"))
        self.lists: dict[tuple, tuple[list[int], list[dict]]] = {}
        records = ranked.to_dict("records")
        for i, (group, reporter) in enumerate(zip(ranked["cmp_group"], ranked["reporter"])):
            for key in ((group,), (group, reporter)):
                ends, rows = self.lists.setdefault(key, ([], []))
                ends.append(records[i]["end_ns"])
                rows.append(records[i])

    def _last_before(self, key, day: pd.Timestamp, own: set[str]):
        ends, rows = self.lists.get(key, ([], []))
        i = bisect.bisect_left(ends, pd.Timestamp(day).value) - 1
        while i >= 0:  # a candidate inside another wave's surge is skipped, the next earlier one tried
            surge = rows[i]["in_surge"]
            if pd.isna(surge) or surge in own:
                return pd.Series(rows[i])
            i -= 1
        return None

    def best(self, row, own: set[str]):
        """The same reporter's preferred candidate, else anyone's (as ``choose_baseline`` ranks them)."""
        same = self._last_before((row.cmp_group, row.reporter), row.period_start, own)
        return same if same is not None else self._last_before((row.cmp_group,), row.period_start, own)


def surge_rates(surges: pd.DataFrame, *, waves: pd.DataFrame | None = None,
                platforms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every surge figure with ``per_day`` and, where a baseline exists, ``baseline_id`` and ``multiplier``.

    With ``platforms``, a figure that may count days before its platform existed is no baseline
    (``before_launch``); with ``waves``, a figure lying mostly inside a wave that sent users to its
    platform is no baseline for a figure outside that wave (``surge_windows``). ``cross_source``
    says the baseline comes from another reporter: such a multiplier compares two counting methods
    as much as two periods, so it stays out of headlines and records.
    """
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
    out["in_surge"] = surge_windows(out, waves)
    usable = out[out["cmp_level"].notna() & ~before_launch(out, platforms)]
    index = _BaselineIndex(usable)
    chosen = [index.best(row, _waves_holding(row, waves)) if pd.notna(row.cmp_level) else None
              for row in out.itertuples()]
    out["baseline_id"] = pd.array([b["id"] if b is not None else pd.NA for b in chosen], dtype="str")
    out["baseline_value"] = pd.array([b["cmp_level"] if b is not None else pd.NA for b in chosen], dtype="Float64")
    ratio = out["cmp_level"] / out["baseline_value"]
    out["multiplier"] = ratio.where(out["baseline_value"] > 0)
    out["cross_source"] = pd.array([pd.NA if b is None else b["reporter"] != r for b, r in zip(chosen, out["reporter"])],
                                   dtype="boolean")
    # Evidence columns come with processed facts; figures without them (a user's own) get them empty.
    out = out.reindex(columns=SURGE_RATES.column_names)
    return out.sort_values(list(SURGE_RATES.sort_by), kind="mergesort").reset_index(drop=True)


def quiet_baselines(rates: pd.DataFrame, start, end, before=None,
                    surges: tuple[tuple[str, str], ...] = (), surge: float = 2.0, recent_days: int = 90,
                    platforms: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures whose period starts in ``start``…``end``, each measured against a quiet baseline.

    ``surge_rates`` compares a figure with the latest earlier figure of its kind, which may itself
    be a surge (Parler's November 2020 spike). Here a baseline must end before ``before`` (default:
    ``start``, the wave's first day), must not lie mostly inside a known surge period in ``surges``
    (pairs of dates), and must not itself be a surge: a period shorter than a month that is ``surge`` times or
    more a baseline that ended within ``recent_days`` before it (growth over years is not a surge). Among those the
    usual preference applies (same reporter, latest end…); figures with no quiet baseline get none.
    With ``platforms``, a figure that may count days before its platform existed is no baseline
    (``before_launch``). Adds ``quiet_baseline_id``, ``quiet_baseline_start``/``_end``,
    ``quiet_baseline_value``, ``quiet_multiplier`` and ``quiet_cross_source`` (the baseline is
    another reporter's figure).
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
    quiet = frame[(frame["period_end"] < before) & frame["cmp_level"].notna() & ~surging & ~in_known_surge
                  & ~before_launch(frame, platforms)]
    rows = frame[(frame["period_start"] >= pd.Timestamp(start)) & (frame["period_start"] <= pd.Timestamp(end))]
    index = _BaselineIndex(quiet.drop(columns=["in_surge"], errors="ignore"))
    chosen = [index.best(row, set()) if pd.notna(row.cmp_level) else None for row in rows.itertuples()]
    out = rows.drop(columns=["cmp_level", "cmp_group"]).copy()
    out["quiet_baseline_id"] = pd.array([b["id"] if b is not None else pd.NA for b in chosen], dtype="string")
    out["quiet_baseline_start"] = [b["period_start"] if b is not None else pd.NaT for b in chosen]
    out["quiet_baseline_end"] = [b["period_end"] if b is not None else pd.NaT for b in chosen]
    out["quiet_baseline_value"] = pd.array([b["cmp_level"] if b is not None else pd.NA for b in chosen], dtype="Float64")
    own = rows["cmp_level"].astype("Float64")
    out["quiet_multiplier"] = (own / out["quiet_baseline_value"]).where(out["quiet_baseline_value"] > 0)
    out["quiet_cross_source"] = pd.array([pd.NA if b is None else b["reporter"] != r
                                          for b, r in zip(chosen, rows["reporter"])], dtype="boolean")
    return out.reset_index(drop=True)


def daily_series(surges: pd.DataFrame, platform: str, metric: str = "downloads", reporter: str | None = None,
                 geography: str | tuple[str, ...] = "worldwide") -> pd.Series:
    """The one-day figures of a platform as a daily Series (e.g. an analytics firm's daily downloads).

    Only figures whose period is a single day at day precision are used. If several rows give the
    same day (several sources quoting one estimate), they must agree; otherwise pass ``reporter``.
    ``geography`` is one value or a tuple (``("worldwide", "unstated")`` takes pages that name no region).
    """
    rows = _one_day_rows(surges, platform, metric, reporter, geography)
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


def _one_day_rows(surges: pd.DataFrame, platform: str, metric: str, reporter: str | None,
                  geography: str | tuple[str, ...]) -> pd.DataFrame:
    places = (geography,) if isinstance(geography, str) else tuple(geography)
    rows = surges[(surges["platform"] == platform) & (surges["metric"] == metric)
                  & surges["geography"].isin(places) & (surges["date_precision"] == "day")
                  & (surges["period_start"] == surges["period_end"])]
    return rows if reporter is None else rows[rows["reporter"] == reporter]


def weak_days(surges: pd.DataFrame, platform: str, metric: str = "downloads", reporter: str | None = None,
              geography: str | tuple[str, ...] = "worldwide") -> pd.DatetimeIndex:
    """The days of ``daily_series`` (same arguments) whose every figure rests on tier-4 pages alone."""
    rows = _one_day_rows(surges, platform, metric, reporter, geography)
    weak = is_flagged(rows["weakly_sourced"]).groupby(rows["period_start"].to_numpy()).all()
    return pd.DatetimeIndex(weak[weak].index, name="date")


def surge_points(rates: pd.DataFrame, value: str = "per_day", *, start, end,
                 geography: str | tuple[str, ...] = "worldwide", metrics: tuple[str, ...] = ARRIVAL_METRICS) -> pd.DataFrame:
    """The figures a surge chart draws: rows with ``value`` whose period starts in ``start``…``end``, in
    the given geography (one, or a tuple such as ``("worldwide", "unstated")``) and metrics."""
    places = (geography,) if isinstance(geography, str) else tuple(geography)
    rows = rates[(rates["period_start"] >= pd.Timestamp(start)) & (rates["period_start"] <= pd.Timestamp(end))
                 & rates["geography"].isin(places) & rates["metric"].isin(metrics) & rates[value].notna()]
    quiet = [c for c in rows.columns if c.startswith("quiet_")]  # from quiet_baselines
    cross = ["cross_source"] if "cross_source" in rows else []
    return rows[["id", "platform", "metric", "reporter", "claim_type", "derived", "geography", "period_start",
                 "period_end", "period_inferred", "value", "per_day", "baseline_id", "baseline_value", "multiplier",
                 *cross, *quiet, "weakly_sourced", "source_url"]].reset_index(drop=True)


def stock_points(rates: pd.DataFrame, platform: str, metric: str = "monthly_active_users") -> pd.DataFrame:
    """Every reported level of a stock metric for a platform, by date (e.g. Telegram's monthly users)."""
    return rates[(rates["platform"] == platform) & (rates["metric"] == metric)].sort_values("period_start")
