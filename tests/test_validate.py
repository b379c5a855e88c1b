"""Validation: every rule of the schema, reported as FILE:LINE: column 'X': what (value 'v')."""

import csv
from pathlib import Path

import pytest

from migration_analysis import DataValidationError
from migration_analysis.data.schema import CONTEXT_EVENT_TYPES, TABLES
from migration_analysis.data.validate import validate_dir, validate_files


def problems_for(raw: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        validate_dir(raw)
    return [str(p) for p in info.value.problems]


def edit(raw: Path, table: str, old: str, new: str) -> None:
    path = raw / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {table}.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_fixture_passes(valid_dir):
    parsed = validate_dir(valid_dir)
    assert {name: len(p.rows) for name, p in parsed.items()} == {
        "platforms": 4, "account_bans": 2, "store_removals": 1, "user_surges": 3, "context_events": 1,
        "waves": 1, "publishers": 3, "citations": 13,
    }


# One case per rule: (table, text to replace, replacement, expected line, expected problem text).
BAD_INPUT = {
    "missing required column": ("context_events", "description,wave,notes", "wave,notes", 1,
                                "column 'description': is missing from the header"),
    "unknown column": ("context_events", ",notes\n", ",notes,source2\n", 1,
                       "column 'source2': is not a column of context_events"),
    "impossible date": ("store_removals", "2021-01-08,day", "2021-02-30,day", 2,
                        "column 'date': is not a date that exists (value '2021-02-30')"),
    "non-ISO date": ("store_removals", "2021-01-08,day", "08/01/2021,day", 2,
                     "column 'date': is not an ISO date YYYY-MM-DD (value '08/01/2021')"),
    "month precision not on the 1st": ("account_bans", "2021-01-01,month", "2021-01-11,month", 3,
                                       "column 'date': date_precision is 'month', so the date must be the 1st"),
    "year precision not on 1 January": ("user_surges", "2020-01-01,2020-12-31,year", "2020-03-01,2020-12-31,year", 2,
                                        "column 'period_start': date_precision is 'year'"),
    "period end before start": ("user_surges", "2021-01-10,2021-01-12,day,false,worldwide",
                                "2021-01-10,2021-01-09,day,false,worldwide", 3,
                                "column 'period_end': is before period_start 2021-01-10 (value '2021-01-09')"),
    "negative count": ("account_bans", ",70000,", ",-70000,", 3,
                       "column 'accounts_affected': is not a whole number of zero or more"),
    "negative value": ("user_surges", ",1500000,", ",-1500000,", 2,
                       "column 'value': is not a number of zero or more"),
    "enum value": ("store_removals", "app_store,removed", "app_store,deleted", 2,
                   "column 'action': is not one of: warned, removed"),
    "duplicate id": ("user_surges", "surge-0003", "surge-0002", 4,
                     "column 'id': duplicates the id on line 3 (value 'surge-0002')"),
    "unknown platform": ("store_removals", ",parler,google_play,", ",parlor,google_play,", 2,
                         "column 'app': is not a platform in"),
    "source_url not http(s)": ("citations", "https://example.org/capitol", "ftp://example.org/capitol", 14,
                               "column 'source_url': is not an http(s) URL (value 'ftp://example.org/capitol')"),
    "too few fields": ("store_removals", "lack of moderation,january_2021,\n", "lack of moderation,january_2021\n", 2,
                       "too few fields: 9 instead of 10"),
    "too many fields": ("store_removals", "lack of moderation,january_2021,\n", "lack of moderation,january_2021,,extra\n",
                        2, "too many fields: 11 instead of 10"),
    "formula injection =": ("context_events", "Rioters storm", "=HYPERLINK(1)", 2,
                            "column 'description': starts with '=', '+', '-' or '@'"),
    "formula injection @": ("account_bans", ",realDonaldTrump,", ",@realDonaldTrump,", 2,
                            "column 'target': starts with '=', '+', '-' or '@'"),
    "formula injection +": ("store_removals", "lack of moderation", "+cmd", 2, "column 'reason': starts with"),
    "formula injection -": ("store_removals", "lack of moderation", "-cmd", 2, "column 'reason': starts with"),
    "required cell empty": ("account_bans", ",realDonaldTrump,", ",,", 2, "column 'target': is required but empty"),
    "boolean": ("user_surges", "company_claim,true", "company_claim,yes", 4, "column 'derived': must be 'true' or 'false'"),
    "slug": ("context_events", ",us_capitol_rioters,", ",US Capitol rioters,", 2, "column 'actor': is not a lowercase slug"),
    "same fact twice": ("user_surges", "9500000,2021-01-10,2021-01-12,day,false,asia,Telegram,company_claim,true",
                        "25000000,2021-01-10,2021-01-12,day,false,worldwide,Telegram,company_claim,false", 4,
                        "states the same fact as line 3; keep one fact and cite every page for it"),
    # Waves.
    "unknown wave": ("store_removals", ",january_2021,", ",january_2012,", 2,
                     "column 'wave': is not a wave in"),
    "wave start is not the trigger's day": ("waves", ",2021-01-06,2021-01-31,", ",2021-01-05,2021-01-31,", 2,
                                            "column 'start': is not the date of the earliest trigger (2021-01-06)"),
    "wave ends before it starts": ("waves", ",2021-01-06,2021-01-31,", ",2021-01-06,2020-12-31,", 2,
                                   "column 'end': is before start 2021-01-06 (value '2020-12-31')"),
    "destinations not a list of slugs": ("waves", ",twitter parler,telegram,", ",twitter parler,Telegram  Signal,", 2,
                                         "column 'destinations': is not a list of slugs separated by single spaces"),
    "unknown destination": ("waves", ",twitter parler,telegram,", ",twitter parler,telegram bluesky,", 2,
                            "column 'destinations': is not a platform in"),
    # Facts and their evidence.
    "fact without a citation": ("context_events", "ctx-0001,", "ctx-0002,", 2, "column 'id': has no citation in"),
    "citation of an unknown fact": ("citations", "cite-0013,ctx-0001,", "cite-0013,ctx-0009,", 14,
                                    "column 'fact_id': is not the id of a fact in the fact tables (value 'ctx-0009')"),
    "unknown publisher": ("citations", "cite-0008,store-0001,https://www.example.org/play,example_wire,",
                          "cite-0008,store-0001,https://www.example.org/play,example_news,", 9,
                          "column 'publisher': is not a publisher in"),
    "unknown original publisher": ("citations", "example_mirror,example_wire,2021-01-09", "example_mirror,reuters,2021-01-09", 7,
                                   "column 'original_publisher': is not a publisher in"),
    "host not among the publisher's domains": ("citations", "https://mirror.example.net/tg,example_mirror",
                                               "https://mirror.example.net/tg,example_wire", 13,
                                               "column 'source_url': is on mirror.example.net, which is not one of "
                                               "publisher 'example_wire''s domains (example.org wire.example.org)"),
    "same page twice for one fact": ("citations", "cite-0011,surge-0003,", "cite-0011,surge-0002,", 12,
                                     "cites the same page for the same fact as line 11"),
    "reported date equal to the fact's": ("citations", "2021-01-09,89000000", "2021-01-08,89000000", 7,
                                          "column 'reported_date': equals the fact's date; leave it empty"),
    "reported value equal to the fact's": ("citations", ",,24000000,", ",,25000000,", 13,
                                           "column 'reported_value': equals the fact's value; leave it empty"),
    "reported value on a fact without one": ("citations", "2021-01-09,2026-11-22,,,\ncite-0009",
                                             "2021-01-09,2026-11-22,,5,\ncite-0009", 9,
                                             "column 'reported_value': is set, but facts in store_removals have no value"),
    "reported date on a platform": ("citations", "cite-0001,twitter,https://example.org/twitter,example_wire,,,2026-11-22,,",
                                    "cite-0001,twitter,https://example.org/twitter,example_wire,,,2026-11-22,2006-03-21,", 2,
                                    "column 'reported_date': is set, but facts in platforms have no date"),
    "tier out of range": ("publishers", "mirror,4,", "mirror,5,", 4, "column 'tier': is not between 1 and 4 (value '5')"),
    "publisher kind": ("publishers", "example_wire,Example Wire,wire", "example_wire,Example Wire,newswire", 3,
                       "column 'kind': is not one of: company, government"),
    "domains not host names": ("publishers", "mirror.example.net,", "https://mirror.example.net,", 4,
                               "column 'domains': is not a space-separated list of host names"),
    "a domain under two publishers": ("publishers", "mirror.example.net,", "mirror.example.net example.org,", 4,
                                      "column 'domains': lists a domain already listed on line 3 (value 'example.org')"),
    "duplicate publisher": ("publishers", "example_mirror,Example Mirror", "example_wire,Example Mirror", 4,
                            "column 'publisher': duplicates the publisher on line 3"),
    "figure within 2% of another (1.6% apart)": ("user_surges", ",9500000,2021-01-10", ",24600000,2021-01-10", 4,
                                                 "column 'value': is within 2% of surge-0002 (line 3)"),
    "figure within 2% of another (exactly 2% apart)": ("user_surges", ",9500000,2021-01-10", ",24500000,2021-01-10", 4,
                                                       "column 'value': is within 2% of surge-0002 (line 3)"),
    "id shared by two tables": ("citations", "cite-0013,ctx-0001,", "surge-0001,ctx-0001,", 14,
                                "column 'id': is already the id of a row in"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_reported_with_file_line_and_column(valid_dir, case):
    table, old, new, line, expected = BAD_INPUT[case]
    edit(valid_dir, table, old, new)
    problems = problems_for(valid_dir)
    prefix = f"{valid_dir / table}.csv:{line}: "
    assert any(p.startswith(prefix) and expected in p for p in problems), problems


def test_a_figure_cannot_start_before_its_platform_was_founded(valid_dir):
    # Telegram's yearly figure starts on 2020-01-01: a founding year of 2020 is fine, 2021 is not.
    edit(valid_dir, "platforms", "telegram,telegram,Telegram,messenger,NA,2013", "telegram,telegram,Telegram,messenger,NA,2020")
    validate_dir(valid_dir)
    edit(valid_dir, "platforms", "telegram,telegram,Telegram,messenger,NA,2020", "telegram,telegram,Telegram,messenger,NA,2021")
    problems = problems_for(valid_dir)
    assert problems == [f"{valid_dir / 'user_surges'}.csv:2: column 'period_start': is before telegram was founded "
                        "(2021, platforms.csv) (value '2020-01-01')"]


def test_figures_more_than_2_percent_apart_or_of_another_period_are_not_duplicates(valid_dir):
    edit(valid_dir, "user_surges", ",9500000,2021-01-10", ",24400000,2021-01-10")  # 2.4% below 25,000,000
    validate_dir(valid_dir)
    edit(valid_dir, "user_surges", ",24400000,2021-01-10,2021-01-12", ",25000000,2021-01-10,2021-01-11")
    validate_dir(valid_dir)


def test_a_trigger_must_belong_to_its_wave_and_have_a_date(valid_dir):
    edit(valid_dir, "context_events", "Capitol,january_2021,", "Capitol,,")
    edit(valid_dir, "waves", ",ctx-0001,", ",ctx-0001 surge-0002,")
    problems = problems_for(valid_dir)
    assert f"{valid_dir / 'waves.csv'}:2: column 'trigger_ids': names a trigger whose wave is 'empty', not " \
           "'january_2021' (value 'ctx-0001')" in problems
    assert any(p.startswith(f"{valid_dir / 'waves.csv'}:2: column 'trigger_ids': names a trigger that has no date")
               and "surge-0002" in p for p in problems), problems


def test_every_problem_is_reported_at_once(valid_dir):
    edit(valid_dir, "store_removals", "2021-01-08,day", "2021-13-08,day")
    edit(valid_dir, "store_removals", "app_store,removed", "app_store,gone")
    edit(valid_dir, "context_events", "attack", "riot")
    problems = problems_for(valid_dir)
    assert len(problems) == 3
    assert sum("store_removals.csv:2:" in p for p in problems) == 2
    assert any("context_events.csv:2: column 'event_type'" in p for p in problems)


def test_not_utf8_names_line_and_column(valid_dir):
    path = valid_dir / "context_events.csv"
    path.write_bytes(path.read_bytes().replace(b"Rioters storm", b"Rioters \xe9 storm"))
    problems = problems_for(valid_dir)
    assert problems == [f"{path}:2: column 'description': not valid UTF-8 (byte 0xe9); save the file as UTF-8 "
                        "(value 'Rioters \\xe9 storm the US Capitol')"]


def test_bom_and_crlf_are_accepted_and_lines_still_match_an_editor(valid_dir):
    path = valid_dir / "account_bans.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    parsed = validate_dir(valid_dir)["account_bans"]
    assert parsed.header[0] == "id"
    assert parsed.lines == [2, 3]
    assert parsed.rows[1]["notes"] == "a note with a comma, and a\r\nsecond line"
    # A row after the two-line quoted cell is reported at its own editor line (5, not 4).
    path.write_bytes(path.read_bytes() + b"ban-0003,2021-01-32,day" + b"," * 9 + b"\r\n")
    problems = problems_for(valid_dir)
    assert any(p.startswith(f"{path}:5: column 'date': is not a date that exists") for p in problems), problems


def test_country_code_na_is_text_not_missing(valid_dir):
    parsed = validate_dir(valid_dir)["platforms"]
    assert parsed.rows[2]["country"] == "NA"


def test_unknown_table_name_and_missing_file(tmp_path):
    stray = tmp_path / "bans.csv"
    stray.write_text("id\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        validate_files([stray, tmp_path / "platforms.csv"])
    messages = [str(p) for p in info.value.problems]
    assert messages[0].startswith(f"{stray}:1: is not a known table")
    assert messages[1] == f"{tmp_path / 'platforms.csv'}:1: does not exist"


def test_unreadable_file_says_why(tmp_path):
    folder = tmp_path / "platforms.csv"
    folder.mkdir()  # exists, but is not a file
    with pytest.raises(DataValidationError) as info:
        validate_files([folder])
    assert str(info.value.problems[0]).startswith(f"{folder}:1: cannot be read: ")


def test_empty_file(valid_dir):
    (valid_dir / "context_events.csv").write_bytes(b"")
    # The file is named once; references to the facts it held (a citation, the wave's trigger) cannot be
    # checked against a table that could not be read, so they are not reported as pointing at nothing.
    assert problems_for(valid_dir) == [
        f"{valid_dir / 'context_events.csv'}:1: is empty: expected a header row with "
        "id, date, date_precision, actor, platform, event_type, description, wave, notes"]


def test_unterminated_quote_is_a_problem_not_a_crash(valid_dir):
    path = valid_dir / "context_events.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'ctx-0002,2021-01-20,day,joe_biden,,inauguration,"unclosed\n',
                    encoding="utf-8")
    problems = problems_for(valid_dir)
    assert any(p.startswith(f"{path}:3: ") for p in problems), problems


# --- malformed tables: one line each, never a traceback (#22) -----------------------------------

def drop_column(raw: Path, table: str, column: str) -> Path:
    """Remove ``column`` from ``table``'s header and every row, as a careless edit would."""
    path = raw / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    index = rows[0].index(column)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(row[:index] + row[index + 1:] for row in rows)
    return path


@pytest.mark.parametrize("table, column", [(t.name, c.name) for t in TABLES.values() for c in t.columns],
                         ids=[f"{t.name}-{c.name}" for t in TABLES.values() for c in t.columns])
def test_a_missing_column_is_one_line_and_no_traceback(valid_dir, table, column):
    path = drop_column(valid_dir, table, column)
    # Only DataValidationError may escape; the cross-table rules skip what they cannot check.
    assert problems_for(valid_dir) == [f"{path}:1: column '{column}': is missing from the header"]


def test_citations_without_source_url_is_one_line(valid_dir):
    path = drop_column(valid_dir, "citations", "source_url")
    with pytest.raises(DataValidationError) as info:
        validate_files([path])
    assert [str(p) for p in info.value.problems] == [f"{path}:1: column 'source_url': is missing from the header"]


# --- a fact cannot be dated after the pages that state it were read (#22) ------------------------

@pytest.mark.parametrize("table, old, new, line, column, value", [
    ("account_bans", "ban-0001,2021-01-08", "ban-0001,2099-01-08", 2, "date", "2099-01-08"),
    ("store_removals", "store-0001,2021-01-08", "store-0001,2026-11-23", 2, "date", "2026-11-23"),
    ("context_events", "ctx-0001,2021-01-06", "ctx-0001,2099-01-06", 2, "date", "2099-01-06"),
    ("user_surges", "25000000,2021-01-10,2021-01-12", "25000000,2021-01-10,2099-01-12", 3, "period_end", "2099-01-12"),
    ("platforms", "telegram,telegram,Telegram,messenger,NA,2013", "telegram,telegram,Telegram,messenger,NA,2099", 4,
     "founded", "2099"),
])
def test_a_fact_dated_after_its_pages_were_read_is_an_error(valid_dir, table, old, new, line, column, value):
    edit(valid_dir, table, old, new)
    if table == "context_events":  # keep the wave's window around its trigger: only the new rule may fire
        edit(valid_dir, "waves", ",2021-01-06,2021-01-31,", ",2099-01-06,2099-01-31,")
    problems = problems_for(valid_dir)
    fact_file = valid_dir / f"{table}.csv"
    assert [p for p in problems if "was read" in p] == [
        f"{fact_file}:{line}: column '{column}': is after the last day a page citing it was read "
        f"({valid_dir / 'citations.csv'}:{_citation_line(valid_dir, table, line)}, accessed 2026-11-22) "
        f"(value '{value}')"], problems


def _citation_line(raw: Path, table: str, line: int) -> int:
    """The line in citations.csv of the last-read citation of the fact on ``line`` of ``table`` (all read the same
    day in the fixture: the first)."""
    fact_id = (raw / f"{table}.csv").read_text(encoding="utf-8").splitlines()[line - 1].split(",")[0]
    lines = (raw / "citations.csv").read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, start=1) if text.split(",")[1:2] == [fact_id])


def test_a_fact_dated_the_day_its_latest_page_was_read_is_fine(valid_dir):
    # ban-0001 has two citations; the one read earlier does not count.
    edit(valid_dir, "citations", "example_company,,2021-01-08,2026-11-22", "example_company,,2021-01-08,2021-01-08")
    edit(valid_dir, "account_bans", "ban-0001,2021-01-08", "ban-0001,2026-11-22")
    validate_dir(valid_dir)


# --- a wave's window contains its triggers (#22) ---------------------------------------------------

def test_a_wave_ending_before_one_of_its_triggers_is_an_error(valid_dir):
    edit(valid_dir, "waves", ",2021-01-06,2021-01-31,ctx-0001,", ",2021-01-06,2021-01-07,ctx-0001 ban-0001,")
    assert problems_for(valid_dir) == [
        f"{valid_dir / 'waves.csv'}:2: column 'end': is before 2021-01-08, the date of its trigger ban-0001; a wave's "
        "window contains its triggers (value '2021-01-07')"]


def test_a_wave_may_end_on_its_last_triggers_day(valid_dir):
    edit(valid_dir, "waves", ",2021-01-06,2021-01-31,ctx-0001,", ",2021-01-06,2021-01-08,ctx-0001 ban-0001,")
    validate_dir(valid_dir)


def test_a_wave_ending_before_it_starts_is_one_line(valid_dir):
    edit(valid_dir, "waves", ",2021-01-06,2021-01-31,", ",2021-01-06,2021-01-05,")
    assert problems_for(valid_dir) == [
        f"{valid_dir / 'waves.csv'}:2: column 'end': is before start 2021-01-06 (value '2021-01-05')"]


# --- oversized cells (#22) -------------------------------------------------------------------------

def test_an_oversized_cell_is_reported_once_and_the_parse_goes_on(valid_dir):
    path = valid_dir / "context_events.csv"
    edit(valid_dir, "context_events", "Rioters storm the US Capitol", '"' + "x\n" * 100_000 + '"')
    with path.open("a", encoding="utf-8") as f:
        f.write("ctx-0002,2021-01-20,day,joe_biden,,inaugurated,Biden sworn in,,\n")
    limit, shown = csv.field_size_limit(), "x\\n" * 30
    problems = problems_for(valid_dir)
    assert csv.field_size_limit() == limit  # the module's limit is left as it was
    assert problems == [
        # The value is shown on one line: its first 60 characters, each newline written as \n.
        f"{path}:2: column 'description': is 200,000 characters long; the limit is 131,072 (value '{shown}…')",
        # The next row is read (at its editor line, after the 100,001 lines of the cell) and checked.
        f"{path}:100003: column 'event_type': is not one of: " + ", ".join(CONTEXT_EVENT_TYPES) + " (value 'inaugurated')",
        f"{path}:100003: column 'id': has no citation in {valid_dir / 'citations.csv'} (value 'ctx-0002')",
    ]


# --- a file that cannot be read is named once; what only follows from it is held back (#22) ------

def header_only(raw: Path, table: str) -> Path:
    path = raw / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return path


# What each table, emptied, leaves behind first (in the order validate_files checks).
FIRST_FOLLOWING = {
    "platforms": "account_bans.csv:2: column 'platform': is not a platform in {raw}/platforms.csv (value 'twitter')",
    "account_bans": "citations.csv:6: column 'fact_id': is not the id of a fact in the fact tables (value 'ban-0001')",
    "store_removals": "citations.csv:9: column 'fact_id': is not the id of a fact in the fact tables (value 'store-0001')",
    "user_surges": "citations.csv:10: column 'fact_id': is not the id of a fact in the fact tables (value 'surge-0001')",
    "context_events": "waves.csv:2: column 'trigger_ids': is not the id of a fact in the fact tables (value 'ctx-0001')",
    "waves": "account_bans.csv:2: column 'wave': is not a wave in {raw}/waves.csv (value 'january_2021')",
    "publishers": "citations.csv:2: column 'publisher': is not a publisher in {raw}/publishers.csv (value 'example_wire')",
    "citations": "platforms.csv:2: column 'id': has no citation in {raw}/citations.csv (value 'twitter')",
}


@pytest.mark.parametrize("table", list(TABLES))
def test_a_header_only_table_that_others_need_is_named_in_one_line(valid_dir, table):
    path = header_only(valid_dir, table)
    # Not each reference into it ("is not a platform", "has no citation"...): they only follow from it.
    [problem] = problems_for(valid_dir)
    first = FIRST_FOLLOWING[table].format(raw=valid_dir)
    assert problem.startswith(f"{path}:1: has a header but no rows, and ")
    assert problem.endswith(f" from that (the first: {valid_dir}/{first})"), problem


def test_tables_with_a_header_and_no_rows_are_valid_when_nothing_needs_them(valid_dir):
    # The template in examples/own_data: every table empty, to be filled in.
    for table in TABLES:
        header_only(valid_dir, table)
    assert {name: len(parsed.rows) for name, parsed in validate_dir(valid_dir).items()} == dict.fromkeys(TABLES, 0)


BROKEN_FILES = {
    # (table, text to replace, replacement, line, problem)
    "unclosed quote": ("context_events", "Rioters storm", '"Rioters storm', 2, "cannot be read as CSV: unexpected end of data"),
    "NUL byte": ("platforms", "Twitter", "Twit\x00ter", 2, "contains a NUL byte; is this a CSV text file?"),
    "tab-separated": ("publishers", "publisher,name,kind,tier,domains,country,notes", "publisher\tname\tkind\ttier\t"
                      "domains\tcountry\tnotes", 1, "has none of the columns of publishers in its header (expected: "
                      "publisher, name, kind, tier, domains, country, notes); is it a CSV file with commas?"),
}


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_a_file_that_cannot_be_parsed_is_named_once(valid_dir, case):
    table, old, new, line, problem = BROKEN_FILES[case]
    edit(valid_dir, table, old, new)
    assert problems_for(valid_dir) == [f"{valid_dir / table}.csv:{line}: {problem}"]


def test_a_row_of_the_wrong_width_is_named_once(valid_dir):
    # ctx-0001's row and cite-0013 (its only citation) lose a field: the fact and the citation cannot be read,
    # but the wave's trigger and the citation still name a row that is there.
    edit(valid_dir, "context_events", "Capitol,january_2021,\n", "Capitol,january_2021\n")
    edit(valid_dir, "citations", "cite-0013,ctx-0001,https://example.org/capitol,example_wire,,2021-01-06,2026-11-22,,,",
         "cite-0013,ctx-0001,https://example.org/capitol,example_wire,,2021-01-06,2026-11-22,,")
    assert problems_for(valid_dir) == [
        f"{valid_dir / 'context_events.csv'}:2: too few fields: 8 instead of 9",
        f"{valid_dir / 'citations.csv'}:14: too few fields: 9 instead of 10",
    ]


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _dangling(path: Path) -> None:
    path.unlink()
    path.symlink_to("gone.csv")


UNREADABLE = {
    "symlink loop": (_loop, "cannot be read: Too many levels of symbolic links"),
    "folder": (_folder, "cannot be read: it is a folder, not a file"),
    "link to nothing": (_dangling, "cannot be read: it is a link to gone.csv, which does not exist"),
}


@pytest.mark.parametrize("case", UNREADABLE)
@pytest.mark.parametrize("table", ["platforms", "citations"])
def test_a_file_that_cannot_be_opened_is_one_line(valid_dir, case, table):
    make, problem = UNREADABLE[case]
    path = valid_dir / f"{table}.csv"
    make(path)
    assert problems_for(valid_dir) == [f"{path}:1: {problem}"]
    with pytest.raises(DataValidationError) as info:
        validate_files([path])
    assert [str(p) for p in info.value.problems] == [f"{path}:1: {problem}"]


def test_a_file_without_permission_is_one_line(valid_dir, monkeypatch):
    path = valid_dir / "platforms.csv"
    read_bytes = Path.read_bytes

    def refuse(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root may read any file, so chmod cannot show it
    assert problems_for(valid_dir) == [f"{path}:1: cannot be read: Permission denied"]


def test_a_data_folder_that_is_not_there_is_one_line(tmp_path):
    with pytest.raises(DataValidationError) as info:
        validate_dir(tmp_path / "nowhere")
    assert [str(p) for p in info.value.problems] == [f"{tmp_path / 'nowhere'}:1: is not a folder"]


def test_a_wrong_reference_beside_an_empty_table_is_still_its_own_line(valid_dir):
    # No store removals (a valid, empty table), and a citation naming a context event that is not there:
    # the empty table is not blamed for an id that could not be one of its own.
    edit(valid_dir, "citations", "cite-0008,store-0001,", "cite-0008,ctx-0009,")
    header_only(valid_dir, "store_removals")
    assert problems_for(valid_dir) == [
        f"{valid_dir / 'citations.csv'}:9: column 'fact_id': is not the id of a fact in the fact tables (value 'ctx-0009')"]


def test_a_column_named_twice_is_not_checked_as_either(valid_dir):
    edit(valid_dir, "waves", "wave,name,", "wave,wave,")
    path = valid_dir / "waves.csv"
    # Not "column 'wave': is not a lowercase slug (value 'January 2021')": which cell is the wave is unknown.
    assert problems_for(valid_dir) == [f"{path}:1: column 'wave': appears twice in the header",
                                       f"{path}:1: column 'name': is missing from the header"]


def test_a_problem_is_one_line_however_long_or_broken_its_column_and_value():
    from migration_analysis.data.validate import Problem

    text = str(Problem("t.csv", 3, "is odd", "a\nb" * 50, "it's\r\n" * 50))
    assert "\n" not in text and "\r" not in text
    assert text == "t.csv:3: column '" + "a\\nb" * 20 + "…': is odd (value " + repr("it's\r\n" * 10 + "…") + ")"
