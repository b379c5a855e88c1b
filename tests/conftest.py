import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"


@pytest.fixture
def valid_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid dataset."""
    target = tmp_path / "raw"
    shutil.copytree(VALID, target, ignore=shutil.ignore_patterns("*.md"))
    return target


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A folder laid out like the repository, with the minimal valid dataset as data/raw."""
    root = tmp_path / "repo"
    shutil.copytree(VALID, root / "data" / "raw", ignore=shutil.ignore_patterns("*.md"))
    return root


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script as a user would (no wall-clock limit: a busy machine is slow, not wrong)."""
    exe = Path(sys.executable).with_name("migration-analysis")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True)
