"""A synthetic message-level log with a migration surge: for examples, tests and benchmarks.

Nothing in it is real. Every row carries ``synthetic=True`` and anything drawn from it must say so.
It is seeded: the same arguments give the same rows on every machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

LOG_COLUMNS = ["post_id", "created_at", "user_id", "platform", "synthetic"]


def _users(n_users: int, days: int, surge_offset: int, surge_days: int, surge_share: float,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each user's join day (offset from start), activity weight and how fast their posting fades."""
    in_surge = rng.random(n_users) < surge_share
    join = rng.integers(0, days, n_users)
    # Surge joiners arrive over surge_days, most on the first days (a wave falls off quickly).
    decay = 0.6 ** np.arange(surge_days)
    surge_day = rng.choice(surge_days, size=n_users, p=decay / decay.sum())
    join = np.where(in_surge, surge_offset + surge_day, join)
    weight = rng.lognormal(0.0, 1.0, n_users)
    # Posting fades with time since joining; surge joiners fade faster (many try the platform once).
    fade = np.where(in_surge, 6.0, 2.5)
    return np.minimum(join, days - 1), weight / weight.sum(), fade


def iter_synthetic_log(n_posts: int = 200_000, n_users: int = 20_000, *, start: str = "2020-12-01",
                       end: str = "2021-02-28", surge_start: str = "2021-01-09", surge_days: int = 5,
                       surge_share: float = 0.5, platform: str = "synthetic", seed: int = 0,
                       chunk_rows: int = 5_000_000) -> Iterator[pd.DataFrame]:
    """``synthetic_log`` in chunks of at most ``chunk_rows`` rows (for logs too big to hold at once).

    Each chunk is sorted by time within itself; the chunks share one population of users.
    """
    first, last, surge = pd.Timestamp(start), pd.Timestamp(end), pd.Timestamp(surge_start)
    days = (last - first).days + 1
    if days < 1 or n_users < 1 or not 0 <= (surge - first).days < days:
        raise ValueError("need end ≥ start, surge_start within them and at least one user")
    join, weight, fade = _users(n_users, days, (surge - first).days, surge_days, surge_share,
                                np.random.default_rng([seed, 0]))
    names = np.array([f"user{i:07d}" for i in range(n_users)], dtype=object)
    start_second = int(first.value // 10**9)
    for index, offset in enumerate(range(0, n_posts, chunk_rows)):
        rng = np.random.default_rng([seed, index + 1])
        size = min(chunk_rows, n_posts - offset)
        who = rng.choice(n_users, size=size, p=weight)
        remaining = days - join[who]
        day = join[who] + np.minimum((remaining * rng.random(size) ** fade[who]).astype(np.int64), remaining - 1)
        # Sorted by time: the posts ordered by day, the (random) times of day sorted within each day.
        order = np.argsort(day, kind="stable")
        who = who[order]
        seconds = np.sort(start_second + day * 86400 + rng.integers(0, 86400, size))
        yield pd.DataFrame({
            "post_id": np.arange(offset, offset + size, dtype=np.int64),
            "created_at": np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s", timezone="UTC"),
            "user_id": names[who],
            "platform": platform,
            "synthetic": True,
        }, columns=LOG_COLUMNS)


def synthetic_log(n_posts: int = 200_000, n_users: int = 20_000, *, start: str = "2020-12-01",
                  end: str = "2021-02-28", surge_start: str = "2021-01-09", surge_days: int = 5,
                  surge_share: float = 0.5, platform: str = "synthetic", seed: int = 0) -> pd.DataFrame:
    """A synthetic log of ``n_posts`` posts by up to ``n_users`` accounts, one row per post, sorted by time.

    Columns: ``post_id``, ``created_at`` (ISO 8601 in UTC, ``…Z``), ``user_id``, ``platform`` and
    ``synthetic`` (always True). Accounts join evenly from ``start`` to ``end``, except a share
    ``surge_share`` who join in a wave of ``surge_days`` days from ``surge_start``, most on its first
    days; each account posts most just after joining, and wave joiners stop sooner. Seeded by ``seed``.
    """
    chunks = list(iter_synthetic_log(n_posts, n_users, start=start, end=end, surge_start=surge_start,
                                     surge_days=surge_days, surge_share=surge_share, platform=platform,
                                     seed=seed, chunk_rows=max(n_posts, 1)))
    return chunks[0] if chunks else pd.DataFrame({c: [] for c in LOG_COLUMNS})

