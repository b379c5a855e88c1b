"""build: validated, atomic, byte-reproducible, and the committed outputs are fresh."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from migration_analysis import DataValidationError
from migration_analysis.data.build import build, build_outputs, write_atomically


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_generated_files_equal_a_fresh_build():
    stale = [str(path.relative_to(ROOT)) for path, text in build_outputs(ROOT).items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert stale == [], f"stale generated files (run `migration-analysis build`): {stale}"


def test_build_writes_every_table_and_rebuild_is_byte_identical(repo_copy):
    written = build(repo_copy)
    names = sorted(p.name for p in written)
    assert names == sorted(["platforms.csv", "account_bans.csv", "store_removals.csv", "user_surges.csv",
                            "context_events.csv", "waves.csv", "publishers.csv", "citations.csv", "events.csv",
                            "surge_rates.csv", "wave_profiles.csv", "datapackage.json",
                            "data_dictionary.md"])
    first = snapshot(repo_copy)
    assert build(repo_copy) == []  # nothing changed, nothing rewritten
    assert snapshot(repo_copy) == first


def test_processed_rows_are_sorted_and_typed_text(repo_copy):
    build(repo_copy)
    lines = (repo_copy / "data/processed/account_bans.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("ban-0002,2021-01-01,month,")  # sorted by date
    surges = (repo_copy / "data/processed/user_surges.csv").read_text(encoding="utf-8")
    assert ",1500000," in surges and ",1500000.0," not in surges


def test_invalid_raw_data_writes_nothing(repo_copy):
    build(repo_copy)
    before = snapshot(repo_copy)
    raw = repo_copy / "data/raw/store_removals.csv"
    raw.write_text(raw.read_text().replace("app_store,removed", "app_store,vanished"))
    with pytest.raises(DataValidationError):
        build(repo_copy)
    after = snapshot(repo_copy)
    after.pop("data/raw/store_removals.csv"), before.pop("data/raw/store_removals.csv")
    assert after == before


def test_interrupted_write_leaves_previous_files_intact(repo_copy, monkeypatch):
    build(repo_copy)
    before = snapshot(repo_copy)
    outputs = {path: text + "changed\n" for path, text in build_outputs(repo_copy).items()}
    real_fsync, calls = os.fsync, []

    def crash_on_third_file(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the user pressed Ctrl-C mid-build
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", crash_on_third_file)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(outputs)
    assert snapshot(repo_copy) == before  # old files intact, no temporary files left behind


def test_a_new_fact_updates_the_readme_counts_with_no_hand_edit(tmp_path):
    # The contributor's path: copy the real data and README, add one fact and its page, build.
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copy(ROOT / "README.md", root / "README.md")
    surges, citations = root / "data/raw/user_surges.csv", root / "data/raw/citations.csv"
    before = len(pd.read_csv(surges))
    with open(surges, "a", encoding="utf-8") as f:
        f.write("surge-9999,telegram,downloads,1000,2021-02-01,2021-02-01,day,false,unstated,Example,"
                "third_party_estimate,false,,a test figure\n")
    with open(citations, "a", encoding="utf-8") as f:
        f.write("cite-99999,surge-9999,https://www.reuters.com/example,reuters,,,2026-12-03,,,a test page\n")
    build(root)
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert f"{before + 1} user figures" in readme and f"{before} user figures" not in readme
    assert build(root) == []  # and a second build changes nothing
