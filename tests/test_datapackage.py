"""data/datapackage.json checked by the reference Frictionless validator, on the shipped data and on faults.

Each fault is a copy of data/raw with one cell changed. ``migration-analysis validate`` catches every
one; the descriptor catches those Table Schema can express, and the others are the rules the data
dictionary lists as beyond it (``describe.descriptor_limits()``).
"""

import csv
import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import frictionless
import pytest

from conftest import ROOT
from migration_analysis import DataValidationError
from migration_analysis.data import describe
from migration_analysis.data.validate import validate_dir

DATA = ROOT / "data"


def errors_of(report) -> list[str]:
    return [f"{task.name}: {e.type}: {e.note}" for task in report.tasks for e in task.errors] + [
        f"package: {e.type}: {e.note}" for e in report.errors]


def test_the_shipped_data_passes_the_reference_validator():
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, errors_of(report)
    assert len(report.tasks) == len(describe.described_tables())


def test_the_descriptor_carries_package_metadata_and_file_checksums():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    from migration_analysis import __version__

    assert package["version"] == __version__
    assert package["created"].endswith("T00:00:00Z")
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["contributors"] and package["sources"]
    assert "homepage" not in package  # no public address is known; none is invented
    for resource in package["resources"]:
        path = DATA / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"].startswith("sha256:") and len(resource["hash"]) == 7 + 64


def test_a_changed_file_fails_its_hash(tmp_path):
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("LICENSE"))
    path = tmp_path / "data/raw/publishers.csv"
    path.write_bytes(path.read_bytes() + b"\n")  # one blank line more: the same table, other bytes
    report = frictionless.validate(str(tmp_path / "data/datapackage.json"))
    assert not report.valid
    assert {e.type for task in report.tasks for e in task.errors} >= {"hash-count", "byte-count"}


@dataclass
class Fault:
    name: str
    table: str
    changes: dict
    where: object = None  # a predicate picking the row (default: the first)
    expressible: bool = True  # Table Schema can say it, so the descriptor must catch it
    copy_row: bool = False  # append a changed copy of the row instead of changing it
    limit: str = ""  # for a fault Table Schema cannot express: words of the limit the data dictionary names
    extra: dict = field(default_factory=dict)


def _day_before(row, column):
    return (dt.date.fromisoformat(row[column]) - dt.timedelta(days=1)).isoformat()


FAULTS = [
    # What the issue found the old descriptor missing, where Table Schema can say it.
    Fault("formula prefix '='", "account_bans", {"target": "=HYPERLINK(\"x\")"}),
    Fault("formula prefix '@'", "account_bans", {"target": "@realDonaldTrump"}),
    Fault("leading space in text", "context_events", {"description": " The attack on the Capitol."}),
    Fault("trailing space in text", "publishers", {"name": "Reuters "}),
    Fault("geography Mars", "user_surges", {"geography": "Mars"}),
    Fault("value INF", "user_surges", {"value": "INF"}),
    Fault("founded 2200", "platforms", {"founded": "2200"}, where=lambda r: r["founded"]),
    # What it caught already.
    Fault("unknown action", "account_bans", {"action": "vanished"}),
    Fault("impossible date", "account_bans", {"date": "2021-02-30"}),
    Fault("non-ISO date", "store_removals", {"date": "08/01/2021"}),
    Fault("negative value", "user_surges", {"value": "-5"}),
    Fault("tier 5", "publishers", {"tier": "5"}),
    Fault("country not ISO", "platforms", {"country": "usa"}, where=lambda r: r["country"]),
    Fault("boolean yes", "user_surges", {"derived": "yes"}),
    Fault("required cell empty", "account_bans", {"target": ""}),
    Fault("actor not a slug", "context_events", {"actor": "US Navy"}),
    Fault("URL not http(s)", "citations", {"source_url": "ftp://example.com/page"}),
    Fault("host list malformed", "publishers", {"domains": "example..com"}),
    Fault("platform list with a double space", "waves", {"destinations": "telegram  signal"}),
    Fault("unknown platform", "account_bans", {"platform": "myspace_two"}),
    Fault("unknown publisher", "citations", {"publisher": "nobody_at_all"}),
    Fault("unknown wave", "account_bans", {"wave": "no_such_wave"}, where=lambda r: r["wave"]),
    Fault("id twice in one table", "citations", {}, copy_row=True),
    # Beyond Table Schema: validate only.
    Fault("month-precision date not on the 1st", "account_bans", {"date": None},
          where=lambda r: r["date_precision"] == "month", expressible=False, limit="A `month` date is the 1st",
          extra={"date": lambda r: r["date"][:8] + "15"}),
    Fault("period_end before period_start", "user_surges", {"period_end": None},
          expressible=False, limit="`period_end` is on or after `period_start`",
          extra={"period_end": lambda r: _day_before(r, "period_start")}),
    Fault("value 1e6", "user_surges", {"value": "1e6"}, expressible=False, limit="an exponent (`1e6`)"),
    Fault("whole number +5", "account_bans", {"accounts_affected": "+5"}, where=lambda r: r["accounts_affected"],
          expressible=False, limit="a sign (`+5`)"),
    Fault("whole number with a leading space", "account_bans", {"followers": " 5"}, where=lambda r: r["followers"],
          expressible=False, limit="surrounding spaces"),
    Fault("citation of an unknown fact", "citations", {"fact_id": "ban-9999"}, expressible=False,
          limit="name a fact in any of the fact tables"),
    Fault("an id used in two tables", "citations", {"id": "ban-0001"}, expressible=False,
          limit="unique across all tables"),
    Fault("accessed before source_date", "citations", {"accessed": None}, where=lambda r: r["source_date"],
          expressible=False, limit="`accessed` is not before `source_date`",
          extra={"accessed": lambda r: _day_before(r, "source_date")}),
    Fault("the same fact twice", "context_events", {"id": "ctx-9999"}, copy_row=True, expressible=False,
          limit="no fact is stored twice"),
]


def _apply(fault: Fault, raw: Path) -> None:
    path = raw / f"{fault.table}.csv"
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    index = next(i for i, r in enumerate(rows) if fault.where is None or fault.where(r))
    row = dict(rows[index])
    changes = {k: (fault.extra[k](row) if v is None else v) for k, v in fault.changes.items()}
    assert all(k in header for k in changes), f"{fault.name}: no such column in {fault.table}"
    row.update(changes)
    if fault.copy_row:
        rows.insert(index + 1, row)
    else:
        assert row != rows[index], f"{fault.name}: the change changes nothing"
        rows[index] = row
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def descriptor_without_checksums() -> dict:
    """The descriptor as shipped but without `bytes`/`hash`: a fault must be caught by the schema, not the hash."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource.pop("bytes"), resource.pop("hash")
    return package


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_is_caught_by_validate_and_by_the_descriptor_where_table_schema_can_say_it(
        fault, tmp_path, descriptor_without_checksums):
    data = tmp_path / "data"
    shutil.copytree(DATA / "raw", data / "raw")
    shutil.copytree(DATA / "processed", data / "processed")
    (data / "datapackage.json").write_text(json.dumps(descriptor_without_checksums), encoding="utf-8")
    _apply(fault, data / "raw")

    with pytest.raises(DataValidationError):
        validate_dir(data / "raw")

    package = frictionless.Package(str(data / "datapackage.json"))
    report = package.get_resource(fault.table).validate()
    if fault.expressible:
        assert not report.valid, f"the descriptor lets through: {fault.name}"
    else:
        assert report.valid, f"now caught by the descriptor; move it out of the limits: {errors_of(report)}"
        assert any(fault.limit in text for text in describe.descriptor_limits()), fault.limit
        assert fault.limit in (ROOT / "docs/data_dictionary.md").read_text(encoding="utf-8")


def test_the_issue_faults_are_all_covered():
    names = {f.name for f in FAULTS}
    listed = {"formula prefix '='", "formula prefix '@'", "leading space in text", "month-precision date not on the 1st",
              "period_end before period_start", "geography Mars", "value 1e6", "value INF", "whole number +5",
              "founded 2200"}
    assert listed <= names and len(FAULTS) >= 24
