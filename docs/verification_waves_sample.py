"""Draw the waves spot-check sample: the new facts of the release after 0.1.0.

Population: every fact in the four fact tables (account_bans, store_removals,
user_surges, context_events) whose `wave` is one of the waves in
data/raw/waves.csv other than january_2021 and whose id has a numeric part of
1001 or more (ban-1001, store-2003, surge-3010, ctx-4016, ...).  Facts with an
empty `wave` are not in any wave and are left out.
Draw: 3 facts per wave (all of them if the wave has fewer).  Waves are taken in
sorted order of their slug, ids are sorted within each wave, and one shared
random.Random(20261201) draws each wave's facts with rng.sample(ids, k).
"""
import csv
import io
import random
import re
import subprocess
import sys
from pathlib import Path

REPO, COMMIT = str(Path(__file__).resolve().parents[1]), "ee87ba4"  # data as committed, not the working tree
TABLES = ["account_bans", "store_removals", "user_surges", "context_events"]
K, SEED, MIN_ID, EXCLUDED_WAVE = 3, 20261201, 1001, "january_2021"


def read_at_commit(path):
    """Rows of a CSV file at COMMIT (the working tree may be edited by others)."""
    text = subprocess.run(["git", "-C", REPO, "show", f"{COMMIT}:{path}"],
                          check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def id_number(fact_id):
    return int(re.search(r"(\d+)$", fact_id).group(1))


def main():
    waves = sorted(r["wave"] for r in read_at_commit("data/raw/waves.csv") if r["wave"] != EXCLUDED_WAVE)
    by_wave = {w: [] for w in waves}
    table_of = {}
    for t in TABLES:
        for r in read_at_commit(f"data/raw/{t}.csv"):
            if r["wave"] in by_wave and id_number(r["id"]) >= MIN_ID:
                by_wave[r["wave"]].append(r["id"])
                table_of[r["id"]] = t
    rng = random.Random(SEED)
    w = csv.writer(sys.stdout)
    w.writerow(["wave", "wave_size", "k", "table", "fact_id"])
    for wave in waves:
        ids = sorted(by_wave[wave])
        k = min(K, len(ids))
        for fid in sorted(rng.sample(ids, k)):
            w.writerow([wave, len(ids), k, table_of[fid], fid])


if __name__ == "__main__":
    main()
