"""The runner's table and JSON, the figure registry, and the CI regression check (no timing is tested here)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from bench.__main__ import _check, main
from bench.core import FIGURES, Context, Figure, Measurement, Stats, Target, percentile
from bench.dataset import ensure_dataset
from bench.runner import check_regressions, figure_result, format_table, merge_committed

ISSUE_FIGURES = [
    "import_xlsx",
    "notice_pdf",
    "receipts_pdf",
    "search_p95",
    "first_paint",
    "app_start",
    "push_10k",
    "pull_roster",
    "progress_report",
    "gui_memory",
]
RESULT_KEYS = {
    "name",
    "title",
    "status",
    "reason",
    "baseline_label",
    "unit",
    "stat",
    "ours",
    "baseline",
    "ratio",
    "value",
    "target",
    "met",
    "peak_mb",
    "peak_kind",
    "samples",
    "notes",
    "extra",
    "seconds",
}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    out = tmp_path_factory.mktemp("out")
    return Context(mode="quick", dataset=ensure_dataset(40, seed=2, out_dir=out), repeats=1, work_dir=out)


def _measured(name: str, ratio: float | None, status: str = "measured") -> dict[str, Any]:
    return {"name": name, "status": status, "ratio": ratio}


def test_the_registry_holds_every_figure_of_the_issue_in_order() -> None:
    import bench.figures  # noqa: F401

    assert list(FIGURES) == ISSUE_FIGURES
    for fig in FIGURES.values():
        assert fig.title and fig.baseline and fig.target.text


def test_percentile_and_stats() -> None:
    samples = [float(i) for i in range(1, 101)]
    assert percentile(samples, 50) == pytest.approx(50.5)
    assert percentile(samples, 95) == pytest.approx(95.05)
    assert Stats.of([3.0, 1.0, 2.0]).median == 2.0
    with pytest.raises(ValueError):
        Stats.of([])


def test_targets_compute_ratio_absolute_and_delta() -> None:
    assert Target.ratio(2).value(3.0, 2.0) == 1.5 and Target.ratio(2).met(3.0, 2.0)
    assert not Target.ratio(1.5).met(4.0, 2.0)
    assert Target.absolute(0.02, "p95 ≤ 20 ms").met(0.021, None) is False
    assert Target.delta(1.5, "≤ +1.5 s").value(2.0, 0.25) == 1.75
    assert Target.delta(1.5, "≤ +1.5 s").met(2.0, None) is None
    assert math.isinf(Target.ratio(2).value(1.0, 0.0) or 0)


def test_a_measured_figure_gives_the_documented_json_shape(ctx: Context) -> None:
    fig = Figure(
        "fake",
        "a fake figure",
        Target.ratio(2.0),
        "a fake baseline",
        measure=lambda _ctx: Measurement(Stats.of([3.0, 3.0, 9.0]), Stats.of([1.0, 1.0]), peak_mb=1.5, peak_kind="x"),
    )
    result = figure_result(fig, ctx)
    assert set(result) == RESULT_KEYS
    assert result["status"] == "measured"
    assert (result["ours"], result["baseline"], result["ratio"], result["met"]) == (3.0, 1.0, 3.0, False)
    assert result["samples"] == 3
    json.dumps(result)  # plain JSON


def test_unbuilt_failing_and_landed_figures(ctx: Context) -> None:
    def boom(_ctx: Context) -> Measurement:
        raise RuntimeError("kaput")

    unbuilt = figure_result(Figure("n", "n", Target.ratio(2), "b", issue="receipts", module="no.such.module"), ctx)
    assert unbuilt["status"] == "not_built" and "receipts" in unbuilt["reason"]
    landed = figure_result(Figure("l", "l", Target.ratio(2), "b", issue="x", module="json"), ctx)
    assert landed["status"] == "no_figure"
    waiting = figure_result(Figure("w", "w", Target.ratio(2), "b", measure=boom, issue="x", module="no.such"), ctx)
    assert waiting["status"] == "not_built"
    failed = figure_result(Figure("f", "f", Target.ratio(2), "b", measure=boom), ctx)
    assert failed["status"] == "error" and "kaput" in failed["reason"]


def test_the_table_has_every_column_and_says_what_is_missing(ctx: Context) -> None:
    measured = figure_result(
        Figure(
            "m",
            "memory",
            Target.delta(250, "≤ +250 MB"),
            "bare",
            measure=lambda _c: Measurement(Stats.of([400.0]), Stats.of([100.0]), unit="MB", peak_mb=400.0),
        ),
        ctx,
    )
    unbuilt = figure_result(Figure("n", "receipts", Target.ratio(1.5), "b", issue="receipts", module="no.x"), ctx)
    table = format_table([measured, unbuilt])
    for column in ("figure", "ours", "baseline", "ratio", "target", "met?", "peak memory"):
        assert column in table.splitlines()[0]
    assert "400 MB" in table and "+300 MB" in table and "NO" in table
    assert "not built yet (issue: receipts" in table
    markdown = format_table([measured, unbuilt], markdown=True)
    assert markdown.startswith("| figure |") and markdown.count("\n") == 3


def test_a_ratio_two_and_a_half_times_worse_fails_one_and_a_half_passes() -> None:
    committed = [_measured("a", 2.0), _measured("b", 2.0), _measured("c", None, "not_built")]
    assert check_regressions([_measured("a", 3.0), _measured("b", 3.9)], committed) == []
    found = check_regressions([_measured("a", 5.0), _measured("b", 3.0)], committed)
    assert [r.name for r in found] == ["a"]
    assert found[0].factor == pytest.approx(2.5)
    assert "a: ratio 5.00×" in str(found[0])
    # New figures, figures not built on either side and failed ones are not regressions.
    later = [_measured("c", 100.0), _measured("d", 100.0), _measured("a", None, "error")]
    assert check_regressions(later, committed) == []


def test_the_check_reads_the_committed_mode(tmp_path: Path) -> None:
    committed = tmp_path / "benchmarks.json"
    committed.write_text(json.dumps({"quick": {"figures": [_measured("a", 2.0)]}}), encoding="utf-8")
    assert _check(committed, "quick", [_measured("a", 3.0)]) == 0
    assert _check(committed, "quick", [_measured("a", 5.0)]) == 1
    assert _check(committed, "full", [_measured("a", 1.0)]) == 2  # no committed full figures
    assert _check(tmp_path / "missing.json", "quick", []) == 2


def test_merge_keeps_the_other_mode_and_the_other_figures(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.json"
    path.write_text(
        json.dumps(
            {
                "format": 1,
                "full": {"mode": "full", "figures": [_measured("search_p95", 9.0)]},
                "quick": {"mode": "quick", "figures": [_measured("search_p95", 1.0), _measured("app_start", 4.0)]},
            }
        ),
        encoding="utf-8",
    )
    merged = merge_committed(path, {"mode": "quick", "figures": [_measured("search_p95", 2.0)]}, only=["search_p95"])
    assert merged["full"]["figures"][0]["ratio"] == 9.0
    assert {r["name"]: r["ratio"] for r in merged["quick"]["figures"]} == {"search_p95": 2.0, "app_start": 4.0}


def test_the_command_line_writes_json_for_a_tiny_county(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    status = main(
        [
            "--persons",
            "150",
            "--out",
            str(tmp_path / "cache"),
            "--only",
            "search_p95",
            "--repeats",
            "1",
            "--json",
            str(out),
        ]
    )
    assert status == 0
    run = json.loads(out.read_text(encoding="utf-8"))
    assert run["mode"] == "full" and run["dataset"]["persons"] == 150
    assert {"cpu", "cores", "python", "sqlite", "pyside6"} <= set(run["machine"])
    (search,) = run["figures"]
    assert set(search) == RESULT_KEYS and search["status"] == "measured" and search["ratio"] > 0


def test_a_figure_may_name_its_own_ratio(ctx: Context) -> None:
    fig = Figure(
        "p",
        "p95 figure",
        Target.absolute(0.02, "p95 ≤ 20 ms"),
        "lookup",
        measure=lambda _c: Measurement(Stats.of([0.01]), Stats.of([0.0001]), stat="p95", ratio=40.0),
    )
    result = figure_result(fig, ctx)
    assert result["ratio"] == 40.0 and result["met"] is True and result["value"] == 0.01
