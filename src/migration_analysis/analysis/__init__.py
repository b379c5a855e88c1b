"""The analysis layer: what the charts and notebooks show, computed as data a test can check.

Rates and baselines (``rates``), change around events (``change``), how long bans and outages lasted
(``durations``), what a timeline shows (``timeline``), wave profiles (``waves``), outside series
(``series``) and summaries (``overview``). Nothing here imports matplotlib.
"""

from .change import counterfactual_path, day_events, event_window_change
from .durations import ban_durations, days_between, lifecycle_steps, outage_spans
from .rates import (
    daily_series,
    per_day_rate,
    period_days,
    quiet_baselines,
    stock_points,
    surge_points,
    surge_rates,
    weak_days,
)
from .timeline import facts_by_mark, timeline_lanes, timeline_marks

__all__ = ["ban_durations", "counterfactual_path", "daily_series", "day_events", "days_between", "event_window_change",
           "lifecycle_steps", "outage_spans", "per_day_rate", "period_days", "quiet_baselines", "stock_points",
           "surge_points", "surge_rates", "facts_by_mark", "timeline_lanes", "timeline_marks", "weak_days"]
