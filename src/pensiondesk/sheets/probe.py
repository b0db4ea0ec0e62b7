"""Read a legacy .xls in a child process first (子进程试读), so a damaged file cannot take the program down.

Some damaged .xls files make calamine (the Rust reader behind python-calamine) abort the whole process — an
allocation of tens of GB, or a Rust abort — which no Python code can catch (tafia/calamine#550, #684, #714). The
reader therefore lets a child process read such a file first: if the child dies, the file is reported as damaged
and the program goes on. Exit status of the child: 0 read, 3 a Python-level error (the reader will report it in
process, with its usual message).

Run as ``python -m pensiondesk.sheets.probe FILE``, or ``pensiondesk _probe-sheet FILE`` in the frozen program.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["PROBE_COMMAND", "main", "survives_reading"]

#: The hidden CLI word the frozen program answers with :func:`main` (it has no ``python -m``).
PROBE_COMMAND = "_probe-sheet"
#: A legitimate .xls (at most 65,536 rows a sheet) reads in seconds; a child still busy after this is stuck.
TIMEOUT_SECONDS = 300


def main(argv: Sequence[str]) -> int:
    """Read every sheet of the workbook ``argv[0]`` with calamine; 0 when it could, 3 on a Python error."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(argv[0])
        try:
            for name in workbook.sheet_names:
                workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except BaseException:  # any Python-level failure is for the in-process reader to explain
        return 3
    return 0


def survives_reading(path: Path) -> tuple[bool, str]:
    """Whether a child process read ``path`` without dying; (False, what happened) when it did not."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, PROBE_COMMAND, str(path)]
    else:
        command = [sys.executable, "-m", "pensiondesk.sheets.probe", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return False, f"reading took more than {TIMEOUT_SECONDS} s"
    except OSError as exc:  # the child could not even start: read in process, as before
        return True, f"probe not started: {exc}"
    if done.returncode in (0, 3):
        return True, ""
    return False, f"reader process ended with status {done.returncode}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
