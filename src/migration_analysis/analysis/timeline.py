"""What a day-by-day timeline shows: the actions in a window, one lane per actor, and which of an
actor's actions on a day its label names."""

from __future__ import annotations

import pandas as pd

from ..data.schema import action, actions_in, severity
from ..formatting import day_text, is_flagged

# A label longer than this is left to the CSV twin rather than cut mid-word.
MAX_TARGET_CHARS = 30


def timeline_lanes(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """Day-precision bans and store actions in ``start``…``end``, one row per (day, actor, platform, action).

    ``facts`` counts the events in the row (several accounts banned the same day by one platform);
    ``sources`` counts the cited pages behind them; ``target`` names every distinct target, joined
    by "; "; ``weak`` says every event in the row rests on tier-4 pages alone.
    """
    window = events[(events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
                    & (events["date_precision"] == "day") & (events["kind"] != "context")]
    weak = is_flagged(window["weakly_sourced"]) if "weakly_sourced" in window else False
    return (window.assign(weak=weak)
            .groupby(["date", "actor", "platform", "kind", "action"], observed=True, dropna=False)
            .agg(facts=("event_id", "size"), sources=("n_sources", "sum"),
                 event_ids=("event_id", lambda s: ",".join(sorted(s))),
                 target=("target", lambda s: "; ".join(dict.fromkeys(str(v) for v in s.dropna())) or pd.NA),
                 weak=("weak", "all"))
            .reset_index())


def short_target(target, omit: tuple[str, ...] = ()) -> str:
    """The target as a label names it: empty when it contains a word of ``omit`` (the chart's subject,
    said in its title) or is longer than ``MAX_TARGET_CHARS``."""
    text = "" if pd.isna(target) else str(target)
    if not text or any(word in text.lower() for word in omit) or len(text) > MAX_TARGET_CHARS:
        return ""
    return text


def timeline_marks(lanes: pd.DataFrame, names: dict[str, str] | None = None,
                   omit_targets: tuple[str, ...] = ()) -> pd.DataFrame:
    """One mark per (day, actor) of ``timeline_lanes``: what it is and what its label says.

    The label names the most severe of the actor's actions that day (``schema.ACTIONS`` order) and its
    target (a store action names the app, by its display name from ``names``), with "(+n)" for the n
    other actions; ``compact`` is the fallback when the label has no room. A mark on the day after
    another of the same actor leaves its neighbour no room, so the earlier mark's words open the later
    one's label ("locked 6 Jan, then suspended indefinitely") and the earlier label is empty: no
    marker goes unexplained. ``rank`` orders the labels for placement: the most severe first, then the
    one more pages report. ``is_return``: every action that day is a return; ``is_store``: one of them
    is a store or provider action; ``weak``: every action that day rests on tier-4 pages alone.
    """
    names = names or {}
    rows = []
    for (day, actor), group in lanes.groupby(["date", "actor"], sort=True):
        main = min(group.itertuples(), key=lambda r: severity(r.action))
        target = main.target if main.kind != "store_removal" else names.get(main.platform, main.target)
        more = int(group["facts"].sum()) - 1
        plus = f" (+{more})" if more else ""
        meaning = action(main.action)
        weak = is_flagged(group["weak"]).all() if "weak" in group else False
        rows.append({
            "date": day, "actor": actor, "action": main.action,
            "is_return": bool(group["action"].isin(actions_in("return")).all()),
            "is_store": bool((group["kind"] == "store_removal").any()),
            "label": f"{meaning.label} {short_target(target, omit_targets)}".strip() + plus,
            "compact": (meaning.compact or meaning.label) + plus,
            "rank": (severity(main.action), -int(group["sources"].sum())),
            "facts": int(group["facts"].sum()),
            "weak": bool(weak),
        })
    columns = ["date", "actor", "action", "is_return", "is_store", "label", "compact", "rank", "facts", "weak"]
    marks = pd.DataFrame(rows, columns=columns)
    for _actor, group in marks.groupby("actor", sort=False):
        previous = None
        for index in group.sort_values("date").index:
            if previous is not None and (marks.at[index, "date"] - marks.at[previous, "date"]).days == 1:
                said = f"{marks.at[previous, 'compact']} {day_text(marks.at[previous, 'date'], year=False)}, then "
                marks.at[index, "label"] = said + marks.at[index, "label"]
                marks.at[index, "compact"] = said + marks.at[index, "compact"]
                marks.at[previous, "label"] = marks.at[previous, "compact"] = ""
            previous = index
    return marks


def lane_order(lanes: pd.DataFrame) -> list[str]:
    """Actors top to bottom: account actions first, each group in order of its first action."""
    return (lanes.assign(store=lanes["kind"] == "store_removal").sort_values(["store", "date"])
            .drop_duplicates("actor")["actor"].tolist())
