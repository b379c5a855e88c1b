"""build: validated, atomic, byte-reproducible, and the committed outputs are fresh."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from migration_analysis import DataValidationError
from migration_analysis.data import load, staging
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


def test_a_swap_interrupted_after_the_commit_is_finished_by_the_next_build(repo_copy, monkeypatch):
    build(repo_copy)
    outputs = {path: text + "changed\n" for path, text in build_outputs(repo_copy).items()}
    real_replace, moved = os.replace, []

    def crash_after_two_files(src, dst):
        if Path(dst).name != staging.JOURNAL and len(moved) == 2:
            raise KeyboardInterrupt  # killed between two renames of the set
        if Path(dst).name != staging.JOURNAL:
            moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_two_files)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(outputs)
    monkeypatch.setattr(os, "replace", real_replace)
    # Two files are new, the rest old: a mix, which the journal marks and the loaders refuse to read.
    assert staging.pending_build(repo_copy)
    monkeypatch.setattr(load, "default_data_dir", lambda: repo_copy / "data" / "processed")
    with pytest.raises(RuntimeError, match="interrupted build left .* half-updated; run `migration-analysis build`"):
        load.load_table("waves")
    assert write_atomically(outputs) == []  # the next build finishes the swap first: nothing left to change
    assert {p: p.read_text(encoding="utf-8") for p in outputs} == outputs
    assert not (repo_copy / staging.STAGING).exists() and not staging.pending_build(repo_copy)


@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5, 3.5, 5.0])
def test_a_killed_build_leaves_the_old_set_or_one_the_next_build_finishes(tmp_path, delay):
    # Build the real data, change one raw row, start a build in another process and kill it after
    # `delay` seconds (before, during or after its work, depending on the machine): what is left is the
    # old set, the new set, or a committed swap that the next build completes. Never a silent mix.
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    build(root)
    old = snapshot(root)
    surges = root / "data/raw/user_surges.csv"
    surges.write_text(surges.read_text(encoding="utf-8").replace(",25000000,", ",25000001,", 1), encoding="utf-8")
    expected = {str(p.relative_to(root)): t.encode("utf-8") for p, t in build_outputs(root).items()}
    code = f"from migration_analysis.data.build import build; build({str(root)!r})"
    process = subprocess.Popen([sys.executable, "-c", code])
    time.sleep(delay)
    process.kill()
    process.wait()
    left = snapshot(root)
    outputs = {k: v for k, v in left.items() if not k.startswith(staging.STAGING)}
    if not staging.pending_build(root):
        assert all(outputs[k] in (old.get(k), expected[k]) for k in expected)
        assert {outputs[k] == expected[k] for k in expected if old.get(k) != expected[k]} in ({True}, {False})
    build(root)
    final = snapshot(root)
    assert {k: final[k] for k in expected} == expected and not any(k.startswith(staging.STAGING) for k in final)


def test_two_builds_at_once_take_turns(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    expected = {str(p.relative_to(root)): t.encode("utf-8") for p, t in build_outputs(root).items()}
    code = f"from migration_analysis.data.build import build; build({str(root)!r})"
    processes = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    assert [p.wait() for p in processes] == [0, 0]
    final = snapshot(root)
    assert {k: final[k] for k in expected} == expected and not any(k.startswith(staging.STAGING) for k in final)
