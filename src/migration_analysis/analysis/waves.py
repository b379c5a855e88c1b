"""Migration waves compared: what each wave holds, and one profile per wave and destination.

A profile answers the comparison questions (how big was the surge against a quiet baseline, how
fast did it peak, how much of it stayed) only from the wave's own facts, and says in ``gap`` what
is missing instead of guessing.
"""

from __future__ import annotations

import pandas as pd

from ..data.schema import (
    ARRIVAL_METRICS,
    FACT_TABLES,
    KEY_CONTEXT_TYPES,
    LEVEL_METRICS,
    PROCESSED_WAVES,
    WAVE_PROFILES,
    claim,
    claims_in,
)
from ..formatting import is_flagged
from .rates import quiet_baselines

# A wave's timeline shows a tenth of its window (at least 2 days) either side, and never fewer than this many days.
MIN_CHART_DAYS = 15

# A surge may run ahead of its trigger (users left TikTok in the days before the ruling), so a peak may
# end up to this many days before the wave starts; a figure that ends earlier is a baseline, not a peak.
PEAK_LEAD_DAYS = 7


def wave_facts(tables: dict[str, pd.DataFrame], wave: str | None = None) -> pd.DataFrame:
    """Every fact that belongs to a wave (or to ``wave``): its id, table, wave and evidence."""
    parts = [
        frame.loc[frame["wave"].notna(), ["id", "wave", "best_tier", "weakly_sourced"]].assign(table=table.name)
        for table in FACT_TABLES if table.name in tables and "wave" in (frame := tables[table.name])
    ]
    parts = [p for p in parts if len(p)]
    facts = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=["id", "wave", "best_tier", "weakly_sourced", "table"]))
    return facts if wave is None else facts[facts["wave"] == wave].reset_index(drop=True)


def wave_summary(waves: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``waves`` with how many facts and figures each holds and how well they are sourced."""
    facts = wave_facts(tables)
    surges = tables.get("user_surges")
    out = waves.copy()
    counts = facts.groupby("wave").size()
    figures = facts[facts["table"] == "user_surges"].groupby("wave").size()
    claims = (surges[surges["claim_type"].isin(claims_in("claim"))].groupby("wave", observed=True).size()
              if surges is not None and len(surges) else pd.Series(dtype="int64"))
    good = (facts["best_tier"] <= 2).fillna(False).groupby(facts["wave"]).mean()
    weak = facts["weakly_sourced"].fillna(False).astype(bool).groupby(facts["wave"]).sum()
    for column, series in (("n_facts", counts), ("n_surge_figures", figures), ("n_company_claims", claims),
                           ("n_weakly_sourced", weak)):
        out[column] = out["wave"].map(series).fillna(0).astype("Int64")
    out["tier12_share"] = out["wave"].map(good).astype("Float64")
    return out[PROCESSED_WAVES.column_names]


def _other_windows(waves: pd.DataFrame, wave: str, destination: str) -> tuple[tuple[str, str], ...]:
    """The windows of the other waves that sent users to ``destination`` (its surges, not another platform's)."""
    others = waves[(waves["wave"] != wave) & waves["destinations"].str.split(" ").apply(lambda d: destination in d)]
    return tuple((f"{s:%Y-%m-%d}", f"{e:%Y-%m-%d}") for s, e in zip(others["start"], others["end"]))


def _peak(figures: pd.DataFrame, quiet: pd.DataFrame, start: pd.Timestamp):
    arrivals = figures[figures["metric"].isin(ARRIVAL_METRICS) & figures["per_day"].notna()
                       & (figures["period_end"] >= start - pd.Timedelta(days=PEAK_LEAD_DAYS))]
    if arrivals.empty:
        return None, None
    baselines = quiet.set_index("id")
    with_base = arrivals[arrivals["id"].map(baselines["quiet_multiplier"]).notna()]
    pool = with_base if len(with_base) else arrivals
    peak = pool.sort_values(["per_day", "id"], ascending=[False, True], kind="mergesort").iloc[0]
    base = baselines.loc[peak["id"]] if peak["id"] in baselines.index else None
    return peak, base


def _later(figures: pd.DataFrame, after) -> tuple:
    levels = figures[figures["metric"].isin(LEVEL_METRICS)]
    if after is not None:
        levels = levels[levels["period_start"] > after]
    if levels.empty:
        return None, None
    later = levels.sort_values(["period_start", "id"], kind="mergesort").iloc[-1]
    same = figures[(figures["metric"] == later["metric"]) & (figures["geography"] == later["geography"])
                   & (figures["reporter"] == later["reporter"]) & (figures["period_start"] < later["period_start"])]
    high = same.sort_values(["value", "id"], ascending=[False, True], kind="mergesort").iloc[0] if len(same) else None
    return later, high


def wave_profiles(waves: pd.DataFrame, rates: pd.DataFrame, platforms: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per wave and destination platform: peak, quiet baseline and multiple, speed, later level.

    ``rates`` is ``surge_rates`` (each figure with its per-day rate). The peak's baseline must end
    before the wave starts, must not be a spike itself and must lie mostly outside the window of
    every other wave that sent users to the same platform, and must not predate the platform
    (``analysis.quiet_baselines``, given ``platforms``). ``cross_source`` says the baseline is another
    reporter's figure and ``weakly_sourced`` that the peak or its baseline rests on tier-4 pages
    alone; ``wave_records`` ranks neither. ``circumvention`` says the destination is a VPN service (a way
    around the block, not a new platform; needs ``platforms``). ``gap`` names what is missing.
    """
    weak = dict(zip(rates["id"], rates["weakly_sourced"])) if "weakly_sourced" in rates else {}
    category = dict(zip(platforms["platform"], platforms["category"].astype(str))) if platforms is not None else None
    rows = []
    for wave in waves.itertuples():
        start = pd.Timestamp(wave.start)
        mine = rates[rates["wave"] == wave.wave]
        for destination in str(wave.destinations).split(" "):
            figures = mine[mine["platform"] == destination]
            quiet = pd.DataFrame(columns=["id", "quiet_multiplier"])
            if len(figures):
                quiet = quiet_baselines(rates, start=figures["period_start"].min(), end=figures["period_start"].max(),
                                        before=start, surges=_other_windows(waves, wave.wave, destination),
                                        platforms=platforms)
                quiet = quiet[quiet["id"].isin(figures["id"])]
            peak, base = _peak(figures, quiet, start)
            later, high = _later(figures, peak["period_end"] if peak is not None else None)
            row = {"wave": wave.wave, "destination": destination, "n_figures": len(figures),
                   "circumvention": pd.NA if category is None else category.get(destination) == "vpn"}
            if peak is not None:
                row |= {"peak_id": peak["id"], "peak_metric": peak["metric"], "peak_reporter": peak["reporter"],
                        "peak_claim_type": peak["claim_type"], "peak_geography": peak["geography"],
                        "peak_start": peak["period_start"], "peak_end": peak["period_end"],
                        "peak_per_day": peak["per_day"], "days_to_peak": (peak["period_start"] - start).days}
            if base is not None and pd.notna(base["quiet_baseline_id"]):
                row |= {"baseline_id": base["quiet_baseline_id"], "baseline_start": base["quiet_baseline_start"],
                        "baseline_end": base["quiet_baseline_end"], "baseline_per_day": base["quiet_baseline_value"],
                        "peak_multiple": base["quiet_multiplier"],
                        "cross_source": bool(base["quiet_cross_source"])}
            if peak is not None:
                ids = [peak["id"], row.get("baseline_id")]
                row["weakly_sourced"] = any(bool(weak.get(i)) for i in ids if i and pd.notna(weak.get(i)))
            if later is not None:
                row |= {"later_id": later["id"], "later_metric": later["metric"], "later_date": later["period_start"],
                        "later_value": later["value"]}
                if high is not None and high["value"] > 0:
                    row |= {"high_id": high["id"], "later_ratio": later["value"] / high["value"]}
            row["gap"] = _gap(row, figures)
            rows.append(row)
    out = pd.DataFrame(rows, columns=WAVE_PROFILES.column_names)
    return out.sort_values(list(WAVE_PROFILES.sort_by), kind="mergesort").reset_index(drop=True)


def _gap(row: dict, figures: pd.DataFrame) -> str:
    if figures.empty:
        return "no surge figure for this platform in this wave"
    missing = []
    if "peak_id" not in row:
        arrivals = figures[figures["metric"].isin(ARRIVAL_METRICS) & figures["per_day"].notna()]
        if len(arrivals):
            missing.append("no arrival figure during the wave (the earlier ones serve only as baselines)")
        else:
            metrics = ", ".join(sorted({str(m).replace("_", " ") for m in figures["metric"]}))
            missing.append(f"no per-day arrival figure (downloads, new users or sign-ups), only {metrics}")
    elif "baseline_id" not in row:
        missing.append("no quiet baseline before the wave, so no multiple")
    if "later_id" not in row:
        missing.append("no later level of users")
    elif "high_id" not in row:
        missing.append("no earlier level to compare the later one with")
    return "; ".join(missing)


def wave_fact_list(tables: dict[str, pd.DataFrame], wave: str) -> pd.DataFrame:
    """A wave's facts as a reader reads them: dated events first, then its figures, each with its
    best page's tier and publisher."""
    events = tables["events"]
    dated = events[events["wave"] == wave]
    rates = tables["surge_rates"]
    figures = rates[rates["wave"] == wave]
    rows = [pd.DataFrame({"id": dated["event_id"], "date": dated["date"], "precision": dated["date_precision"],
                          "what": dated["label"], "best_tier": dated["best_tier"]}),
            pd.DataFrame({"id": figures["id"], "date": figures["period_start"], "precision": figures["date_precision"],
                          "what": [f"{p}: {v:,.0f} {str(m).replace('_', ' ')} ({r}, {claim(c).short})"
                                   for p, v, m, r, c in zip(figures["platform"], figures["value"], figures["metric"],
                                                            figures["reporter"], figures["claim_type"])],
                          "best_tier": figures["best_tier"]})]
    out = pd.concat([r for r in rows if len(r)], ignore_index=True) if any(len(r) for r in rows) else rows[0]
    out["precision"] = out["precision"].astype(str)
    return out.sort_values(["date", "id"], kind="mergesort").reset_index(drop=True)


def headline_profiles(profiles: pd.DataFrame) -> pd.DataFrame:
    """The profiles a headline may rest on: a peak multiple against the same reporter's baseline,
    with neither figure resting on tier-4 pages alone."""
    unfit = is_flagged(profiles["cross_source"]) | is_flagged(profiles["weakly_sourced"])
    return profiles[profiles["peak_multiple"].notna() & ~unfit]


def _best(pool: pd.DataFrame, column: str, ascending: bool) -> pd.DataFrame:
    """Every row tied for the best value of ``column`` (several waves can peak on their trigger's day)."""
    best = pool[column].min() if ascending else pool[column].max()
    return pool[pool[column] == best].sort_values(["wave", "destination"], kind="mergesort")


def wave_records(profiles: pd.DataFrame, waves: pd.DataFrame) -> pd.DataFrame:
    """The headline comparison: for each claim type, the largest peak multiple and the earliest peak
    (on or after the trigger), and the lowest later ratio (most of a surge lost).

    Only like-for-like, not weakly sourced multiples are ranked (``headline_profiles``); rows tied
    for a record are all returned, in wave order.
    """
    names = dict(zip(waves["wave"], waves["name"]))
    usable = headline_profiles(profiles)
    rows = []
    for claim_type, group in usable.groupby("peak_claim_type", observed=True):
        for measure, column, ascending in (("largest multiple", "peak_multiple", False),
                                           ("earliest peak (days after the trigger)", "days_to_peak", True)):
            # Speed counts from the trigger: a figure whose period began before it is not ranked.
            pool = group[group["days_to_peak"] >= 0] if column == "days_to_peak" else group
            if pool.empty:
                continue
            for best in _best(pool, column, ascending).itertuples():
                rows.append({"measure": measure, "claim_type": claim_type, "wave": names.get(best.wave, best.wave),
                             "destination": best.destination, "value": float(getattr(best, column)),
                             "peak_id": best.peak_id, "baseline_id": best.baseline_id})
    kept = profiles[profiles["later_ratio"].notna()]
    if len(kept):
        for low in _best(kept, "later_ratio", True).itertuples():
            rows.append({"measure": "lowest later level ÷ earlier high", "claim_type": pd.NA,
                         "wave": names.get(low.wave, low.wave), "destination": low.destination,
                         "value": float(low.later_ratio), "peak_id": low.later_id, "baseline_id": low.high_id})
    return pd.DataFrame(rows, columns=["measure", "claim_type", "wave", "destination", "value", "peak_id", "baseline_id"])


def compared_points(profiles: pd.DataFrame) -> pd.DataFrame:
    """The profiles the comparison chart draws: a peak with a quiet baseline (a multiple) and a speed."""
    return profiles[profiles["peak_multiple"].notna() & profiles["days_to_peak"].notna()].reset_index(drop=True)


def wave_window(waves: pd.DataFrame, wave: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of a wave's main window."""
    row = waves.set_index("wave").loc[wave]
    return pd.Timestamp(row["start"]), pd.Timestamp(row["end"])


def trigger_ids(waves: pd.DataFrame, wave: str) -> list[str]:
    """The ids of the facts that set ``wave`` off (``waves.trigger_ids``)."""
    return str(waves.set_index("wave").loc[wave, "trigger_ids"]).split(" ")


def wave_chart_window(waves: pd.DataFrame, wave: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days a wave's timeline shows: its window with a tenth of its length (at least 2 days) added
    either side, widened evenly to ``MIN_CHART_DAYS`` (a one-day wave is still a readable chart)."""
    start, end = wave_window(waves, wave)
    pad = pd.Timedelta(days=max(2, round(((end - start).days + 1) * 0.1)))
    start, end = start - pad, end + pad
    short = MIN_CHART_DAYS - ((end - start).days + 1)
    if short > 0:
        start, end = start - pd.Timedelta(days=-(-short // 2)), end + pd.Timedelta(days=short // 2)
    return start, end


def wave_triggers(events: pd.DataFrame, waves: pd.DataFrame, wave: str) -> pd.DataFrame:
    """The wave's triggers (``waves.trigger_ids``) known to the day, labelled with their kind ('court ruling')."""
    triggers = trigger_ids(waves, wave)
    rows = events[events["event_id"].isin(triggers) & (events["date_precision"] == "day")]
    kinds = rows["action"].astype(str).str.replace("_", " ")
    return rows.assign(label=kinds)[["event_id", "date", "label"]].sort_values("date").reset_index(drop=True)


def wave_arrivals(rates: pd.DataFrame, waves: pd.DataFrame, wave: str, start=None, end=None) -> pd.DataFrame:
    """The wave's arrival figures (downloads, new users, sign-ups) with a per-day rate whose period meets
    ``start``…``end`` (by default the wave's chart window, ``wave_chart_window``), earliest first."""
    if start is None or end is None:
        start, end = wave_chart_window(waves, wave)
    rows = rates[(rates["wave"] == wave) & rates["metric"].isin(ARRIVAL_METRICS) & rates["per_day"].notna()
                 & (rates["period_end"] >= pd.Timestamp(start)) & (rates["period_start"] <= pd.Timestamp(end))]
    columns = ["id", "platform", "metric", "reporter", "claim_type", "geography", "period_start", "period_end",
               "per_day", "weakly_sourced", "source_url"]
    return rows[columns].sort_values(["period_start", "id"], kind="mergesort").reset_index(drop=True)


def wave_context(events: pd.DataFrame, waves: pd.DataFrame, wave: str) -> pd.DataFrame:
    """The wave's day-precision context events that are its triggers or of a key kind
    (``schema.KEY_CONTEXT_TYPES``: attacks, elections, acts of states and courts), labelled with what kind
    of event each is (statements and milestones are left to the tables)."""
    triggers = trigger_ids(waves, wave)
    rows = events[(events["wave"] == wave) & (events["kind"] == "context") & (events["date_precision"] == "day")
                  & (events["event_id"].isin(triggers) | events["action"].isin(KEY_CONTEXT_TYPES))]
    return rows.assign(label=rows["action"].astype(str).str.replace("_", " "))[["event_id", "date", "label"]]
