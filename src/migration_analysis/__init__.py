"""migration-analysis: load, validate, analyse and chart the January 2021 digital-migration dataset.

Importing the package does not import matplotlib or seaborn; plotting functions load them on first use.
"""

from .load import (
    default_data_dir,
    load_account_bans,
    load_context_events,
    load_events,
    load_platforms,
    load_store_removals,
    load_surge_rates,
    load_user_surges,
)
from .analysis import daily_series, event_window_change, surge_rates
from .series import read_daily_series, read_google_trends, trends_series
from .validate import DataValidationError, validate_files

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "daily_series",
    "event_window_change",
    "read_daily_series",
    "read_google_trends",
    "surge_rates",
    "trends_series",
    "default_data_dir",
    "load_account_bans",
    "load_context_events",
    "load_events",
    "load_platforms",
    "load_store_removals",
    "load_surge_rates",
    "load_user_surges",
    "validate_files",
]
