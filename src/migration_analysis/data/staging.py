"""How ``build`` swaps its outputs in as one set: a staging folder, a journal that commits the set,
a lock so two builds take turns, and the recovery of what an interrupted build left behind.

Kept apart from ``build`` so that the loaders can check for a half-finished swap without importing it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Where a build stages its files (beside data/, inside the repository) and the journal that makes the
# set's swap a single step: written last, it turns the staged files into the new state.
STAGING = ".build-staging"
JOURNAL = "JOURNAL"


def staging_dir(outputs: dict[Path, str]) -> Path:
    """The staging folder of a set of outputs: in the folder that holds them all."""
    common = Path(os.path.commonpath([str(p.parent.resolve()) for p in outputs]))
    return common / STAGING


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` while building, so two builds never interleave.

    A second build waits for the first; the lock goes with the process, so a killed build never
    leaves one behind (no lock file is created). Where ``fcntl`` does not exist (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(staging: Path) -> list[Path]:
    """Finish or undo what an interrupted build left in ``staging``; returns the paths moved into place.

    With a journal the new set was complete: every staged file still there is moved into place
    (rolled forward). Without one the build died while staging: the staged files are dropped and
    the previous set stays as it was.
    """
    moved: list[Path] = []
    journal = staging / JOURNAL
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            name, target = line.split("\t", 1)
            if (staging / name).exists():
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, target)
                moved.append(Path(target))
    if staging.exists():
        shutil.rmtree(staging)
    return moved


def pending_build(root: Path) -> bool:
    """Whether an interrupted build left a committed, unfinished swap under ``root``."""
    return any((folder / STAGING / JOURNAL).exists() for folder in (root, root / "data"))


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())




@contextmanager
def staged_folder(out_dir: str | Path) -> Iterator[Path]:
    """Write a set of files into ``out_dir`` whole or not at all.

    Yields an empty staging folder beside ``out_dir``; whatever is written there is moved into
    ``out_dir`` (same relative paths) only when the block ends without an error, committed by a
    journal as in ``build``; on an error the staging folder is removed and ``out_dir`` is as it was.
    Other files already in ``out_dir`` are kept. An interrupted run is finished or undone by the
    next one (``recover``); two runs into one folder take turns.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}{STAGING}"
    with build_lock(out_dir.parent):
        recover(staging)
        staging.mkdir()
        try:
            yield staging
            files = sorted(p for p in staging.rglob("*") if p.is_file())
            commit(staging, [(str(p.relative_to(staging)), out_dir / p.relative_to(staging)) for p in files])
        except BaseException:
            discard_uncommitted(staging)
            raise
        recover(staging)


def commit(staging: Path, moves: list[tuple[str, Path]]) -> None:
    """Write the journal naming each staged file and its target, then rename it into place: the single
    step that makes the staged set the new state (``recover`` then moves the files)."""
    text = "".join(f"{name}\t{target}\n" for name, target in moves)
    write_synced(staging / f"{JOURNAL}.tmp", text.encode("utf-8"))
    os.replace(staging / f"{JOURNAL}.tmp", staging / JOURNAL)


def discard_uncommitted(staging: Path) -> None:
    """After an error: drop a staged set that was never committed (a committed one is left to ``recover``)."""
    if not (staging / JOURNAL).exists():
        shutil.rmtree(staging, ignore_errors=True)
