"""Raw tables to processed ones, in memory: each fact with its evidence, then the derived tables.

Used by ``build`` (which writes them) and by ``load_table(data_dir=…)`` (which returns one); what
each derived table is made from is declared once, in ``schema.MADE_FROM``. The derived tables are
computed by the analysis layer.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.rates import surge_rates
from ..analysis.waves import wave_profiles, wave_summary
from . import evidence, schema
from .events import make_events
from .kinds import empty_frame

# How each derived table is made from the raw tables and the processed ones made before it.
DERIVATIONS = {
    "events": lambda raw, done: make_events(done),
    "surge_rates": lambda raw, done: surge_rates(done["user_surges"], waves=raw.get("waves"),
                                                 platforms=raw.get("platforms")),
    "waves": lambda raw, done: wave_summary(raw["waves"], done),
    "wave_profiles": lambda raw, done: wave_profiles(raw["waves"], done["surge_rates"], raw.get("platforms")),
}
assert set(DERIVATIONS) == set(schema.MADE_FROM)


def process_tables(raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every processed table the raw tables allow: facts with their evidence, then the derived ones.

    ``build`` passes every raw table; a folder loaded with ``data_dir=`` may lack some, and a
    table made from a missing one is left out.
    """
    raw = dict(raw)
    for table in schema.EVIDENCE_TABLES:
        raw.setdefault(table.name, empty_frame(table))
    facts = {t.name: raw.get(t.name, empty_frame(t)) for t in schema.FACT_TABLES}
    cited = evidence.cited_pages(raw["citations"], raw["publishers"], facts)
    summary = evidence.summarise(cited)
    tables = {name: evidence.with_evidence(facts[name], summary) for name in raw if name in facts}
    tables["publishers"] = raw["publishers"]
    tables["citations"] = cited
    for name, make in DERIVATIONS.items():  # in order: wave_profiles needs surge_rates
        if set(schema.MADE_FROM[name]) <= set(raw):
            tables[name] = make(raw, tables)
    return tables
