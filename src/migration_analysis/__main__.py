"""``python -m migration_analysis``: the same command as ``migration-analysis``."""

import sys

from .cli import main

sys.exit(main())
