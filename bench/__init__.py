"""PensionDesk benchmarks (性能基准): a county-sized dataset and figures measured against raw baselines.

Run from the repository root: ``python -m bench`` (the full 100,000-person county) or ``python -m bench --quick``
(10,000 persons, what CI runs with ``--check-against docs/benchmarks.json``). See ``docs/benchmarks.md``.
"""
