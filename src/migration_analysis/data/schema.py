"""The single definition of every table: columns, types, allowed values and rules.

Validation (``validate``), typed loading (``load``), ``data/datapackage.json`` and the data
dictionary (``docs``) are all derived from the objects here, so a change here changes them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

DATE_PRECISIONS = ("day", "month", "year")

PLATFORM_CATEGORIES = (
    "mainstream_social", "alt_social", "messenger", "video", "forum",
    "app_store", "cloud_infra", "payments", "ecommerce", "vpn", "other",
)
BAN_TARGET_TYPES = ("account", "accounts", "channel", "community", "server", "group", "page", "store", "app")


# --- values and their meanings: every module asks these, none keeps its own list ---------------------

@dataclass(frozen=True)
class Action:
    """What a platform or provider did: its words for a reader and what it means for the analysis.

    ``group`` is ``off`` (the account or app is gone: bans, removals, suspensions, cut-offs),
    ``restriction`` (locked or limited, still there), ``warning``, ``announcement`` (said, not yet
    done) or ``return`` (reinstated, back online, or a new provider taking it on). ``label`` names it
    in a chart label; ``compact`` is the one or two words used when the label has no room; ``verb``
    (bans: "Twitter permanently suspended X") and ``sentence`` (store actions, with ``{provider}`` and
    ``{app}``) write the timeline's one-line label of a fact.
    """

    name: str
    group: str
    label: str
    compact: str = ""
    verb: str = ""
    sentence: str = ""


# In order of severity, most severe first: a timeline names the most severe of an actor's actions on a day.
ACTIONS: tuple[Action, ...] = (
    Action("permanently_suspended", "off", "banned for good", "banned", verb="permanently suspended"),
    Action("banned", "off", "banned", verb="banned"),
    Action("indefinitely_suspended", "off", "suspended indefinitely", "suspended", verb="indefinitely suspended"),
    Action("removed", "off", "removed", verb="removed", sentence="{provider} removed {app}"),
    Action("cut_off", "off", "cut off", sentence="{provider} cut off {app}"),
    Action("suspended", "off", "suspended", verb="suspended", sentence="{provider} suspended {app}"),
    Action("locked", "restriction", "locked", verb="locked"),
    Action("restricted", "restriction", "restricted", verb="restricted"),
    Action("ban_announced", "announcement", "ban announced", verb="announced a ban of"),
    Action("warned", "warning", "warned", sentence="{provider} warned {app}"),
    Action("reinstatement_announced", "announcement", "return announced", verb="announced it will reinstate"),
    Action("reinstated", "return", "reinstated", verb="reinstated", sentence="{provider} reinstated {app}"),
    Action("back_online", "return", "back online", sentence="{app} back online ({provider})"),
    Action("service_started", "return", "took on", sentence="{provider} began serving {app}"),
)
ACTION_GROUPS = ("off", "restriction", "warning", "announcement", "return")
_ACTIONS = {a.name: a for a in ACTIONS}


def action(name: str) -> Action:
    """The meaning of an action value of ``account_bans`` or ``store_removals``."""
    return _ACTIONS[str(name)]


def actions_in(group: str, of: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The action values in ``group`` (see ``Action``), of one table's actions if ``of`` is given."""
    if group not in ACTION_GROUPS:
        raise ValueError(f"no action group {group!r}; the groups are {', '.join(ACTION_GROUPS)}")
    return tuple(a.name for a in ACTIONS if a.group == group and (of is None or a.name in of))


def severity(name: str) -> int:
    """0 for the most severe action; values that are not actions rank after every action."""
    return next((i for i, a in enumerate(ACTIONS) if a.name == str(name)), len(ACTIONS))


BAN_ACTIONS = (
    "locked", "suspended", "permanently_suspended", "indefinitely_suspended",
    "restricted", "removed", "banned", "ban_announced", "reinstatement_announced", "reinstated",
)
PROVIDER_TYPES = ("app_store", "hosting", "cdn_ddos", "payments", "saas", "domain")
STORE_ACTIONS = ("warned", "removed", "suspended", "cut_off", "reinstated", "back_online", "service_started")


@dataclass(frozen=True)
class ClaimType:
    """Whose figure a surge figure is. ``group``: ``claim`` (the company about itself), ``estimate``
    (an analytics firm or the press) or ``record`` (an official record); ``label`` names it in a key,
    ``short`` in a list, ``words`` says whose it is in a sentence."""

    name: str
    group: str
    label: str
    short: str

    def words(self, reporter) -> str:
        """'Telegram's own claim', 'Sensor Tower's estimate', 'a press estimate (CNN)', 'Ofcom's record'."""
        if self.name == "press_estimate":
            return f"a press estimate ({reporter})"
        whose = f"{reporter}'" if str(reporter).endswith("s") else f"{reporter}'s"
        return f"{whose} " + {"claim": "own claim", "estimate": "estimate", "record": "record"}[self.group]


CLAIMS: tuple[ClaimType, ...] = (
    ClaimType("company_claim", "claim", "company claim", "claim"),
    ClaimType("third_party_estimate", "estimate", "analytics-firm estimate", "estimate"),
    ClaimType("press_estimate", "estimate", "press estimate", "press estimate"),
    ClaimType("official_record", "record", "official record", "record"),
)
CLAIM_TYPES = tuple(c.name for c in CLAIMS)
_CLAIMS = {c.name: c for c in CLAIMS}


def claim(name: str) -> ClaimType:
    """The meaning of a ``claim_type`` value."""
    return _CLAIMS[str(name)]


def claims_in(group: str) -> tuple[str, ...]:
    """The claim types in ``group``: ``claim``, ``estimate`` or ``record``."""
    return tuple(c.name for c in CLAIMS if c.group == group)


def claim_words(reporter, claim_type) -> str:
    """Whose figure it is, in a sentence: 'Telegram's own claim', 'Appfigures' estimate'."""
    return claim(claim_type).words(reporter) if str(claim_type) in _CLAIMS else str(reporter)


CONTEXT_EVENT_TYPES = (
    "attack", "inauguration", "election", "privacy_policy", "lawsuit", "court_ruling",
    "government_block", "block_lifted", "government_device_ban", "regulatory_fine",
    "ownership_stake", "milestone", "statement", "law_in_force", "throttling", "other",
)
# Acts of states and courts: a wave's timeline gives them lanes of their own, at the top.
STATE_ACT_TYPES = ("government_block", "throttling", "block_lifted", "court_ruling", "law_in_force",
                   "government_device_ban", "regulatory_fine")
# A wave's key moments besides its triggers: the attack or election that framed it and the acts of states
# and courts (statements and milestones are left to the tables).
KEY_CONTEXT_TYPES = ("attack", "election", "inauguration", *STATE_ACT_TYPES)
# `unstated`: the page gives no region (not the same as `worldwide`, which a page must say).
REGIONS = ("worldwide", "asia", "europe", "latin_america", "mena", "north_america", "unstated")

# How a surge metric behaves over time; the analysis module turns flows and rates into per-day figures.
METRIC_KINDS = {
    "downloads": "flow",        # a count over the period
    "new_users": "flow",
    "site_visits": "flow",
    "daily_signups": "rate",    # already an average per day over the period
    "daily_downloads": "rate",
    "daily_messages": "rate",
    "users_total": "stock",     # a level at a point in time
    "monthly_active_users": "stock",
    "daily_active_users": "stock",
    "followers": "stock",
}
# Metrics measured against each other when looking for a baseline (sign-ups are new users per day).
METRIC_FAMILIES = {
    "downloads": "downloads",
    "new_users": "new_users",
    "daily_signups": "new_users",
    "daily_downloads": "downloads",
    "site_visits": "site_visits",
    "daily_messages": "messages",
}
METRICS = tuple(METRIC_KINDS)
# Metrics that count people arriving (a surge's peak); the level metrics count who is there.
ARRIVAL_METRICS = tuple(m for m, family in METRIC_FAMILIES.items() if family in ("downloads", "new_users"))
LEVEL_METRICS = ("users_total", "monthly_active_users", "daily_active_users")

SLUG_PATTERN = r"^[a-z0-9]+(_[a-z0-9]+)*$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$|^[a-z0-9]+(_[a-z0-9]+)*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

# Lexical rules shared by ``validate`` and the Frictionless descriptor (``describe``), so both say the same.
HOST_PATTERN = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"
URL_PATTERN = r"https?://[^\s/]+\.[^\s/]+(/\S*)?"
# A text cell may not start with what a spreadsheet runs as a formula, nor start or end with a space.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
YEAR_RANGE = (1800, 2100)
# No count or rate in this dataset comes near 10^15 (the world has 8 x 10^9 people). The bound is there
# so that the descriptor rejects `INF`, which Table Schema's number type otherwise admits.
NUMBER_MAXIMUM = 1e15


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of: string, slug, url, date, integer, number, boolean, enum, year, country,
    geography, hosts (space-separated host names), slugs and ids (space-separated lists whose items
    each match ``pattern`` and, with ``references``, name a row). ``references`` names another
    table's key ("platforms.platform", "publishers.publisher"); ``facts.id`` means the id of any
    fact table.
    """

    name: str
    kind: str
    description: str
    required: bool = True
    enum: tuple[str, ...] = ()
    references: str | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None


class RowIssue(NamedTuple):
    """What a row rule found: the column, what is wrong, the offending value (``validate`` adds file and line)."""

    column: str
    what: str
    value: str


@dataclass(frozen=True)
class RowRule:
    """A rule every row of a table must keep, with the sentence the data dictionary prints for it."""

    doc: str
    check: Callable[[dict[str, str]], list[RowIssue]]

    def __call__(self, row: dict[str, str]) -> list[RowIssue]:
        return self.check(row)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]
    rules: tuple[RowRule, ...] = field(default=())
    key: str = "id"

    @property
    def rule_docs(self) -> tuple[str, ...]:
        return tuple(rule.doc for rule in self.rules)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# --- per-row rules -------------------------------------------------------------------------------

def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def precision_rule(date_col: str = "date", precision_col: str = "date_precision",
                   doc: str = "A `month` date is the 1st; a `year` date is 1 January.") -> RowRule:
    """A month-precision date is the 1st of the month; a year-precision date is 1 January."""

    def check(row: dict[str, str]) -> list[RowIssue]:
        day, precision = _iso(row.get(date_col, "")), row.get(precision_col, "")
        if day is None:
            return []
        if precision == "month" and day.day != 1:
            return [RowIssue(date_col, "date_precision is 'month', so the date must be the 1st of the month", row[date_col])]
        if precision == "year" and (day.month, day.day) != (1, 1):
            return [RowIssue(date_col, "date_precision is 'year', so the date must be 1 January", row[date_col])]
        return []

    return RowRule(doc, check)


def order_rule(first: str, then: str, doc: str | None = None) -> RowRule:
    """The date in ``then`` is not before the date in ``first`` (where both are dates)."""

    def check(row: dict[str, str]) -> list[RowIssue]:
        a, b = _iso(row.get(first, "")), _iso(row.get(then, ""))
        if a and b and b < a:
            return [RowIssue(then, f"is before {first} {row[first]}", row[then])]
        return []

    return RowRule(doc or f"`{then}` is on or after `{first}`.", check)


def _platform_id(row: dict[str, str]) -> list[RowIssue]:
    if row.get("id") and row.get("platform") and row["id"] != row["platform"]:
        return [RowIssue("id", f"must equal the platform slug '{row['platform']}'", row["id"])]
    return []


platform_id_rule = RowRule("`id` equals `platform`.", _platform_id)


# --- columns shared by the fact tables ------------------------------------------------------------

def _id(prefix: str) -> Column:
    return Column("id", "string", f"Stable unique fact id (`{prefix}-0001`…), unique across all tables; never reused.",
                  pattern=ID_PATTERN)


NOTES = Column("notes", "string", "Our own words: caveats, time zones, computations, and which rule chose the "
               "accepted value where citations disagree.", required=False)

WAVE = Column("wave", "slug", "The migration wave the fact belongs to (a `waves.wave` slug), if any.",
              required=False, references="waves.wave", pattern=SLUG_PATTERN)

DATE = Column("date", "date", "Calendar date at the actor (US companies: US time). Month-only facts use the 1st.")
PRECISION = Column("date_precision", "enum", "How precise `date` is.", enum=DATE_PRECISIONS)

PLATFORMS = Table(
    name="platforms",
    title="Platforms",
    description="Every platform, store, host or service named in any other table.",
    columns=(
        Column("id", "slug", "Same as `platform`.", pattern=SLUG_PATTERN),
        Column("platform", "slug", "Slug used by every other table (`twitter`, `google_play`, `aws`).", pattern=SLUG_PATTERN),
        Column("name", "string", "Display name."),
        Column("category", "enum", "What kind of platform it is.", enum=PLATFORM_CATEGORIES),
        Column("country", "country", "ISO 3166-1 alpha-2 code of the headquarters, where sourced.", required=False,
               pattern=COUNTRY_PATTERN),
        Column("founded", "year", "Year founded or launched, where sourced.", required=False),
        NOTES,
    ),
    sort_by=("platform",),
    rules=(platform_id_rule,),
)

ACCOUNT_BANS = Table(
    name="account_bans",
    title="Account bans",
    description="Platforms acting on accounts, channels, communities and stores: bans, locks, restrictions, reinstatements.",
    columns=(
        _id("ban"),
        DATE,
        PRECISION,
        Column("platform", "slug", "The platform that acted.", references="platforms.platform"),
        Column("target", "string", "The account, channel, community or store (handles without a leading @)."),
        Column("target_type", "enum", "What the target is; `accounts` is a mass action on many accounts.", enum=BAN_TARGET_TYPES),
        Column("action", "enum", "What the platform did.", enum=BAN_ACTIONS),
        Column("accounts_affected", "integer", "Number of accounts, for mass actions.", required=False, minimum=0),
        Column("followers", "integer", "Followers of the target at the time, where reported.", required=False, minimum=0),
        Column("reason", "string", "The reason the platform gave, in our words.", required=False),
        WAVE,
        NOTES,
    ),
    sort_by=("date", "id"),
    rules=(precision_rule("date"),),
)

STORE_REMOVALS = Table(
    name="store_removals",
    title="App-store and infrastructure actions",
    description="App stores, hosts, DDoS protection, payment and software providers dropping or taking back an app.",
    columns=(
        _id("store"),
        DATE,
        PRECISION,
        Column("app", "slug", "The app or platform acted upon.", references="platforms.platform"),
        Column("provider", "slug", "Who acted (`apple_app_store`, `google_play`, `aws`, `ddos_guard`).",
               references="platforms.platform"),
        Column("provider_type", "enum", "What the provider supplies.", enum=PROVIDER_TYPES),
        Column("action", "enum", "What the provider did.", enum=STORE_ACTIONS),
        Column("reason", "string", "The reason the provider gave, in our words.", required=False),
        WAVE,
        NOTES,
    ),
    sort_by=("date", "id"),
    rules=(precision_rule("date"),),
)

USER_SURGES = Table(
    name="user_surges",
    title="User surges",
    description="Download, sign-up and user figures over a period or at a point in time, each with who measured it.",
    columns=(
        _id("surge"),
        Column("platform", "slug", "The platform measured.", references="platforms.platform"),
        Column("metric", "enum", "What was counted (flows, per-day rates or stocks; see Metrics).", enum=METRICS),
        Column("value", "number", "The figure, in plain units (25 million is 25000000).", minimum=0),
        Column("period_start", "date", "First day the figure covers."),
        Column("period_end", "date", "Last day the figure covers (inclusive); equals `period_start` for a point in time."),
        Column("date_precision", "enum", "How precise the period dates are.", enum=DATE_PRECISIONS),
        Column("period_inferred", "boolean", "`true` when the page gives the period only relative to its own date "
               "(\"in the past 72 hours\", \"this week\") and we placed it on days; `notes` say how."),
        Column("geography", "geography", "Where the figure was counted, as the page states it: `worldwide`, an ISO country code "
               "(`US`), a region slug (`asia`, `europe`, `latin_america`, `mena`, `north_america`), or `unstated`."),
        Column("reporter", "string", "Who measured: the company itself or an analytics firm."),
        Column("claim_type", "enum", "Whose figure it is; company figures are claims.", enum=CLAIM_TYPES),
        Column("derived", "boolean", "`true` when we computed the value from a stated ratio or share (see notes)."),
        WAVE,
        NOTES,
    ),
    sort_by=("period_start", "platform", "id"),
    rules=(order_rule("period_start", "period_end"),
           precision_rule("period_start", doc="A `month` period starts on the 1st; a `year` period on 1 January.")),
)

CONTEXT_EVENTS = Table(
    name="context_events",
    title="Context events",
    description="What frames the wave: the attack, policy notices, lawsuits, government blocks, stakes, milestones.",
    columns=(
        _id("ctx"),
        DATE,
        PRECISION,
        Column("actor", "slug", "Who acted: a platform slug, a government or a person (`roskomnadzor`, `us_navy`).",
               pattern=SLUG_PATTERN),
        Column("platform", "slug", "The platform concerned, if any.", required=False, references="platforms.platform"),
        Column("event_type", "enum", "What kind of event.", enum=CONTEXT_EVENT_TYPES),
        Column("description", "string", "One sentence in our own words."),
        WAVE,
        NOTES,
    ),
    sort_by=("date", "id"),
    rules=(precision_rule("date"),),
)

FACT_TABLES: tuple[Table, ...] = (PLATFORMS, ACCOUNT_BANS, STORE_REMOVALS, USER_SURGES, CONTEXT_EVENTS)

# --- waves: our framing of the facts, so each wave is a set of facts (no citations of its own) ----------

WAVES = Table(
    name="waves",
    title="Migration waves",
    description="Each wave: the facts that set it off, its window, and the platforms users left and went to.",
    columns=(
        Column("wave", "slug", "Slug named by the fact tables' `wave` column (`january_2021`).", pattern=SLUG_PATTERN),
        Column("name", "string", "Display name."),
        Column("start", "date", "First day of the wave: the date of its earliest trigger."),
        Column("end", "date", "Last day of the wave's main window as its facts show it; returns and later "
               "levels may come after it and still belong to the wave."),
        Column("trigger_ids", "ids", "The dated facts that set it off (space-separated ids); each belongs to the wave.",
               references="facts.id", pattern=ID_PATTERN),
        Column("origins", "slugs", "The platforms users left (space-separated slugs), where the facts name them.",
               required=False, references="platforms.platform", pattern=SLUG_PATTERN),
        Column("destinations", "slugs", "The platforms users went to (space-separated slugs); `wave_profiles` has one "
               "row for each.", references="platforms.platform", pattern=SLUG_PATTERN),
        Column("description", "string", "One sentence in our own words."),
        Column("notes", "string", "How well the wave is sourced: what is thin or missing, and why.", required=False),
    ),
    sort_by=("start", "wave"),
    # That `start` is the date of the earliest trigger needs the fact tables: ``validate`` checks it.
    rules=(order_rule("start", "end", doc="`end` is on or after `start`; `start` is the date of the earliest trigger."),),
    key="wave",
)

# --- evidence: who published what --------------------------------------------------------------------

PUBLISHER_KINDS = (
    "company", "government", "court", "analytics_firm", "academic", "wire", "national_outlet", "tech_press",
    "regional_outlet", "trade_press", "partisan_outlet", "state_media", "aggregator", "mirror", "blog", "reference",
)
TIERS = {
    1: "the actor itself, a government or court record, the measuring firm's own publication, a peer-reviewed paper",
    2: "wire services, national outlets and established tech press, read on their own site",
    3: "other established outlets",
    4: "aggregators, mirrors and scrapers, blogs, partisan and state media, anything unknown",
}
# What `reported_value` stands for in each fact table (a page's figure where it differs from the fact's).
REPORTED_VALUE_FIELD = {"user_surges": "`value`", "account_bans": "`accounts_affected` (mass actions) or `followers`"}
# The column `reported_date` stands for in each fact table.
FACT_DATE_COLUMN = {"account_bans": "date", "store_removals": "date", "context_events": "date",
                    "user_surges": "period_start"}

PUBLISHERS = Table(
    name="publishers",
    title="Publishers",
    description="Every site a cited page was read on, and every outlet a reprint carries, with what it is and its tier.",
    columns=(
        Column("publisher", "slug", "Slug cited by `citations.publisher` and `citations.original_publisher`.",
               pattern=SLUG_PATTERN),
        Column("name", "string", "Display name."),
        Column("kind", "enum", "What the site is (not what it quotes).", enum=PUBLISHER_KINDS),
        Column("tier", "integer", "1 (the actor, a record, the measuring firm) to 4 (aggregators, mirrors, blogs, "
               "partisan and state media, unknown); see Tiers.", minimum=1, maximum=4),
        Column("domains", "hosts", "The hosts its pages live on, space-separated; a leading `www.` is ignored."),
        Column("country", "country", "ISO 3166-1 alpha-2 code of its home, where known.", required=False,
               pattern=COUNTRY_PATTERN),
        Column("notes", "string", "Why this kind and tier, in our words.", required=False),
    ),
    sort_by=("publisher",),
    key="publisher",
)


CITATIONS = Table(
    name="citations",
    title="Citations",
    description="One page that states one fact: where it was read, and how it differs from the fact, if it does.",
    columns=(
        Column("id", "string", "Stable unique citation id (`cite-0001`…), unique across all tables; never reused.",
               pattern=ID_PATTERN),
        Column("fact_id", "string", "The `id` of the fact this page states, in any fact table.", references="facts.id"),
        Column("source_url", "url", "The page read (http or https)."),
        Column("publisher", "slug", "The site the page was read on; the URL's host is one of its `domains`.",
               references="publishers.publisher"),
        Column("original_publisher", "slug", "The outlet a reprint, syndication or copy carries, if not the site itself.",
               required=False, references="publishers.publisher"),
        Column("source_date", "date", "Publication date the page shows, where it shows one.", required=False),
        Column("accessed", "date", "Date the page was read."),
        Column("reported_date", "date", "The page's date for the fact (`date`; `period_start` for surges), only "
               "where it differs from the fact's.", required=False),
        Column("reported_value", "number", "The page's figure, only where it differs from the fact's: `value` for "
               "surges; `accounts_affected` (mass actions) or `followers` for account bans.", required=False, minimum=0),
        Column("notes", "string", "What this page says or how it differs, in our words; reprints and time zones.",
               required=False),
    ),
    sort_by=("fact_id", "id"),
    rules=(order_rule("source_date", "accessed", doc="`accessed` is not before `source_date`."),),
)

EVIDENCE_TABLES: tuple[Table, ...] = (PUBLISHERS, CITATIONS)
RAW_TABLES: tuple[Table, ...] = FACT_TABLES + (WAVES,) + EVIDENCE_TABLES
TABLES: dict[str, Table] = {t.name: t for t in RAW_TABLES}

# --- processed tables written by `build` ------------------------------------------------------------

# Added to every fact table in data/processed: how well it is sourced, and its best page.
EVIDENCE_COLUMNS = (
    Column("n_sources", "integer", "How many cited pages state the fact (rows in `citations`).", minimum=1),
    Column("best_tier", "integer", "The best (lowest) tier among those pages' publishers.", minimum=1, maximum=4),
    Column("disputed", "boolean", "`true` when a cited page gives another date or value (see `citations`)."),
    Column("source_url", "url", "The best citation's page: lowest tier, then a page that agrees with the fact, "
           "then the lowest citation id."),
    Column("source_publisher", "slug", "The publisher of that page.", references="publishers.publisher"),
    Column("weakly_sourced", "boolean", "`true` when every page cited for the fact is on a tier-4 site (`notes` say "
           "what better source was looked for)."),
)


def with_evidence(table: Table) -> Table:
    """The processed form of a fact table: its columns plus the evidence summary."""
    return Table(table.name, table.title, table.description, table.columns + EVIDENCE_COLUMNS, table.sort_by,
                 table.rules, table.key)


PROCESSED_CITATIONS = Table(
    CITATIONS.name, CITATIONS.title, CITATIONS.description,
    CITATIONS.columns + (
        Column("fact_table", "enum", "The table the fact is in.", enum=tuple(t.name for t in FACT_TABLES)),
        Column("tier", "integer", "The tier of `publisher`, the site the page was read on.", minimum=1, maximum=4),
    ),
    CITATIONS.sort_by, key=CITATIONS.key,
)

EVENT_KINDS = ("account_ban", "store_removal", "context")

EVENTS = Table(
    name="events",
    title="Unified timeline (derived)",
    description="Every dated fact of account_bans, store_removals and context_events on one timeline, once each.",
    columns=(
        Column("event_id", "string", "The `id` of the fact it comes from."),
        DATE,
        PRECISION,
        Column("actor", "slug", "Who acted (`twitter`, `apple_app_store`, `aws`, a government)."),
        Column("platform", "slug", "The platform concerned (`twitter`, `parler`, `telegram`).", required=False,
               references="platforms.platform"),
        Column("kind", "enum", "Which table the fact comes from.", enum=EVENT_KINDS),
        Column("action", "string", "`action` of bans and removals; `event_type` of context events."),
        Column("target", "string", "The account or app acted upon.", required=False),
        Column("label", "string", "A short human sentence for charts."),
        WAVE,
        Column("source_url", "url", "The fact's best citation."),
        EVIDENCE_COLUMNS[0],
        EVIDENCE_COLUMNS[1],
        EVIDENCE_COLUMNS[5],
    ),
    sort_by=("date", "kind", "event_id"),
    key="event_id",
)

SURGE_RATES = Table(
    name="surge_rates",
    title="Surge rates (derived)",
    description="Every user_surges fact with its per-day rate and, where one exists, its baseline and multiplier.",
    columns=(
        *[c for c in USER_SURGES.columns if c is not NOTES],
        Column("metric_kind", "enum", "`flow` (count over the period), `rate` (already per day) or `stock` (a level).",
               enum=("flow", "rate", "stock")),
        Column("days", "integer", "Days in the period, counted inclusively (flows and rates with a known span).",
               required=False, minimum=1),
        Column("per_day", "number", "Flows: value ÷ days; rates: value; stocks: empty.", required=False, minimum=0),
        Column("baseline_id", "string", "The `id` of the figure this one is compared with (see Baselines).", required=False,
               references="surge_rates.id"),
        Column("baseline_value", "number", "The baseline's per-day rate (flows, rates) or level (stocks).",
               required=False, minimum=0),
        Column("multiplier", "number", "per_day ÷ baseline per_day (flows, rates) or value ÷ baseline value (stocks).",
               required=False, minimum=0),
        Column("cross_source", "boolean", "The baseline is another reporter's figure: the multiplier compares two ways "
               "of counting as much as two periods, so it is kept out of headlines and records.", required=False),
        *EVIDENCE_COLUMNS,
        NOTES,
    ),
    sort_by=("period_start", "platform", "id"),
)

PROCESSED_WAVES = Table(
    WAVES.name, WAVES.title, WAVES.description,
    WAVES.columns + (
        Column("n_facts", "integer", "Facts in any fact table whose `wave` is this wave.", minimum=0),
        Column("n_surge_figures", "integer", "Of those, figures in `user_surges`.", minimum=0),
        Column("n_company_claims", "integer", "Of those figures, the companies' own claims.", minimum=0),
        Column("tier12_share", "number", "Share of the wave's facts with a tier-1 or tier-2 page (0–1).",
               required=False, minimum=0, maximum=1),
        Column("n_weakly_sourced", "integer", "The wave's facts whose every page is on a tier-4 site.", minimum=0),
    ),
    WAVES.sort_by, WAVES.rules, WAVES.key,
)

WAVE_PROFILES = Table(
    name="wave_profiles",
    title="Wave profiles (derived)",
    description="One row per wave and destination platform: the peak arrival figure, its quiet baseline and "
                "multiple, how fast it came and how much stayed, each traceable to its facts; `gap` says what "
                "the data lacks.",
    columns=(
        Column("wave", "slug", "The wave (`waves.wave`).", references="waves.wave"),
        Column("destination", "slug", "A platform users went to (from `waves.destinations`).",
               references="platforms.platform"),
        Column("n_figures", "integer", "The wave's surge figures for this platform.", minimum=0),
        Column("circumvention", "boolean", "The destination is a way around a block or an age check (a VPN "
               "service, platform category `vpn`), not a platform users moved to; empty when the platforms table "
               "was not given.", required=False),
        Column("peak_id", "string", "The peak: of the wave's arrival figures (downloads, new users, sign-ups) for "
               "this platform that end no more than 7 days before the wave starts, the highest per-day rate "
               "among those with a quiet baseline, else the highest.",
               required=False, references="user_surges.id"),
        Column("peak_metric", "enum", "What the peak counts.", required=False, enum=METRICS),
        Column("peak_reporter", "string", "Who measured the peak.", required=False),
        Column("peak_claim_type", "enum", "Whose figure the peak is; company figures are claims.", required=False,
               enum=CLAIM_TYPES),
        Column("peak_geography", "geography", "Where the peak was counted.", required=False),
        Column("peak_start", "date", "First day of the peak figure's period.", required=False),
        Column("peak_end", "date", "Last day of the peak figure's period.", required=False),
        Column("peak_per_day", "number", "The peak's per-day rate.", required=False, minimum=0),
        Column("days_to_peak", "integer", "Days from the wave's `start` to `peak_start` (negative when the peak figure's "
               "period began before the first trigger).", required=False),
        Column("baseline_id", "string", "The peak's quiet baseline: the latest figure of the same platform, metric "
               "family and geography that ends before the wave starts, is not itself a spike and lies mostly "
               "outside the window of every other wave with the same destination.", required=False,
               references="user_surges.id"),
        Column("baseline_start", "date", "First day of the baseline's period.", required=False),
        Column("baseline_end", "date", "Last day of the baseline's period.", required=False),
        Column("baseline_per_day", "number", "The baseline's per-day rate.", required=False, minimum=0),
        Column("peak_multiple", "number", "`peak_per_day` ÷ `baseline_per_day`.", required=False, minimum=0),
        Column("cross_source", "boolean", "The baseline is another reporter's figure than the peak: the multiple "
               "compares two ways of counting, so it is drawn but not ranked.", required=False),
        Column("weakly_sourced", "boolean", "The peak or its baseline rests on tier-4 pages alone: drawn as weak, "
               "not ranked.", required=False),
        Column("later_id", "string", "The later level: the wave's latest user count (total, monthly or daily "
               "active) for this platform dated after the peak (or the latest, without a peak).", required=False,
               references="user_surges.id"),
        Column("later_metric", "enum", "What the later level counts.", required=False, enum=METRICS),
        Column("later_date", "date", "The day (or month, year) of the later level.", required=False),
        Column("later_value", "number", "The later level.", required=False, minimum=0),
        Column("high_id", "string", "The highest earlier level in the wave of the same metric, platform and "
               "geography from the same reporter, where there is one.", required=False,
               references="user_surges.id"),
        Column("later_ratio", "number", "`later_value` ÷ that highest earlier level: below 1, part of the surge "
               "was lost; above 1, it grew.", required=False, minimum=0),
        Column("gap", "string", "What the data lacks for this row, in words; empty when nothing is missing.",
               required=False),
    ),
    sort_by=("wave", "destination"),
    key="",  # one row per (wave, destination)
)

DERIVED_TABLES: tuple[Table, ...] = (EVENTS, SURGE_RATES, WAVE_PROFILES)
# What each derived table is made from (raw table names); ``build`` and ``load_table(data_dir=…)`` both read
# this, so a table is made when, and only when, its inputs are there. `waves` gains its counts from the facts.
MADE_FROM: dict[str, tuple[str, ...]] = {
    "events": ("platforms", "account_bans", "store_removals", "context_events"),
    "surge_rates": ("user_surges",),
    "waves": ("waves",),
    "wave_profiles": ("waves", "user_surges"),
}
PROCESSED_TABLES: tuple[Table, ...] = (
    *(with_evidence(t) for t in FACT_TABLES), PROCESSED_WAVES, PUBLISHERS, PROCESSED_CITATIONS, *DERIVED_TABLES)


def all_tables() -> tuple[Table, ...]:
    """Every table as it is in data/raw, then the derived ones."""
    return RAW_TABLES + DERIVED_TABLES


def processed_table(name: str) -> Table:
    """A table as ``build`` writes it to data/processed."""
    return {t.name: t for t in PROCESSED_TABLES}[name]


def table_names() -> list[str]:
    """The names ``load_table`` accepts: every table in data/processed."""
    return [t.name for t in PROCESSED_TABLES]
