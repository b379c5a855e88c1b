"""migration-analysis: load, validate, analyse and chart the January 2021 digital-migration dataset.

Importing the package does not import matplotlib, seaborn, duckdb or pyspark; plotting functions and
the message-level activity functions load them on first use.
"""

from .load import (
    default_data_dir,
    load_account_bans,
    load_citations,
    load_context_events,
    load_events,
    load_platforms,
    load_publishers,
    load_store_removals,
    load_surge_rates,
    load_table,
    load_user_surges,
    table_names,
)
from .analysis import ban_durations, daily_series, event_window_change, surge_rates
from .series import read_daily_series, read_google_trends, trends_series
from .validate import DataValidationError, validate_files
from .formatting import day_text, period_text, show_table

from .overview import (
    events_per_day,
    facts_by_tier,
    find_disagreements,
    sources_by_publisher,
    table_summary,
    top_multipliers,
)

__version__ = "0.1.0"

# Loaded on first use, so that importing the package does not import matplotlib, seaborn, duckdb or pyspark.
_LAZY = {
    "annotate_events": "plotting", "plot_timeline": "plotting", "plot_surges": "plotting",
    "plot_lifecycle": "plotting", "plot_ban_durations": "plotting", "plot_series_with_events": "plotting",
    "plot_stock_growth": "plotting", "set_theme": "plotting", "new_figure": "plotting", "finish_figure": "plotting",
    "save_figure": "export", "draw_figure": "figures", "load_all": "figures", "key_moments": "figures", "FIGURES": "figures",
    "daily_activity": "activity", "cohort_retention": "activity", "activity_series": "activity",
    "synthetic_log": "synthetic",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'migration_analysis' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))

__all__ = [
    "DataValidationError",
    "ban_durations",
    "events_per_day",
    "facts_by_tier",
    "find_disagreements",
    "sources_by_publisher",
    "table_summary",
    "top_multipliers",
    *sorted(_LAZY),
    "daily_series",
    "day_text",
    "period_text",
    "show_table",
    "event_window_change",
    "read_daily_series",
    "read_google_trends",
    "surge_rates",
    "trends_series",
    "default_data_dir",
    "load_account_bans",
    "load_citations",
    "load_context_events",
    "load_events",
    "load_platforms",
    "load_publishers",
    "load_store_removals",
    "load_surge_rates",
    "load_table",
    "load_user_surges",
    "table_names",
    "validate_files",
]
