"""The analysis layer: what the charts and notebooks show, computed as data a test can check.

Rates and baselines, change around events, how long bans and outages lasted, wave profiles, outside
series readers and summaries. Nothing here imports matplotlib.
"""

from .change import counterfactual_path, day_events, event_window_change
from .rates import ban_durations, daily_series, per_day_rate, period_days, quiet_baselines, surge_rates

__all__ = ["ban_durations", "counterfactual_path", "daily_series", "day_events", "event_window_change",
           "per_day_rate", "period_days", "quiet_baselines", "surge_rates"]
