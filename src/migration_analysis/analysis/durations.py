"""How long things lasted: a platform's ban of an account, an app's absence from a provider."""

from __future__ import annotations

import pandas as pd

from ..data.schema import BAN_ACTIONS, STORE_ACTIONS, actions_in
from ..formatting import is_flagged

# A ban starts at the platform's first action that takes the account off (not a lock or a restriction).
BANNING_ACTIONS = actions_in("off", BAN_ACTIONS)


def ban_durations(bans: pd.DataFrame, target_contains: str | None = None, start=None,
                  as_of: str | pd.Timestamp | None = None, targets: dict[str, str] | None = None) -> pd.DataFrame:
    """How long each platform's ban of a target lasted, one row per platform and target.

    Takes day-precision rows whose target contains ``target_contains`` (case-insensitive) and is
    one presence (an account, page or channel, not a community, store or group of accounts), or,
    with ``targets``, exactly the {platform: target} pairs given (one of the two is required). The ban
    starts at the platform's first action that takes the target off (``schema.actions_in("off")``:
    a suspension, ban or removal; locks and restrictions do not count), on or after ``start`` if given;
    it ends at the first return after that (a platform that restored the account twice has
    ``reinstated_last`` later than ``reinstated``).
    A ban with no reinstatement is ``in_force`` and runs to ``as_of`` (default: the latest date in
    ``bans``, so the result depends only on the data).
    """
    if targets is None and target_contains is None:
        raise ValueError("pass targets={platform: target} or target_contains='text'")
    as_of = pd.Timestamp(as_of) if as_of is not None else bans["date"].max()
    start = pd.Timestamp(start) if start is not None else pd.Timestamp.min
    rows = bans[bans["date_precision"] == "day"]
    if targets is not None:
        rows = rows[[targets.get(str(p)) == t for p, t in zip(rows["platform"], rows["target"])]]
    else:
        rows = rows[rows["target"].str.contains(target_contains, case=False, na=False)
                    & rows["target_type"].isin(["account", "page", "channel"])]
    out = []
    for (platform, _), group in rows.groupby(["platform", "target"], sort=False, observed=True):
        bans_ = group[group["action"].isin(BANNING_ACTIONS) & (group["date"] >= start)]
        if bans_.empty:
            continue
        banned = bans_["date"].min()
        returns = group[group["action"].isin(actions_in("return", BAN_ACTIONS)) & (group["date"] > banned)]
        first = returns["date"].min() if len(returns) else pd.NaT
        end = first if len(returns) else as_of
        out.append({
            "platform": platform,
            "target": bans_.loc[bans_["date"] == banned, "target"].iloc[0],
            "banned": banned,
            "reinstated": first,
            "reinstated_last": returns["date"].max() if len(returns) else pd.NaT,
            "in_force": returns.empty,
            "days": int((end - banned).days),
            "ban_ids": ",".join(sorted(bans_.loc[bans_["date"] == banned, "id"])),
            "reinstated_ids": ",".join(sorted(returns["id"])),
        })
    columns = ["platform", "target", "banned", "reinstated", "reinstated_last", "in_force", "days",
               "ban_ids", "reinstated_ids"]
    return pd.DataFrame(out, columns=columns).sort_values(["in_force", "days"], ascending=[True, True],
                                                          kind="mergesort").reset_index(drop=True)


# An app is gone from a provider from the first of these; it is back at the provider's next return.
OFF_ACTIONS = actions_in("off", STORE_ACTIONS)
RETURN_ACTIONS = actions_in("return", STORE_ACTIONS)


def lifecycle_steps(store_removals: pd.DataFrame, app: str) -> pd.DataFrame:
    """One row per (day, provider, action) for an app, day precision, with the cited pages counted;
    ``weak``: every fact in the row rests on tier-4 pages alone."""
    rows = store_removals[(store_removals["app"] == app) & (store_removals["date_precision"] == "day")]
    weak = is_flagged(rows["weakly_sourced"]) if "weakly_sourced" in rows else False
    return (rows.assign(weak=weak).groupby(["date", "provider", "action"], observed=True)
            .agg(sources=("n_sources", "sum"), disputed=("disputed", "any"), ids=("id", lambda s: ",".join(sorted(s))),
                 weak=("weak", "all"))
            .reset_index()
            .sort_values(["date", "provider"], kind="mergesort").reset_index(drop=True))


def outage_spans(steps: pd.DataFrame, end) -> pd.DataFrame:
    """For each provider in ``lifecycle_steps``, when the app was gone: from the provider's first
    off action to the day it was available again (``back``), or to ``end`` while it has no return
    (``returned`` is False). Available again is the first ``back_online`` after it where the data has
    one (Apple approved Parler's return on 14 April 2021, the app was back on 17 May), else the first
    return of any kind. Providers that never dropped the app have no row."""
    rows = []
    for provider in steps.drop_duplicates("provider")["provider"]:
        own = steps[steps["provider"] == provider]
        off = own[own["action"].isin(OFF_ACTIONS)]
        if off.empty:
            continue
        gone = off["date"].min()
        after = own[own["action"].isin(RETURN_ACTIONS) & (own["date"] > gone)]
        online = after[after["action"] == "back_online"]
        back = (online if len(online) else after)["date"].min()
        rows.append({"provider": provider, "gone": gone, "back": back if pd.notna(back) else pd.Timestamp(end),
                     "returned": pd.notna(back)})
    return pd.DataFrame(rows, columns=["provider", "gone", "back", "returned"])


def days_between(steps: pd.DataFrame, first: str, then: str) -> int | None:
    """Days from a provider's first ``first`` action to its first ``then`` action after it (None if either is missing)."""
    start = steps.loc[steps["action"] == first, "date"].min()
    end = steps.loc[(steps["action"] == then) & (steps["date"] > start), "date"].min()
    return None if pd.isna(start) or pd.isna(end) else int((end - start).days)
