"""Running the figures, printing the table, and comparing with committed figures (运行、制表与回归检查).

A run's results are plain JSON-able dicts, so the table, ``--json``, ``docs/benchmarks.json`` and the CI check
all read the same thing. The shape of one figure's result::

    {"name": "search_p95", "title": "...", "status": "measured" | "not_built" | "no_figure" | "error",
     "reason": "...", "baseline_label": "...", "unit": "s" | "MB", "stat": "median" | "p95",
     "ours": 0.0041, "baseline": 0.00002, "ratio": 205.0, "value": 0.0041,
     "target": {"kind": "absolute", "limit": 0.02, "text": "p95 ≤ 20 ms"}, "met": true,
     "peak_mb": 12.3, "peak_kind": "tracemalloc", "samples": 600, "notes": ["..."], "extra": {...}}

``ratio`` is ours ÷ baseline for every figure that has a baseline; it is what the regression check compares,
because a ratio against a baseline taken in the same run does not move when the machine is slower.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.core import FIGURES, Context, Figure

__all__ = [
    "REGRESSION_FACTOR",
    "Regression",
    "check_regressions",
    "figure_result",
    "format_table",
    "machine_info",
    "merge_committed",
    "run_figures",
]

#: A figure regressed when its ratio grew by more than this factor against the committed one.
REGRESSION_FACTOR = 2.0

_COLUMNS = ("figure", "ours", "baseline", "ratio", "target", "met?", "peak memory")


def machine_info() -> dict[str, Any]:
    """The machine and versions the figures were measured with."""
    cpu = platform.processor() or platform.machine()
    memory_gb: float | None = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    from importlib.metadata import PackageNotFoundError, version

    for name in ("PySide6", "SQLAlchemy", "reportlab", "openpyxl", "python-calamine", "pypinyin"):
        try:
            info[name.lower()] = version(name)
        except PackageNotFoundError:
            info[name.lower()] = None
    try:
        from PySide6.QtCore import qVersion

        info["qt"] = qVersion()
    except ImportError:
        info["qt"] = None
    return info


def figure_result(fig: Figure, ctx: Context) -> dict[str, Any]:
    """Measure one figure (or say why it cannot be measured) and return its result dict."""
    result: dict[str, Any] = {
        "name": fig.name,
        "title": fig.title,
        "baseline_label": fig.baseline,
        "target": fig.target.as_json(),
        "status": "measured",
        "reason": "",
        "unit": "s",
        "stat": "median",
        "ours": None,
        "baseline": None,
        "ratio": None,
        "value": None,
        "met": None,
        "peak_mb": None,
        "peak_kind": "",
        "samples": 0,
        "notes": [],
        "extra": {},
        "seconds": 0.0,
    }
    unavailable = fig.unavailable()
    if unavailable is not None:
        result["status"], result["reason"] = unavailable
        return result
    assert fig.measure is not None
    started = time.perf_counter()
    try:
        m = fig.measure(ctx)
    except Exception as exc:  # a failing figure is reported, and the run goes on with the others
        result["status"] = "error"
        result["reason"] = f"{type(exc).__name__}: {exc}"
        result["notes"] = traceback.format_exc().splitlines()[-6:]
        result["seconds"] = time.perf_counter() - started
        return result
    ours, baseline = m.ours_value(), m.baseline_value()
    result.update(
        unit=m.unit,
        stat=m.stat,
        ours=ours,
        baseline=baseline,
        ratio=m.ratio if m.ratio is not None else (ours / baseline) if baseline else None,
        value=fig.target.value(ours, baseline),
        met=fig.target.met(ours, baseline),
        peak_mb=m.peak_mb,
        peak_kind=m.peak_kind,
        samples=m.ours.n,
        notes=list(m.notes),
        extra=dict(m.extra),
        seconds=time.perf_counter() - started,
    )
    return result


def run_figures(ctx: Context, names: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Results of the figures named (all, in table order, when ``names`` is empty)."""
    import bench.figures  # noqa: F401 - registers the figures

    unknown = [n for n in names or () if n not in FIGURES]
    if unknown:
        raise KeyError(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    results = []
    for name, fig in FIGURES.items():
        if names and name not in names:
            continue
        ctx.say(f"· {name} …")
        result = figure_result(fig, ctx)
        ctx.say(f"  {name}: {result['status']} ({result['seconds']:.1f} s)")
        results.append(result)
    return results


# --- the table ------------------------------------------------------------------------------------------------


def _quantity(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def _cells(result: Mapping[str, Any]) -> list[str]:
    status = result["status"]
    if status != "measured":
        label = "error: " + result["reason"] if status == "error" else result["reason"]
        return [result["title"], label, "", "", result["target"]["text"], "—" if status != "error" else "ERROR", ""]
    unit, stat = result["unit"], result["stat"]
    prefix = "p95 " if stat == "p95" else ""  # the median of the passes' p95
    ratio = f"{result['ratio']:.2f}×" if result["ratio"] is not None else "—"
    target = result["target"]
    if target["kind"] == "delta" and result["value"] is not None:
        ratio += f" ({'+' if result['value'] >= 0 else ''}{_quantity(result['value'], unit)})"
    met = {True: "yes", False: "NO", None: "—"}[result["met"]]
    peak = "—"
    if result["peak_mb"] is not None:
        peak = f"{result['peak_mb']:,.1f} MB ({result['peak_kind']})"
    return [
        result["title"],
        prefix + _quantity(result["ours"], unit),
        prefix + _quantity(result["baseline"], unit) if result["baseline"] is not None else "—",
        ratio,
        target["text"],
        met,
        peak,
    ]


def format_table(results: Iterable[Mapping[str, Any]], *, markdown: bool = False) -> str:
    """The results as an aligned text table (or a Markdown table)."""
    rows = [_cells(r) for r in results]
    if markdown:
        lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "|".join("---" for _ in _COLUMNS) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(c), *(len(row[i]) for row in rows)) if rows else len(c) for i, c in enumerate(_COLUMNS)]
    line = "  ".join(c.ljust(w) for c, w in zip(_COLUMNS, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


# --- committed figures and the regression check -------------------------------------------------------------


@dataclass(frozen=True)
class Regression:
    """A figure whose ratio grew by more than the allowed factor against the committed figures."""

    name: str
    committed_ratio: float
    ratio: float

    @property
    def factor(self) -> float:
        return self.ratio / self.committed_ratio if self.committed_ratio else float("inf")

    def __str__(self) -> str:
        return (
            f"{self.name}: ratio {self.ratio:.2f}× against committed {self.committed_ratio:.2f}×"
            f" ({self.factor:.2f} times worse)"
        )


def check_regressions(
    current: Sequence[Mapping[str, Any]],
    committed: Sequence[Mapping[str, Any]],
    *,
    factor: float = REGRESSION_FACTOR,
) -> list[Regression]:
    """Figures whose ratio is more than ``factor`` times the committed one.

    Only figures measured on both sides with a ratio are compared; a figure new since the commit, or one not
    built yet, is not a regression.
    """
    before = {r["name"]: r for r in committed if r.get("status") == "measured" and r.get("ratio")}
    found = []
    for result in current:
        old = before.get(result["name"])
        if old is None or result.get("status") != "measured" or result.get("ratio") is None:
            continue
        if result["ratio"] > factor * old["ratio"]:
            found.append(Regression(result["name"], float(old["ratio"]), float(result["ratio"])))
    return found


def run_document(mode: str, dataset: Mapping[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON document of one run (what ``--json`` writes)."""
    return {
        "mode": mode,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine_info(),
        "dataset": dict(dataset),
        "argv": sys.argv[1:],
        "figures": results,
    }


def merge_committed(path: Path, run: Mapping[str, Any], *, only: Sequence[str] | None = None) -> dict[str, Any]:
    """``docs/benchmarks.json`` with this run's figures written under its mode ("full" or "quick").

    With ``only``, the other figures of that mode keep their committed results.
    """
    document: dict[str, Any] = {"format": 1}
    if path.exists():
        document = json.loads(path.read_text(encoding="utf-8"))
    section = dict(run)
    if only and run["mode"] in document:
        kept = {r["name"]: r for r in document[run["mode"]].get("figures", [])}
        kept.update({r["name"]: r for r in run["figures"]})
        order = [name for name in _figure_order() if name in kept] + [n for n in kept if n not in _figure_order()]
        section["figures"] = [kept[name] for name in order]
    document[run["mode"]] = section
    return document


def _figure_order() -> list[str]:
    import bench.figures  # noqa: F401

    return list(FIGURES)


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


Say = Callable[[str], None]
