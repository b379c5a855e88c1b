"""Summaries a reader asks of the dataset first: what is in it, where it comes from, where sources disagree."""

from __future__ import annotations

import pandas as pd

from . import schema

_DATE_COLUMN = {"account_bans": "date", "store_removals": "date", "context_events": "date", "user_surges": "period_start"}


def table_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per raw table: rows, distinct sources and publishers, first and last date."""
    rows = []
    for table in schema.RAW_TABLES:
        frame = tables[table.name]
        date = _DATE_COLUMN.get(table.name)
        rows.append({
            "table": table.name,
            "rows": len(frame),
            "sources": frame["source_url"].nunique(),
            "publishers": frame["source_publisher"].nunique(),
            "first": frame[date].min() if date else pd.NaT,
            "last": frame[date].max() if date else pd.NaT,
        })
    return pd.DataFrame(rows)


def sources_by_publisher(tables: dict[str, pd.DataFrame], top: int = 15) -> pd.DataFrame:
    """The publishers cited most often, with how many rows and distinct pages cite each."""
    cited = pd.concat([tables[t.name][["source_publisher", "source_url"]] for t in schema.RAW_TABLES])
    out = (cited.groupby("source_publisher")
           .agg(rows=("source_url", "size"), pages=("source_url", "nunique"))
           .sort_values(["rows", "pages"], ascending=False, kind="mergesort"))
    return out.head(top).reset_index()


def _spread(frame: pd.DataFrame, keys: list[str], field: str, table: str, label) -> list[dict]:
    out = []
    for key, group in frame.groupby(keys, observed=True, dropna=False):
        values = group[field].dropna()
        if values.nunique() > 1 and group["source_url"].nunique() > 1:
            shown = sorted(values.unique())
            out.append({
                "table": table,
                "fact": label(key if isinstance(key, tuple) else (key,)),
                "field": field,
                "values": " / ".join(v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else f"{v:,.0f}"
                                     if isinstance(v, float) else str(v) for v in shown),
                "ids": ",".join(sorted(group["id"])),
            })
    return out


def find_disagreements(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Facts the sources give differently, kept side by side in the data.

    - the same action on the same target by the same platform or provider, dated differently
      (day-precision rows only), and follower counts reported differently for it;
    - the same surge figure (platform, metric, geography, period) given different values.
    """
    bans = tables["account_bans"]
    bans = bans[bans["date_precision"] == "day"]
    stores = tables["store_removals"]
    stores = stores[stores["date_precision"] == "day"]
    surges = tables["user_surges"]
    found = []
    # Actions that happen once per target: a second date for them is a disagreement, not a second event.
    once = bans[bans["action"].isin(["permanently_suspended", "indefinitely_suspended", "banned", "reinstated"])]
    found += _spread(once, ["platform", "target", "action"], "date", "account_bans",
                     lambda k: f"{k[0]} {str(k[2]).replace('_', ' ')} {k[1]}")
    found += _spread(bans, ["platform", "target", "action", "date"], "followers", "account_bans",
                     lambda k: f"{k[0]} {str(k[2]).replace('_', ' ')} {k[1]} on {k[3]:%Y-%m-%d}: followers")
    found += _spread(stores[stores["action"].isin(["removed", "cut_off", "reinstated", "back_online", "service_started"])],
                     ["app", "provider", "action"], "date", "store_removals",
                     lambda k: f"{k[1]} {str(k[2]).replace('_', ' ')} {k[0]}")
    found += _spread(surges, ["platform", "metric", "geography", "period_start", "period_end"], "value", "user_surges",
                     lambda k: f"{k[0]} {k[1]} ({k[2]}) {k[3]:%Y-%m-%d} to {k[4]:%Y-%m-%d}")
    return pd.DataFrame(found, columns=["table", "fact", "field", "values", "ids"])


def events_per_day(events: pd.DataFrame, start: str = "2021-01-06", end: str = "2021-01-21") -> pd.DataFrame:
    """Day-precision events per day and kind in a window (one count per row, so per source)."""
    window = events[(events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
                    & (events["date_precision"] == "day")]
    table = pd.crosstab(window["date"], window["kind"]).reindex(
        pd.date_range(start, end, freq="D", name="date"), fill_value=0)
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table


def top_multipliers(rates: pd.DataFrame, start: str = "2021-01-06", end: str = "2021-01-17", n: int = 10) -> pd.DataFrame:
    """The largest multipliers of figures whose period starts in the window, with their baselines."""
    rows = rates[(rates["period_start"] >= pd.Timestamp(start)) & (rates["period_start"] <= pd.Timestamp(end))
                 & rates["multiplier"].notna()]
    base = rates.set_index("id")
    out = rows.sort_values("multiplier", ascending=False, kind="mergesort").head(n)
    return pd.DataFrame({
        "id": out["id"].to_numpy(), "platform": out["platform"].to_numpy(), "metric": out["metric"].astype(str).to_numpy(),
        "period": [f"{a:%-d %b} to {b:%-d %b %Y}" for a, b in zip(out["period_start"], out["period_end"])],
        "per_day": out["per_day"].round(0).to_numpy(), "reporter": out["reporter"].to_numpy(),
        "baseline_id": out["baseline_id"].to_numpy(),
        "baseline_period": [f"{base.loc[b, 'period_start']:%-d %b %Y} to {base.loc[b, 'period_end']:%-d %b %Y}"
                            for b in out["baseline_id"]],
        "baseline_per_day": out["baseline_value"].round(0).to_numpy(),
        "multiplier": out["multiplier"].round(1).to_numpy(),
    })
