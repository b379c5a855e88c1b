"""The numbers the README quotes are the data's, so they cannot go stale silently.

Each is recomputed here from data/processed with plain pandas (not through the package's analysis functions,
whose results they describe), then written as the README writes it and looked up in the README's text.
"""

import ast
import re

import pandas as pd

import migration_analysis as ma
from conftest import ROOT
from migration_analysis import schema

PROCESSED = ROOT / "data" / "processed"
FACT_TABLES = ["account_bans", "store_removals", "user_surges", "context_events", "platforms"]
DATED_TABLES = FACT_TABLES[:4]
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                           "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS_BY_VALUE = {i: w for w, i in NUMBER_WORDS.items()}


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv", keep_default_na=True)


def readme() -> str:
    return re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))


def million(value: float) -> str:
    """25000000 -> '25 million', 8333333.3 -> '8.3 million'."""
    return f"{value / 1e6:.1f}".removesuffix(".0") + " million"


def short_million(value: float) -> str:
    """17800000 -> '17.8M', 2000000 -> '2M', 810000 -> '0.8M'."""
    return f"{value / 1e6:.1f}".removesuffix(".0") + "M"


def day(value) -> str:
    value = pd.Timestamp(value)
    return f"{value.day} {value:%B %Y}"


def span(start, end) -> str:
    """'10–12 January 2021' (the README's way: one month), else '29 December 2020 – 4 January 2021'."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    return f"{day(start)} – {day(end)}"


def flagged(frame: pd.DataFrame, column: str) -> pd.Series:
    """A true/false/missing column read from CSV, missing counted as false."""
    return frame[column].astype("boolean").fillna(False).astype(bool)


def disputed_facts() -> set[str]:
    """Facts with a page that gives another date or value: a citation with reported_date or reported_value."""
    citations = table("citations")
    return set(citations.loc[citations["reported_date"].notna() | citations["reported_value"].notna(), "fact_id"])


def test_readme_counts_match_the_data():
    facts = {name: table(name) for name in FACT_TABLES}
    assert set(facts) == {t.name for t in schema.FACT_TABLES}
    citations = table("citations")
    tiers = pd.concat(facts.values())["best_tier"].value_counts()
    assert sum(int(f["disputed"].sum()) for f in facts.values()) == len(disputed_facts())  # the data agrees with itself
    expected = (
        f"{len(facts['account_bans'])} account actions, {len(facts['store_removals'])} app-store and "
        f"infrastructure actions, {len(facts['user_surges'])} user figures, {len(facts['context_events'])} context "
        f"events and {len(facts['platforms'])} platforms: {sum(map(len, facts.values()))} facts, stated by "
        f"{len(citations)} citations of {citations['source_url'].nunique()} distinct pages read on "
        f"{citations['publisher'].nunique()} sites. {len(disputed_facts())} facts have a page "
        f"that gives another date or value. Facts by the tier of their best page: "
        + ", ".join(f"{tiers.get(t, 0)} in tier {t}" for t in (1, 2, 3, 4))
    )
    assert expected in readme()
    assert f"derives them from the citations ({len(disputed_facts())} facts in this version)" in readme()


def test_readme_wave_counts_match_the_data():
    waves = table("waves")
    in_waves = sum(int(table(name)["wave"].notna().sum()) for name in DATED_TABLES)
    text = readme()
    assert f"({in_waves} facts in {len(waves)} waves)" in text
    well_sourced = waves["tier12_share"] >= 0.7
    assert f"{int(well_sourced.sum())} of the {len(waves)} waves reach 70%" in text
    # The waves below 70%, by name and number.
    match = re.search(r"(\w+) waves have under 70% of their facts on tier-1 or tier-2 pages \(([^)]*)\)", text)
    assert match, "the README names the waves under 70%"
    named = re.findall(r"`([a-z0-9_]+)`", match.group(2))
    assert sorted(named) == sorted(waves.loc[~well_sourced, "wave"]) and len(named) == len(set(named))
    assert NUMBER_WORDS[match.group(1).lower()] == int((~well_sourced).sum())


def test_readme_wave_records_match_the_profiles():
    profiles, surges, platforms = table("wave_profiles"), table("user_surges").set_index("id"), table("platforms")
    names = dict(zip(platforms["platform"], platforms["name"]))
    text = readme()
    with_multiple = profiles[profiles["peak_multiple"].notna()]
    assert (f"{NUMBER_WORDS_BY_VALUE[len(with_multiple)].capitalize()} destinations in "
            f"{NUMBER_WORDS_BY_VALUE[with_multiple['wave'].nunique()]} waves have a multiple; the other "
            f"{len(profiles) - len(with_multiple)} rows say what is missing") in text

    # Ranked only like for like: the same reporter's baseline, neither figure on tier-4 pages alone.
    ranked = with_multiple[~flagged(with_multiple, "cross_source") & ~flagged(with_multiple, "weakly_sourced")]
    claims = ranked[ranked["peak_claim_type"] == "company_claim"]
    top = claims.loc[claims["peak_multiple"].idxmax()]
    peak, base = surges.loc[top["peak_id"]], surges.loc[top["baseline_id"]]
    assert peak["metric"] == "new_users" and base["metric"] == "daily_signups"
    assert (f"{names[top['destination']]}'s {million(peak['value'])} sign-ups over "
            f"{span(peak['period_start'], peak['period_end'])} are the largest multiple: {top['peak_multiple']:.0f}× the "
            f"{million(base['value'])} a day it reported for {pd.Timestamp(base['period_start']).year}") in text

    # Among the analytics firms' estimates, the largest ranked one.
    estimates = ranked[ranked["peak_claim_type"] == "third_party_estimate"]
    row = estimates.loc[estimates["peak_multiple"].idxmax()]
    peak, base = surges.loc[row["peak_id"]], surges.loc[row["baseline_id"]]
    start, end = pd.Timestamp(base["period_start"]), pd.Timestamp(base["period_end"])
    assert (start.day_of_year, end) == (1, start + pd.offsets.YearEnd(0))  # a whole year's average
    assert (f"{names[row['destination']]}'s downloads on {day(peak['period_start'])} ({row['peak_reporter']}, "
            f"{row['peak_multiple']:.0f}× its {start.year} average) are the largest") in text

    # Every multiple drawn but not ranked is named, largest first.
    unranked = with_multiple.drop(ranked.index).sort_values("peak_multiple", ascending=False)
    sentence = " ".join(text[text.index("Drawn but not ranked"):].split(". ")[0].split())
    expected = ", ".join(f"{names[r.destination]}'s {r.peak_multiple:.0f}× ({day(surges.loc[r.peak_id, 'period_start'])})"
                         for r in unranked.itertuples())
    assert expected.replace(", " + expected.split(", ")[-1], " and " + expected.split(", ")[-1]) in sentence

    # The clearest fade: the lowest later level against the same reporter's high.
    fade = profiles.loc[profiles["later_ratio"].idxmin()]
    later, high = surges.loc[fade["later_id"]], surges.loc[fade["high_id"]]
    assert pd.Timestamp(high["period_end"]) == pd.Timestamp(later["period_start"]) - pd.Timedelta(days=1)
    assert later["metric"] == "daily_active_users" and later["geography"] == "US"
    assert (f"{names[fade['destination']].split(' (')[0]}'s: {later['reporter']}'s count of its US daily users on "
            f"{day(later['period_start'])} was {fade['later_ratio']:.0%} of the day before") in text


def test_readme_rate_examples_match_the_surge_rates():
    rates = table("surge_rates").set_index("id")
    text = readme()
    # Telegram's 25 million new users (surge-0002) against its 2020 daily sign-ups.
    telegram = rates.loc["surge-0002"]
    base = rates.loc[telegram["baseline_id"]]
    assert pd.Timestamp(base["period_start"]).day_of_year == 1 and base["period_end"].endswith("-12-31")
    assert (f"Telegram's {million(telegram['value'])} new users over "
            f"{span(telegram['period_start'], telegram['period_end'])} ({million(telegram['per_day'])} a day) against "
            f"its {million(base['per_day'])} a day in {base['period_start'][:4]} gives {telegram['multiplier']:.1f}×") in text
    # Signal's 17.8M downloads (surge-0029), Sensor Tower's, against the week before.
    signal = rates.loc["surge-0029"]
    base = rates.loc[signal["baseline_id"]]
    assert base["days"] == 7 and pd.Timestamp(base["period_end"]) + pd.Timedelta(days=1) == pd.Timestamp(signal["period_start"])
    assert (f"Signal's {short_million(signal['value'])} downloads over {span(signal['period_start'], signal['period_end'])} "
            f"({signal['reporter']}) against {base['value']:,} in the week before is {signal['multiplier']:.0f}×") in text
    # MeWe's US downloads (surge-0150) against Apptopia's daily figure before 6 January.
    mewe = rates.loc["surge-0150"]
    base = rates.loc[mewe["baseline_id"]]
    assert mewe["geography"] == "US" and base["metric"] == "daily_downloads" and base["period_end"] < mewe["period_start"]
    assert (f"MeWe's US downloads in {span(mewe['period_start'], mewe['period_end']).removesuffix(' 2021')} "
            f"({mewe['reporter']}) against {base['reporter']}'s daily average before "
            f"{day(mewe['period_start']).removesuffix(' 2021')} is {mewe['multiplier']:.0f}×") in text


def test_readme_disagreement_examples_match_the_citations():
    citations, bans, surges = table("citations"), table("account_bans").set_index("id"), table("user_surges")
    stores = table("store_removals").set_index("id")
    text = readme()
    # AWS cut Parler off on 10 January (store-0011); the pages that give 11 January are disagreeing citations.
    aws = stores.loc["store-0011"]
    assert (aws["app"], aws["provider"], aws["date"]) == ("parler", "aws", "2021-01-10")
    later = citations[(citations["fact_id"] == "store-0011") & (citations["reported_date"] == "2021-01-11")]
    assert f"the fact is 10 January, and {NUMBER_WORDS_BY_VALUE[len(later)]} pages that give Monday 11 January" in text
    # Twitter's QAnon purge (ban-0004): 70,000 accounts on 11 January, EFE's 12 January.
    qanon = bans.loc["ban-0004"]
    assert qanon["date"] == "2021-01-11" and f"some {qanon['accounts_affected']:,.0f} accounts banned" in text
    assert f"more than {qanon['accounts_affected']:,.0f} accounts either way" in text
    efe = citations[(citations["fact_id"] == "ban-0004") & citations["reported_date"].notna()]
    assert list(efe["reported_date"]) == ["2021-01-12"] and "EFE gives Tuesday 12" in text
    # Meta's reinstatement of Trump (ban-0082), Semafor's other day, and the announcement (ban-0078).
    assert bans.loc["ban-0082", "date"] == "2023-02-09" and bans.loc["ban-0078", "date"] == "2023-01-25"
    semafor = citations[(citations["fact_id"] == "ban-0082") & citations["reported_date"].notna()]
    assert list(zip(semafor["publisher"], semafor["reported_date"])) == [("semafor", "2023-02-08")]
    assert "restored on Thursday 9 February 2023" in text and "Semafor gives Wednesday 8" in text
    assert "Announced 25 January (`reinstatement_announced`)" in text
    # Trump's Twitter followers at the ban (ban-0001).
    assert f"at the ban: {short_million(bans.loc['ban-0001', 'followers'])}" in text
    # Figures by different firms on the same days are different facts.
    def figure(platform, reporter, start, end=None, geography=None):
        rows = surges[(surges["platform"] == platform) & (surges["reporter"] == reporter)
                      & (surges["period_start"] == start) & (surges["period_end"] == (end or start))
                      & (surges["metric"] == "downloads")]
        if geography:
            rows = rows[rows["geography"] == geography]
        assert len(rows) == 1, (platform, reporter, start)
        return rows["value"].iloc[0]
    signal = [figure("signal", firm, f"2021-01-{d}") for firm in ("Apptopia", "Appfigures") for d in (10, 11)]
    assert (f"Apptopia about {short_million(signal[0])} and {short_million(signal[1])}, Appfigures over "
            f"{short_million(signal[2])} and {short_million(signal[3])}") in text
    telegram = [figure("telegram", firm, "2021-01-06", "2021-01-10", geography=where)  # not India's alone
                for firm, where in (("Apptopia", "worldwide"), ("Sensor Tower", "unstated"))]
    assert f"(Apptopia {short_million(telegram[0])}, Sensor Tower {short_million(telegram[1])})" in text
    parler = [figure("parler", firm, f"2021-01-0{d}", geography="US") for firm in ("Apptopia", "Sensor Tower")
              for d in (7, 8)]
    assert (f"(Apptopia {parler[0]:,} and {parler[1]:,}; Sensor Tower about {parler[2]:,} and {parler[3]:,})") in text


def readme_snippets() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_every_readme_snippet_runs(tmp_path, monkeypatch):
    """The Python snippets, run in order as a reader would, from a folder holding the files they name."""
    import shutil

    import matplotlib

    matplotlib.use("Agg")
    shutil.copytree(ROOT / "examples" / "own_data", tmp_path / "my_folder")
    shutil.copy(ROOT / "tests" / "fixtures" / "trends" / "multiTimeline_day.csv", tmp_path / "multiTimeline.csv")
    monkeypatch.chdir(tmp_path)
    snippets = readme_snippets()
    assert len(snippets) >= 2
    namespace: dict = {}
    for snippet in snippets:
        exec(compile(snippet, "README.md", "exec"), namespace)
    assert sorted(p.name for p in (tmp_path / "my_figures").iterdir()) == sorted(
        f"{name}.{ext}" for name in ("surges", "gab_2018") for ext in ("csv", "pdf", "png", "svg"))
    # Each CSV twin holds the data of the figure saved with it (drawn afresh here, by name).
    import matplotlib.pyplot as plt

    for name, (fig, data) in {"surges": ma.draw_figure("02_surges_per_day"),
                              "gab_2018": ma.draw_wave_timeline("gab_2018")}.items():
        plt.close(fig)
        saved = pd.read_csv(tmp_path / "my_figures" / f"{name}.csv")
        assert list(saved.columns)[-len(data.columns):] == [str(c) for c in data.columns] and len(saved) == len(data)


def test_readme_saves_each_figure_with_its_own_data():
    """In the snippets, save_figure(FIG, ..., data=DATA) takes FIG and DATA from the same `FIG, DATA = ...`."""
    for snippet in readme_snippets():
        tree = ast.parse(snippet)
        made = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                names = [t.id for t in node.targets[0].elts if isinstance(t, ast.Name)]
                made.update({name: node.lineno for name in names})
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "save_figure":
                data = next((k.value for k in node.keywords if k.arg == "data"), None)
                if data is not None:
                    fig = node.args[0]
                    assert made[fig.id] == made[data.id], f"line {node.lineno}: {fig.id} saved with {data.id}'s data"


def test_own_data_template_has_every_raw_table_with_its_header():
    folder = ROOT / "examples" / "own_data"
    for table in schema.RAW_TABLES:
        assert (folder / table.filename).read_text(encoding="utf-8") == ",".join(table.column_names) + "\n"


def test_dates_in_words_and_tables_for_readers():
    assert ma.day_text("2021-01-06") == "6 Jan 2021" and ma.day_text("2021-01-06", year=False) == "6 Jan"
    assert ma.period_text("2021-01-10", "2021-01-12") == "10–12 Jan 2021"
    assert ma.period_text("2020-12-28", "2021-01-03") == "28 Dec 2020 – 3 Jan 2021"
    frame = pd.DataFrame({"platform": ["telegram", None], "value": [25_000_000.0, None],
                          "share": [0.38, 0.275], "day": pd.to_datetime(["2021-01-10", None])})
    html = ma.show_table(frame).to_html()
    assert "25,000,000" in html and "0.28" in html and "10 Jan 2021" in html
    assert "nan" not in html and "NaT" not in html and "None" not in html and "row_heading" not in html
