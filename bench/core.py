"""The benchmark registry and its measuring tools (基准登记表与计时工具).

A *figure* is one line of the published table: what PensionDesk does, measured against a raw baseline doing the
same work in the same run, with a target. Adding a figure is writing one function and decorating it::

    @figure("search_p95", "search query over 100,000 people", target=Target.absolute(0.020, "p95 ≤ 20 ms"),
            baseline="indexed SQLite lookup by id")
    def search(ctx: Context) -> Measurement:
        ...

A figure whose product code does not exist yet is declared with :func:`not_built`, so the table says so
instead of leaving a hole or inventing a number.

Times come from :func:`time.perf_counter` with repeats; the table shows medians (or the 95th percentile where
the target is one), never a single run. Peak memory is measured apart from the timed runs, because
:mod:`tracemalloc` slows the code it traces.
"""

from __future__ import annotations

import importlib.util
import math
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bench.dataset import DatasetInfo

__all__ = [
    "FIGURES",
    "Context",
    "Figure",
    "Measurement",
    "Stats",
    "Target",
    "figure",
    "not_built",
    "percentile",
    "repeat",
    "traced_peak_mb",
]

Mode = Literal["full", "quick"]


# --- statistics -------------------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``samples`` by linear interpolation between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    """Samples of one measured quantity (seconds or MB) and their summary."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def n(self) -> int:
        return len(self.samples)

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if not samples:
            raise ValueError("no samples")
        return cls(tuple(samples))


def repeat(fn: Callable[[], object], repeats: int, *, warmup: int = 1) -> Stats:
    """Time ``fn`` ``repeats`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Stats.of(samples)


def traced_peak_mb(fn: Callable[[], object]) -> float:
    """Peak Python heap (MB) that :mod:`tracemalloc` sees while ``fn`` runs, above what was allocated before."""
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not already:
            tracemalloc.stop()
    return max(0.0, (peak - base) / 1e6)


# --- targets ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a figure must reach, and how its measured value is computed from ours and the baseline.

    ``kind``: ``ratio`` (ours ÷ baseline ≤ limit), ``absolute`` (ours ≤ limit, in the figure's unit) or
    ``delta`` (ours − baseline ≤ limit, in the figure's unit).
    """

    kind: Literal["ratio", "absolute", "delta"]
    limit: float
    text: str

    @classmethod
    def ratio(cls, limit: float) -> Target:
        return cls("ratio", limit, f"≤ {limit:g}×")

    @classmethod
    def absolute(cls, limit: float, text: str) -> Target:
        return cls("absolute", limit, text)

    @classmethod
    def delta(cls, limit: float, text: str) -> Target:
        return cls("delta", limit, text)

    def value(self, ours: float, baseline: float | None) -> float | None:
        """The quantity compared with :attr:`limit` (``None`` when it needs a baseline that is missing)."""
        if self.kind == "absolute":
            return ours
        if baseline is None:
            return None
        if self.kind == "delta":
            return ours - baseline
        return ours / baseline if baseline > 0 else math.inf

    def met(self, ours: float, baseline: float | None) -> bool | None:
        value = self.value(ours, baseline)
        return None if value is None else value <= self.limit

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "limit": self.limit, "text": self.text}


# --- what a figure measures with, and what it returns ------------------------------------------------------------


@dataclass
class Context:
    """What a figure function gets: the dataset, the mode, how many repeats, where to put scratch files."""

    mode: Mode
    dataset: DatasetInfo
    repeats: int
    work_dir: Path
    say: Callable[[str], None] = print
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def quick(self) -> bool:
        return self.mode == "quick"

    def sized(self, full: int, quick: int) -> int:
        """A workload size: the issue's ``full`` one, or a smaller one that keeps quick mode (CI) quick."""
        return quick if self.quick else full

    def peak_mb(self, fn: Callable[[], object]) -> float | None:
        """:func:`traced_peak_mb` of ``fn``; skipped (``None``) in quick mode, which checks only ratios."""
        return None if self.quick else traced_peak_mb(fn)


@dataclass
class Measurement:
    """One figure's result: our samples, the baseline's, and how they were taken.

    ``ours`` and ``baseline`` are samples in ``unit`` (``s`` or ``MB``); the figure is always their *median*.
    ``stat`` says what one sample is: ``median`` — one timed run; ``p95`` — the 95th percentile of one pass
    over many operations (so the figure is the median of the passes' p95, which one disturbed pass cannot
    move). ``peak_mb`` is the peak memory of our side and ``peak_kind`` says how it was measured
    (``tracemalloc`` for Python work in this process, ``RSS`` for a child process).
    """

    ours: Stats
    baseline: Stats | None
    stat: Literal["median", "p95"] = "median"
    unit: Literal["s", "MB"] = "s"
    peak_mb: float | None = None
    peak_kind: str = ""
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: The ratio the table shows and CI compares, when ours ÷ baseline of the figures above would be too noisy
    #: (a tail percentile over a microsecond baseline): the figure says what it is instead.
    ratio: float | None = None

    def ours_value(self) -> float:
        return self.ours.median

    def baseline_value(self) -> float | None:
        return None if self.baseline is None else self.baseline.median


Measure = Callable[[Context], Measurement]


@dataclass(frozen=True)
class Figure:
    """One line of the table. ``measure`` is ``None`` for a figure whose product code is not built yet."""

    name: str
    title: str
    target: Target
    baseline: str
    measure: Measure | None = None
    #: The issue that builds (or built) the capability, and the module whose presence means it has landed.
    issue: str = ""
    module: str = ""

    def unavailable(self) -> tuple[str, str] | None:
        """``(status, reason)`` when this figure cannot be measured now, ``None`` when it can."""
        if self.measure is not None:
            if self.module and not _module_exists(self.module):
                return "not_built", f"not built yet (issue: {self.issue}; waiting for {self.module})"
            return None
        if self.module and _module_exists(self.module):
            return "no_figure", f"not measured yet: {self.module} has landed, its figure is still to be written"
        return "not_built", f"not built yet (issue: {self.issue})"


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


#: Every figure, in table order.
FIGURES: dict[str, Figure] = {}


def figure(
    name: str, title: str, *, target: Target, baseline: str, issue: str = "", module: str = ""
) -> Callable[[Measure], Measure]:
    """Register the decorated function as the measurement of figure ``name``.

    With ``module``, the figure is measured only once that module exists (product code still being written
    shows as "not built yet", with ``issue``).
    """

    def register(fn: Measure) -> Measure:
        if name in FIGURES and FIGURES[name].measure is not None:
            raise ValueError(f"figure {name!r} registered twice")
        FIGURES[name] = Figure(name, title, target, baseline, measure=fn, issue=issue, module=module)
        return fn

    return register


def not_built(name: str, title: str, *, target: Target, baseline: str, issue: str, module: str = "") -> None:
    """Declare a figure whose product capability does not exist yet (it shows as "not built yet")."""
    if name in FIGURES:
        return  # a measured figure of that name already exists
    FIGURES[name] = Figure(name, title, target, baseline, measure=None, issue=issue, module=module)
