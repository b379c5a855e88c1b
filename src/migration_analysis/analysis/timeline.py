"""What a day-by-day timeline shows: the actions in a window, one lane per actor, and which of an
actor's actions on a day its label names."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.schema import STATE_ACT_TYPES, action, actions_in, severity
from ..formatting import day_text, is_flagged

# A label longer than this is left to the CSV twin rather than cut mid-word.
MAX_TARGET_CHARS = 30


def timeline_lanes(events: pd.DataFrame, start, end, *, include_context: bool = False) -> pd.DataFrame:
    """Day-precision bans and store actions in ``start``…``end``, one row per (day, actor, platform, action);
    with ``include_context``, the context events known to the day too (a wave's timeline draws them all).

    ``facts`` counts the events in the row (several accounts banned the same day by one platform);
    ``sources`` counts the cited pages behind them; ``target`` names every distinct target, joined
    by "; "; ``weak`` says every event in the row rests on tier-4 pages alone.
    """
    window = events[(events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
                    & (events["date_precision"] == "day") & (include_context | (events["kind"] != "context"))]
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
        more = int(group["facts"].sum()) - 1
        plus = f" (+{more})" if more else ""
        if main.kind == "context":  # its kind, and the platform it concerns unless that is the actor itself
            words = "event" if str(main.action) == "other" else str(main.action).replace("_", " ")
            concerns = "" if pd.isna(main.platform) or main.platform == actor else names.get(main.platform, main.platform)
            label, compact = f"{words} {short_target(concerns, omit_targets)}".strip(), words
        else:
            target = main.target if main.kind != "store_removal" else names.get(main.platform, main.target)
            meaning = action(main.action)
            label, compact = f"{meaning.label} {short_target(target, omit_targets)}".strip(), meaning.compact or meaning.label
        weak = is_flagged(group["weak"]).all() if "weak" in group else False
        is_return = bool(group["action"].isin(actions_in("return")).all())
        is_store = bool((group["kind"] == "store_removal").any())
        rows.append({
            "date": day, "actor": actor, "action": main.action, "is_return": is_return, "is_store": is_store,
            "drawn_as": mark_shape(main.kind, main.action, is_return, is_store),
            "label": label + plus,
            "compact": compact + plus,
            "rank": (severity(main.action), -int(group["sources"].sum())),
            "facts": int(group["facts"].sum()),
            "weak": bool(weak),
        })
    columns = ["date", "actor", "action", "is_return", "is_store", "drawn_as", "label", "compact", "rank", "facts", "weak"]
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


def mark_shape(kind: str, action_name: str, is_return: bool, is_store: bool) -> str:
    """How a day's mark is drawn (see ``timeline_marks``): a return, then a store or provider action, then an
    account action, then an act of a state or court, then any other event."""
    if is_return:
        return "return"
    if is_store:
        return "store"
    if kind != "context":
        return "ban"
    return "state" if str(action_name) in STATE_ACT_TYPES else "event"


def facts_by_mark(lanes: pd.DataFrame) -> pd.Series:
    """How many facts of ``timeline_lanes`` are drawn as each kind of mark (``mark_shape`` of each row), by
    ``drawn_as``: what a timeline's subtitle counts."""
    shapes = [mark_shape(k, a, a in actions_in("return"), k == "store_removal")
              for k, a in zip(lanes["kind"], lanes["action"])]
    return lanes.assign(drawn_as=shapes).groupby("drawn_as")["facts"].sum()


def lane_order(lanes: pd.DataFrame) -> list[str]:
    """Actors top to bottom: acts of states and courts first, then account actions, store and provider
    actions, then other events (statements, milestones); each group in order of its actors' first mark."""
    if lanes.empty:
        return []
    kind, act = lanes["kind"].astype(str), lanes["action"].astype(str)
    group = np.select([kind == "store_removal", (kind == "context") & act.isin(STATE_ACT_TYPES), kind == "context"],
                      [2, 0, 3], default=1)
    # An actor's lane sits in the highest group any of its marks belongs to, placed by its first mark there.
    return (lanes.assign(group=group).sort_values(["group", "date"], kind="mergesort")
            .drop_duplicates("actor")["actor"].tolist())
