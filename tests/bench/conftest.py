"""Tests of the benchmark code (bench/): the dataset generator, the table and JSON, the regression check.

These test the benchmark's own logic on tiny data; they time nothing. ``bench`` lives at the repository root,
outside the installed package, so the root is put on ``sys.path`` for ``pytest tests/bench`` run from anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))
