"""The unified timeline: bans, store removals and context events as one table of dated events."""

from __future__ import annotations

import pandas as pd

from .schema import EVENTS, action


def _names(platforms: pd.DataFrame) -> dict[str, str]:
    return dict(zip(platforms["platform"].astype(str), platforms["name"].astype(str)))


def _ban_label(row, names: dict[str, str]) -> str:
    label = f"{names.get(row.platform, row.platform)} {action(row.action).verb} {row.target}"
    if pd.notna(row.accounts_affected):
        label += f" ({int(row.accounts_affected):,} accounts)"
    return label


def make_events(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Build ``events`` from platforms and the processed account_bans, store_removals and context_events.

    One row per fact; ``source_url``, ``n_sources`` and ``best_tier`` come from the facts' evidence.
    """
    names = _names(tables["platforms"])
    bans = tables["account_bans"]
    stores = tables["store_removals"]
    context = tables["context_events"]
    parts = [
        pd.DataFrame({
            "event_id": bans["id"], "date": bans["date"], "date_precision": bans["date_precision"],
            "actor": bans["platform"], "platform": bans["platform"], "kind": "account_ban",
            "action": bans["action"].astype("str"), "target": bans["target"],
            "label": [_ban_label(r, names) for r in bans.itertuples()], "wave": bans["wave"],
            "source_url": bans["source_url"], "n_sources": bans["n_sources"], "best_tier": bans["best_tier"],
            "weakly_sourced": bans["weakly_sourced"],
        }),
        pd.DataFrame({
            "event_id": stores["id"], "date": stores["date"], "date_precision": stores["date_precision"],
            "actor": stores["provider"], "platform": stores["app"], "kind": "store_removal",
            "action": stores["action"].astype("str"),
            "target": [names.get(a, a) for a in stores["app"]],
            "label": [
                action(r.action).sentence.format(provider=names.get(r.provider, r.provider), app=names.get(r.app, r.app))
                for r in stores.itertuples()
            ],
            "wave": stores["wave"],
            "source_url": stores["source_url"], "n_sources": stores["n_sources"], "best_tier": stores["best_tier"],
            "weakly_sourced": stores["weakly_sourced"],
        }),
        pd.DataFrame({
            "event_id": context["id"], "date": context["date"], "date_precision": context["date_precision"],
            "actor": context["actor"], "platform": context["platform"], "kind": "context",
            "action": context["event_type"].astype("str"), "target": pd.NA,
            "label": context["description"], "wave": context["wave"], "source_url": context["source_url"],
            "n_sources": context["n_sources"], "best_tier": context["best_tier"],
            "weakly_sourced": context["weakly_sourced"],
        }),
    ]
    filled = [p for p in parts if len(p)]
    events = pd.concat(filled, ignore_index=True) if filled else pd.DataFrame(columns=EVENTS.column_names)
    events["date_precision"] = pd.Categorical(events["date_precision"].astype("str"),
                                              categories=EVENTS.column("date_precision").enum)
    events["kind"] = pd.Categorical(events["kind"], categories=EVENTS.column("kind").enum)
    for col in ("event_id", "actor", "platform", "action", "target", "label", "wave", "source_url"):
        events[col] = events[col].astype("str")
    events["date"] = pd.to_datetime(events["date"])
    for col in ("n_sources", "best_tier"):
        events[col] = events[col].astype("Int64")
    events["weakly_sourced"] = events["weakly_sourced"].astype("boolean")
    return events.sort_values(list(EVENTS.sort_by), kind="mergesort").reset_index(drop=True)[EVENTS.column_names]
