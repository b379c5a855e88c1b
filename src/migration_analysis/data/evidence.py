"""The evidence behind the facts: each fact's citations summarised, and where the pages disagree."""

from __future__ import annotations

import numbers

import pandas as pd

from . import schema

_FACT_TABLES = [t.name for t in schema.FACT_TABLES]


def cited_pages(citations: pd.DataFrame, publishers: pd.DataFrame, facts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Citations with the table their fact is in and the tier of the site each page was read on."""
    table_of = {fact_id: name for name in _FACT_TABLES for fact_id in facts[name]["id"]}
    tiers = dict(zip(publishers["publisher"], publishers["tier"]))
    out = citations.copy()
    out["fact_table"] = pd.Categorical(out["fact_id"].map(table_of), categories=_FACT_TABLES)
    out["tier"] = out["publisher"].map(tiers).astype("Int64")
    return out


def summarise(cited: pd.DataFrame) -> pd.DataFrame:
    """One row per cited fact: ``n_sources``, ``best_tier``, ``disputed`` and the best page.

    The best page has the lowest tier; among equals, one that agrees with the fact (no
    ``reported_date`` or ``reported_value``); then the lowest citation id.
    """
    ranked = cited.assign(differs=cited["reported_date"].notna() | cited["reported_value"].notna())
    ranked = ranked.sort_values(["fact_id", "tier", "differs", "id"], kind="mergesort")
    grouped = ranked.groupby("fact_id", sort=False)
    best = grouped.first()
    return pd.DataFrame({
        "n_sources": grouped.size().astype("Int64"),
        "best_tier": best["tier"].astype("Int64"),
        "disputed": grouped["differs"].any().astype("boolean"),
        "source_url": best["source_url"].astype("string"),
        "source_publisher": best["publisher"].astype("string"),
        "weakly_sourced": (best["tier"] == 4).astype("boolean"),
    })


def with_evidence(facts: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """A fact table with its evidence columns (missing where ``summary`` has no citation for a fact)."""
    out = facts.join(summary, on="id")
    out["n_sources"] = out["n_sources"].fillna(0).astype("Int64")
    out["disputed"] = out["disputed"].fillna(False).astype("boolean")
    return out


def _fact_label(table: str, fact: pd.Series) -> str:
    if table == "account_bans":
        return f"{fact['platform']} {str(fact['action']).replace('_', ' ')} {fact['target']}"
    if table == "store_removals":
        return f"{fact['provider']} {str(fact['action']).replace('_', ' ')} {fact['app']}"
    if table == "user_surges":
        return (f"{fact['reporter']}: {fact['platform']} {fact['metric']} ({fact['geography']}) "
                f"{fact['period_start']:%Y-%m-%d} to {fact['period_end']:%Y-%m-%d}")
    if table == "context_events":
        return str(fact["description"])
    return str(fact["id"])


def _shown(value) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return f"{value:,.0f}" if isinstance(value, numbers.Number) and not isinstance(value, bool) else str(value)


def disagreements(facts: dict[str, pd.DataFrame], citations: pd.DataFrame) -> pd.DataFrame:
    """One row per fact and field where a cited page gives another date or value than the fact's.

    Columns: ``table``, ``fact_id``, ``fact`` (a short label), ``field`` (`date`, `period_start`,
    `value`, `accounts_affected` or `followers`), ``accepted`` (the fact's), ``reported`` (the other
    versions, ``" / "``-separated), ``citations`` (ids of the pages that differ), ``n_sources``.
    """
    rows = []
    by_id = {name: facts[name].set_index("id") for name in _FACT_TABLES if name in facts}
    for fact_id, group in citations.groupby("fact_id", sort=True):
        table = next((name for name, frame in by_id.items() if fact_id in frame.index), None)
        if table is None:
            continue
        fact = by_id[table].loc[fact_id]
        value_field = "value" if table == "user_surges" else (
            "accounts_affected" if table == "account_bans" and pd.notna(fact["accounts_affected"]) else "followers")
        for field, reported in ((schema.FACT_DATE_COLUMN.get(table), "reported_date"), (value_field, "reported_value")):
            differing = group[group[reported].notna()]
            if differing.empty or field is None:
                continue
            rows.append({
                "table": table, "fact_id": fact_id, "fact": _fact_label(table, fact), "field": field,
                "accepted": _shown(fact[field]) if pd.notna(fact[field]) else "",
                "reported": " / ".join(_shown(v) for v in sorted(differing[reported].unique())),
                "citations": ",".join(differing["id"]), "n_sources": len(group),
            })
    return pd.DataFrame(rows, columns=["table", "fact_id", "fact", "field", "accepted", "reported", "citations",
                                       "n_sources"])
