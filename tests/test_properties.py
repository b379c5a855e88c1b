"""Property tests: whatever bytes a file holds, validation either passes or raises DataValidationError."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import VALID
from migration_analysis import DataValidationError, load_user_surges
from migration_analysis.data.validate import validate_files

VALID_SURGES = (VALID / "user_surges.csv").read_bytes()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(data: bytes, table: str = "user_surges") -> None:
    with tempfile.TemporaryDirectory() as folder:
        for path in VALID.glob("*.csv"):
            shutil.copy(path, folder)
        target = Path(folder) / f"{table}.csv"
        target.write_bytes(data)
        try:
            validate_files([target])
            frame = load_user_surges(data_dir=folder) if table == "user_surges" else None
        except DataValidationError as exc:
            assert exc.problems, "an error must name at least one problem"
            for problem in exc.problems:
                # The file itself, or a file beside it whose references it broke (a citation of a lost fact).
                assert Path(problem.file).parent == Path(folder), str(problem)
                assert str(problem).startswith(f"{problem.file}:{problem.line}: ")
                assert problem.line >= 1
            return
        if frame is not None:
            assert list(frame.columns)[0] == "id"


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    check(data)


@SETTINGS
@given(st.data())
def test_mangled_rows(data):
    """Insert, delete or replace characters (quotes, commas, newlines, bad bytes) in a valid file."""
    text = bytearray(VALID_SURGES)
    for _ in range(data.draw(st.integers(1, 6))):
        pos = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from([b'"', b",", b"\n", b"\r\n", b"\xff", b"\x00", b"-", b"=", b" ", b"",
                                           b"2021-02-30", b"\xef\xbb\xbf"]))
        cut = data.draw(st.integers(0, 5))
        text[pos:pos + cut] = piece
    check(bytes(text))


@SETTINGS
@given(st.lists(st.text(max_size=12), min_size=0, max_size=20))
def test_arbitrary_text_cells_in_a_row(cells):
    header, first, *_ = VALID_SURGES.decode().split("\n")
    row = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    check(f"{header}\n{first}\n{row}\n".encode("utf-8", "surrogatepass"))
