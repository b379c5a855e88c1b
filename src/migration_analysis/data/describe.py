"""Documents generated from the schema: ``data/datapackage.json`` and ``docs/data_dictionary.md``.

The descriptor says in Table Schema whatever the schema's rules allow it to say: types, required
cells, enums, patterns (lowercase slugs, ids, hosts, URLs, regions, and text that neither starts
with a spreadsheet formula prefix nor starts or ends with a space), minimum and maximum, primary
keys and foreign keys. What Table Schema cannot say is listed by ``descriptor_limits()`` and in
the data dictionary; ``migration-analysis validate`` checks those too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from . import schema
from .kinds import kind_of

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 (our curation; sources keep their own terms)",
}


def _bare(pattern: str) -> str:
    """A schema pattern in the form Table Schema defines (XML Schema: anchored, no ``^``/``$``)."""
    alternatives, depth, current = [], 0, ""
    for ch in pattern:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            alternatives.append(current)
            current = ""
        else:
            current += ch
    alternatives.append(current)
    bare = [a.removeprefix("^").removesuffix("$") for a in alternatives]
    return bare[0] if len(bare) == 1 else "(" + "|".join(bare) + ")"


def _listed(item: str) -> str:
    """Items matching ``item``, separated by single spaces."""
    return f"({item})( ({item}))*"


def _text_pattern() -> str:
    """Text that does not start with a formula prefix or a space, and does not end with a space."""
    prefixes = "".join("\\" + c if c in "\\]^-" else c for c in schema.FORMULA_PREFIXES if not c.isspace())
    return rf"[^{prefixes}\s]([\s\S]*\S)?"


TEXT_PATTERN = _text_pattern()


def _pattern(col: schema.Column) -> str | None:
    kind = kind_of(col)
    if kind.is_list:
        return _listed(_bare(col.pattern)) if col.pattern else _listed(r"\S+")
    if col.pattern:
        return _bare(col.pattern)
    return kind.schema_pattern or TEXT_PATTERN  # any text that a spreadsheet would not run as a formula


def _field(col: schema.Column) -> dict:
    kind = kind_of(col)
    field = {"name": col.name, "type": kind.table_schema, "description": col.description}
    constraints: dict = {"required": col.required}
    if col.enum:
        constraints["enum"] = list(col.enum)
    elif field["type"] == "string" and (pattern := _pattern(col)):
        constraints["pattern"] = pattern
    minimum = col.minimum if col.minimum is not None else kind.schema_bounds[0]
    maximum = col.maximum if col.maximum is not None else kind.schema_bounds[1]
    for name, bound in (("minimum", minimum), ("maximum", maximum)):
        if bound is not None:
            constraints[name] = int(bound) if float(bound).is_integer() and kind.table_schema != "number" else bound
    field.update(kind.schema_extras)
    field["constraints"] = constraints
    return field


def _foreign_keys(table: schema.Table, resources: set[str]) -> list[dict]:
    """References to one other resource's key (or this one's: ``"resource": ""``).

    ``facts.id`` (a fact in any of five tables) and the items of a list column are checked by
    ``migration-analysis validate``: a Table Schema foreign key points at one resource and one value.
    """
    fks = []
    for c in table.columns:
        if not c.references or kind_of(c).is_list:
            continue
        target, key = c.references.split(".")
        if target == table.name:
            fks.append({"fields": c.name, "reference": {"resource": "", "fields": key}})
        elif target in resources:
            fks.append({"fields": c.name, "reference": {"resource": target, "fields": key}})
    return fks


def _resource(table: schema.Table, folder: str, resources: set[str], content: bytes | None) -> dict:
    table_schema: dict = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
    if table.key in table.column_names:
        table_schema["primaryKey"] = table.key
    fks = _foreign_keys(table, resources)
    if fks:
        table_schema["foreignKeys"] = fks
    resource = {
        "name": table.name, "title": table.title, "description": table.description,
        "path": f"{folder}/{table.filename}", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        # Stated, not sniffed: a reader guessing the delimiter from a sample of long notes can guess wrong.
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
    }
    if content is not None:
        resource["bytes"] = len(content)
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
    resource["schema"] = table_schema
    return resource


def described_tables() -> list[tuple[str, schema.Table]]:
    """(folder, table) for every resource of the descriptor: the raw tables, then the derived ones."""
    return [("raw", t) for t in schema.RAW_TABLES] + [("processed", t) for t in schema.DERIVED_TABLES]


def datapackage(contents: Mapping[str, bytes] | None = None, created: str | None = None) -> dict:
    """The Frictionless Data Package descriptor of every table.

    ``contents`` maps each resource path (``raw/platforms.csv``) to the file's bytes, for the
    resources' ``bytes`` and ``hash``; ``created`` is the dataset's date (``YYYY-MM-DD``).
    """
    from .. import __version__

    described = described_tables()
    names = {t.name for _, t in described}
    package: dict = {
        "profile": "tabular-data-package",
        "name": "migration-analysis",
        "title": "Platform migration waves, 2018-2026: bans, app-store removals and user surges",
        "description": ("Platform bans, app-store and infrastructure removals, user surges, context events and "
                        "migration waves, each fact stored once with a citation for every page that states it and "
                        "every publisher classified by tier. Raw tables are curated by hand; the derived tables "
                        "are written by `migration-analysis build`. Rules Table Schema cannot express are checked "
                        "by `migration-analysis validate` (see docs/data_dictionary.md)."),
        "version": __version__,
    }
    if created:
        package["created"] = f"{created}T00:00:00Z"
    package |= {
        "keywords": ["deplatforming", "content moderation", "app stores", "platform migration", "January 2021"],
        "licenses": [LICENSE],
        "sources": [{"title": "The pages cited in citations.csv (source_url), each read on a site listed in "
                              "publishers.csv with its kind and tier"}],
        "contributors": [{"title": "migration-analysis contributors", "role": "author"}],
        "resources": [
            _resource(t, folder, names, None if contents is None else contents[f"{folder}/{t.filename}"])
            for folder, t in described
        ],
    }
    return package


def datapackage_json(contents: Mapping[str, bytes] | None = None, created: str | None = None) -> str:
    """``datapackage()`` as the text ``build`` writes (indented, UTF-8, a final newline)."""
    return json.dumps(datapackage(contents, created), indent=2, ensure_ascii=False) + "\n"


def descriptor_limits() -> list[str]:
    """What ``migration-analysis validate`` checks that the Table Schema descriptor cannot express."""
    rules = [f"`{t.name}`: {doc}" for t in schema.all_tables() for doc in t.rule_docs]
    return [
        *rules,
        "`id` is unique across all tables (a primary key is unique within one resource only).",
        "A citation's `fact_id` and a wave's `trigger_ids` name a fact in any of the fact tables (a foreign key "
        "points at one resource); the items of a list column (`origins`, `destinations`) name rows of "
        "`platforms` (a foreign key compares whole cells).",
        "Every fact has a citation; a citation's host is one of its publisher's `domains`; no host is listed under "
        "two publishers; no fact cites the same page twice; `reported_date` and `reported_value` differ from the "
        "fact's; no fact is stored twice (every column equal but `id`, `wave` and `notes`); a wave's triggers "
        "belong to it and fall inside its window (`start` to `end`).",
        "No fact is dated after the latest `accessed` day of its citations (a date, a period or a founding year "
        "that no page read could have stated).",
        "A surge figure's period does not start before its platform's `founded` year, and no figure is within 2% "
        "of another of the same platform, metric and period (one figure recorded twice).",
        "Numbers and whole numbers are digits only (with a decimal point for numbers): Table Schema's `number` "
        "and `integer` admit a sign (`+5`), an exponent (`1e6`) and surrounding spaces, and patterns apply to "
        "strings only. (`INF`, `NaN` and negative values are caught by `minimum` and `maximum`.)",
        "Dates are written with two-digit months and days (Frictionless's default date format also reads "
        "`2021-1-8`).",
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def data_dictionary_markdown() -> str:
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated by `migration-analysis build` from src/migration_analysis/data/schema.py. Do not edit. -->",
        "",
        "Every raw table is a UTF-8 CSV in `data/raw/` with a header row. An empty cell is a missing value.",
        "Dates are ISO `YYYY-MM-DD`; a month-precision date is the 1st of the month, a year-precision date",
        "1 January (never an invented day). Text cells may not start with `=`, `+`, `-` or `@`",
        "(spreadsheets would run them as formulas), so account handles are written without the `@`.",
        "",
    ]
    for table in schema.all_tables():
        where = "data/raw" if table in schema.RAW_TABLES else "data/processed"
        lines += [f"## `{table.name}` — {table.title}", "", f"`{where}/{table.filename}`. {table.description}", ""]
        lines += ["| column | type | required | meaning | allowed values |", "|---|---|---|---|---|"]
        for c in table.columns:
            allowed = ", ".join(f"`{v}`" for v in c.enum)
            if c.references:
                target, key = c.references.split(".")
                allowed = "an `id` in a fact table" if target == "facts" else f"a `{key}` in `{target}.csv`"
            elif c.maximum is not None:
                allowed = f"{c.minimum:g}–{c.maximum:g}"
            elif c.minimum is not None:
                allowed = f"≥ {c.minimum:g}"
            lines.append(f"| `{c.name}` | {c.kind} | {'yes' if c.required else 'no'} | {_cell(c.description)} | {allowed} |")
        if table.rule_docs:
            lines += ["", "Row rules: " + " ".join(table.rule_docs)]
        lines += ["", _KEY_RULES.get(table.name, "`id` is unique across all tables; no two rows may state the same "
                                 "fact (every column equal but `id`, `wave` and `notes`): one fact, many citations.")]
        lines.append("")
    lines += _evidence_section()
    lines += _metrics_section()
    lines += _descriptor_section()
    return "\n".join(lines).rstrip() + "\n"


_KEY_RULES = {
    "publishers": "`publisher` is unique, and no host is listed under two publishers.",
    "citations": ("`id` is unique across all tables. Every citation states a fact that exists, on a page whose "
                  "host is one of its publisher's `domains`; no fact cites the same page twice. Every fact has "
                  "at least one citation. `reported_date` and `reported_value` are set only where the page "
                  "differs from the fact."),
    "waves": ("`wave` is unique. Every trigger is a dated fact (a ban, removal or context event) whose `wave` is "
              "this wave, and `start` is the earliest trigger's date."),
    "events": "`event_id` is unique: one row per fact.",
    "surge_rates": "`id` is unique: one row per fact.",
}


def _evidence_section() -> list[str]:
    lines = [
        "## Evidence in the processed fact tables",
        "",
        "`build` writes each fact table to `data/processed/` with these columns added, and `citations.csv`",
        "with `fact_table` (the table its fact is in) and `tier` (its publisher's tier):",
        "",
        "| column | type | meaning |", "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.kind} | {_cell(c.description)} |" for c in schema.EVIDENCE_COLUMNS]
    lines += ["", "## Tiers", "", "A publisher's tier is what its site is, not what it quotes.", "",
              "| tier | what |", "|---|---|"]
    lines += [f"| {tier} | {what} |" for tier, what in schema.TIERS.items()]
    lines += ["", "## What `reported_value` and `reported_date` stand for", "", "| fact table | reported_date | reported_value |",
              "|---|---|---|"]
    for table in schema.FACT_TABLES:
        date = schema.FACT_DATE_COLUMN.get(table.name)
        value = schema.REPORTED_VALUE_FIELD.get(table.name)
        lines.append(f"| `{table.name}` | {f'`{date}`' if date else '—'} | {value or '—'} |")
    lines.append("")
    return lines


def _metrics_section() -> list[str]:
    lines = ["## Metrics", "", "| metric | kind | compared with (family) |", "|---|---|---|"]
    for metric, kind in schema.METRIC_KINDS.items():
        lines.append(f"| `{metric}` | {kind} | {schema.METRIC_FAMILIES.get(metric, '—')} |")
    lines += [
        "",
        "A *flow* counts what happened over the period; a *rate* is already an average per day over the",
        "period; a *stock* is a level at a point in time.",
        "",
        "## Per-day rates and baselines (`surge_rates`)",
        "",
        "- `days` counts the period inclusively: 10 to 12 January is 3 days. It is known for a day-precision",
        "  period, and for a month- or year-precision period given as a range (2020-01-01 to 2020-12-31 is",
        "  366 days); a single month-precision date (\"in January\") has no known span and gets no rate.",
        "- `per_day`: a flow's value ÷ `days`; a rate's value as it is; stocks get none.",
        "- The **baseline** of a flow or rate is another figure of the same platform, the same metric family",
        "  (see the table above: `new_users` and `daily_signups` are one family) and the same `geography`,",
        "  whose period **ends before this one starts**. The baseline of a stock is an earlier figure of the",
        "  same platform, metric and geography, chosen the same way. Among the candidates we take, in order:",
        "  one from the **same reporter** if any exists; then the **latest end**; then the latest start (the",
        "  shortest period); then one we did not derive; then the smallest `id`.",
        "- `multiplier` = `per_day` ÷ the baseline's `per_day` (flows and rates), or `value` ÷ the",
        "  baseline's `value` (stocks: growth between snapshots). It is empty without a baseline.",
        "- Example: Telegram's 25,000,000 new users over 10–12 January 2021 are 8,333,333 a day; against",
        "  its 1,500,000 sign-ups a day in 2020 that is a multiplier of 5.56.",
        "",
        "A multiplier compares two figures as they were reported. Company claims and analytics-firm",
        "estimates measure different things (sign-ups, store downloads); read `claim_type` and `reporter`",
        "before you compare across them.",
        "",
    ]
    return lines


def _descriptor_section() -> list[str]:
    lines = [
        "## What `datapackage.json` checks",
        "",
        "`data/datapackage.json` is a Frictionless Data Package (Table Schema v1), generated from the schema like",
        "this page; `frictionless validate data/datapackage.json` checks the shipped files against it: each",
        "file's `bytes` and `hash`, the header, types, required cells, enums, patterns (lowercase slugs, ids,",
        "hosts, URLs, regions, ISO country codes, and text that neither starts with `=`, `+`, `-` or `@` nor",
        "starts or ends with a space), minimum and maximum (tiers 1–4, years "
        f"{schema.YEAR_RANGE[0]}–{schema.YEAR_RANGE[1]}, numbers from 0 to",
        f"{schema.NUMBER_MAXIMUM:.0e}, so `INF` is refused), primary keys and foreign keys to one table's key.",
        "",
        "Table Schema cannot express the following; `migration-analysis validate` checks them (and `build`",
        "refuses data that breaks them):",
        "",
    ]
    lines += [f"- {limit}" for limit in descriptor_limits()]
    lines.append("")
    return lines


COUNTS_START = "<!-- counts: written by `migration-analysis build`, checked by tests/test_docs.py -->\n"
COUNTS_END = "<!-- /counts -->\n"


def readme_with_counts(readme: str, tables: dict) -> str:
    """``readme`` with the paragraph between the counts markers rewritten from the processed tables."""
    import textwrap

    import pandas as pd

    from ..formatting import is_flagged

    if COUNTS_START not in readme or COUNTS_END not in readme:
        return readme
    facts = {t.name: tables[t.name] for t in schema.FACT_TABLES}
    citations = tables["citations"]
    tiers = pd.concat([f["best_tier"] for f in facts.values()]).value_counts()
    disputed = sum(int(is_flagged(f["disputed"]).sum()) for f in facts.values())
    text = (f"What it holds (checked against the data by `tests/test_docs.py`): {len(facts['account_bans'])} account "
            f"actions, {len(facts['store_removals'])} app-store and infrastructure actions, "
            f"{len(facts['user_surges'])} user figures, {len(facts['context_events'])} context events and "
            f"{len(facts['platforms'])} platforms: {sum(map(len, facts.values()))} facts, stated by {len(citations)} "
            f"citations of {citations['source_url'].nunique()} distinct pages read on "
            f"{citations['publisher'].nunique()} sites. {disputed} facts have a page that gives another date or "
            f"value. Facts by the tier of their best page: "
            + ", ".join(f"{tiers.get(t, 0)} in tier {t}" for t in (1, 2, 3, 4)) + ".")
    head, rest = readme.split(COUNTS_START, 1)
    _, tail = rest.split(COUNTS_END, 1)
    readme = head + COUNTS_START + "\n".join(textwrap.wrap(text, 104, break_on_hyphens=False)) + "\n" + COUNTS_END + tail
    return _readme_sentences(readme, tables, disputed)


NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen".split()


def _number_words(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _readme_sentences(readme: str, tables: dict, disputed: int) -> str:
    """The README's other sentences that quote the data (disagreements, waves), rewritten in place."""
    import re

    waves = tables["waves"]
    in_waves = sum(int(tables[t.name]["wave"].notna().sum()) for t in schema.FACT_TABLES if "wave" in tables[t.name])
    good = waves["tier12_share"].astype("Float64").fillna(0) >= 0.7
    below = waves.loc[~good, "wave"].tolist()
    count = _number_words(len(below))
    profiles = tables.get("wave_profiles")
    rules = []
    if profiles is not None:
        with_multiple = profiles[profiles["peak_multiple"].notna()]
        rules.append((r"\w+ destinations in \w+ waves have a multiple; the other \d+ rows say what is missing",
                      f"{_number_words(len(with_multiple)).capitalize()} destinations in "
                      f"{_number_words(with_multiple['wave'].nunique())} waves have a multiple; the other "
                      f"{len(profiles) - len(with_multiple)} rows say what is missing"))
    rules += [
        (r"derives them from the citations \(\d+ facts in this version\)",
         f"derives them from the citations ({disputed} facts in this version)"),
        (r"\(\d+ facts in \d+ waves\)", f"({in_waves} facts in {len(waves)} waves)"),
        (r"\d+ of the \d+ waves reach 70%", f"{int(good.sum())} of the {len(waves)} waves reach 70%"),
        (r"\w+ waves have\s+under 70% of their facts on tier-1 or tier-2 pages \([^)]*\)",
         f"{count.capitalize()} waves have under 70% of their facts on tier-1 or tier-2 pages "
         f"({', '.join(f'`{w}`' for w in below)})"),
    ]
    for pattern, text in rules:
        readme = re.sub(pattern, lambda _m, text=text: text, readme)
    return readme
