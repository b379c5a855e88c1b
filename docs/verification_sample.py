"""Draw the spot-check sample: 64 facts (or --n), stratified by fact table.

Allocation: proportional to table size (largest-remainder rounding), with a
floor of 6 per table; tables raised to the floor are fixed first and the rest
of the 64 is shared proportionally among the others.
Draw: random.Random(20261123) (or --seed); for each table in the order below, sort
its ids and take rng.sample(ids, k).  One rng is shared across tables in that order.
The data is read as committed at COMMIT (or --commit), not from the working tree.

    python docs/verification_sample.py [--n 80 --seed 20261206 --commit b0339f5]
"""
import csv
import io
import math
import random
import subprocess
import sys
from pathlib import Path

REPO, COMMIT = str(Path(__file__).resolve().parents[1]), "1692f65"  # data as committed, not the working tree
TABLES = ["account_bans", "store_removals", "user_surges", "context_events", "platforms"]
N, FLOOR, SEED = 64, 6, 20261123


def read_at_commit(path):
    """Text of a file at COMMIT (the working tree may be edited by others)."""
    return subprocess.run(["git", "-C", REPO, "show", f"{COMMIT}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def ids(table):
    text = read_at_commit(f"data/raw/{table}.csv")
    return sorted(r["id"] for r in csv.DictReader(io.StringIO(text)))


def allocate(sizes):
    fixed = {}
    while True:
        free = {t: s for t, s in sizes.items() if t not in fixed}
        left = N - sum(fixed.values())
        tot = sum(free.values())
        quota = {t: left * s / tot for t, s in free.items()}
        low = [t for t, q in quota.items() if q < FLOOR]
        if not low:
            break
        for t in low:
            fixed[t] = FLOOR
    alloc = {t: math.floor(q) for t, q in quota.items()}
    rest = left - sum(alloc.values())
    for t in sorted(quota, key=lambda t: (-(quota[t] - alloc[t]), t))[:rest]:
        alloc[t] += 1
    alloc.update(fixed)
    return alloc


def main():
    import argparse

    global N, SEED, COMMIT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--commit", default=COMMIT)
    args = parser.parse_args()
    N, SEED, COMMIT = args.n, args.seed, args.commit
    all_ids = {t: ids(t) for t in TABLES}
    sizes = {t: len(v) for t, v in all_ids.items()}
    alloc = allocate(sizes)
    assert sum(alloc.values()) == N
    rng = random.Random(SEED)
    w = csv.writer(sys.stdout)
    w.writerow(["table", "table_size", "k", "fact_id"])
    for t in TABLES:
        for fid in sorted(rng.sample(all_ids[t], alloc[t])):
            w.writerow([t, sizes[t], alloc[t], fid])


if __name__ == "__main__":
    main()
