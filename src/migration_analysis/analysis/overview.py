"""Summaries a reader asks of the dataset first: what is in it, where it comes from, where sources disagree."""

from __future__ import annotations

import pandas as pd

from ..data import evidence, schema
from ..formatting import period_text

_DATE_COLUMN = {"account_bans": "date", "store_removals": "date", "context_events": "date", "user_surges": "period_start"}


def _tables(tables: dict[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """The given tables, or the shipped ones (facts, citations and publishers)."""
    if tables is not None:
        return tables
    from ..data.load import load_table

    return {name: load_table(name) for name in [t.name for t in schema.RAW_TABLES]}


def table_summary(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per fact table: facts, the citations and distinct pages behind them, disputed facts, dates."""
    tables = _tables(tables)
    citations = tables["citations"]
    rows = []
    for table in schema.FACT_TABLES:
        frame = tables[table.name]
        cited = citations[citations["fact_id"].isin(frame["id"])]
        date = _DATE_COLUMN.get(table.name)
        rows.append({
            "table": table.name,
            "facts": len(frame),
            "citations": len(cited),
            "pages": cited["source_url"].nunique(),
            "publishers": cited["publisher"].nunique(),
            "disputed": int(frame["disputed"].sum()) if "disputed" in frame else 0,
            "first": frame[date].min() if date else pd.NaT,
            "last": frame[date].max() if date else pd.NaT,
        })
    return pd.DataFrame(rows)


def facts_by_tier(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Facts per table by their best citation's tier (1 best, 4 weakest), with the share in tiers 1–2."""
    tables = _tables(tables)
    rows = []
    for table in schema.FACT_TABLES:
        tiers = tables[table.name]["best_tier"]
        counts = {f"tier_{t}": int((tiers == t).sum()) for t in schema.TIERS}
        rows.append({"table": table.name, "facts": len(tiers), **counts,
                     "share_tier_1_2": (counts["tier_1"] + counts["tier_2"]) / len(tiers) if len(tiers) else float("nan")})
    return pd.DataFrame(rows)


def sources_by_publisher(tables: dict[str, pd.DataFrame] | None = None, top: int = 15) -> pd.DataFrame:
    """The publishers cited most often: their kind and tier, citations, distinct pages and facts."""
    tables = _tables(tables)
    citations, publishers = tables["citations"], tables["publishers"].set_index("publisher")
    out = (citations.groupby("publisher", observed=True)
           .agg(citations=("id", "size"), pages=("source_url", "nunique"), facts=("fact_id", "nunique"))
           .sort_values(["citations", "pages"], ascending=False, kind="mergesort").head(top))
    out.insert(0, "tier", publishers["tier"].reindex(out.index))
    out.insert(0, "kind", publishers["kind"].reindex(out.index))
    out.insert(0, "name", publishers["name"].reindex(out.index))
    return out.reset_index()


def find_disagreements(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Where cited pages give another date or value than the accepted fact (the shipped data by default).

    One row per fact and field; see ``evidence.disagreements`` for the columns.
    """
    tables = _tables(tables)
    return evidence.disagreements({t.name: tables[t.name] for t in schema.FACT_TABLES}, tables["citations"])


def events_per_day(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """Day-precision events per day and kind in ``start``…``end`` (one count per fact, however many pages
    state it); a wave's days are ``wave_window(waves, wave)``."""
    window = events[(events["date"] >= pd.Timestamp(start)) & (events["date"] <= pd.Timestamp(end))
                    & (events["date_precision"] == "day")]
    table = pd.crosstab(window["date"], window["kind"]).reindex(
        pd.date_range(start, end, freq="D", name="date"), fill_value=0)
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table


def top_multipliers(rates: pd.DataFrame, start, end, n: int = 10) -> pd.DataFrame:
    """The largest multipliers of figures whose period starts in ``start``…``end``, with their baselines."""
    rows = rates[(rates["period_start"] >= pd.Timestamp(start)) & (rates["period_start"] <= pd.Timestamp(end))
                 & rates["multiplier"].notna()]
    base = rates.set_index("id")
    out = rows.sort_values("multiplier", ascending=False, kind="mergesort").head(n)
    return pd.DataFrame({
        "id": out["id"].to_numpy(), "platform": out["platform"].to_numpy(), "metric": out["metric"].astype(str).to_numpy(),
        "period": [period_text(a, b) for a, b in zip(out["period_start"], out["period_end"])],
        "per_day": out["per_day"].round(0).to_numpy(), "reporter": out["reporter"].to_numpy(),
        "baseline_id": out["baseline_id"].to_numpy(),
        "baseline_period": [period_text(base.loc[b, "period_start"], base.loc[b, "period_end"]) for b in out["baseline_id"]],
        "baseline_per_day": out["baseline_value"].round(0).to_numpy(),
        "multiplier": out["multiplier"].round(1).to_numpy(),
    })
