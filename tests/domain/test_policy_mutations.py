"""Property tests for policy packs (策略包): random damage to the shipped pack is refused with the field named.

The shipped ``resources/policy/national-default.json`` is mutated by hypothesis — one value anywhere in the tree
replaced by arbitrary JSON, a key deleted, an unknown key added, a list emptied or doubled — and parsed again with
``parse_policy_pack``. Each mutation is either accepted (a valid pack, which then survives a JSON round trip)
or refused with :class:`InvalidPolicyPack` listing (field path, reason) problems whose reasons are plain Chinese
and at least one of which names the damaged field or one of its parents. Nothing else may be raised.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pensiondesk.domain.policy import InvalidPolicyPack, PolicyPack, parse_policy_pack
from pensiondesk.resources import DEFAULT_POLICY_PACK, resource_path

SHIPPED: dict[str, Any] = json.loads(resource_path(*DEFAULT_POLICY_PACK).read_text(encoding="utf-8"))

Path = tuple[str | int, ...]


def _paths(node: Any, prefix: Path = ()) -> list[Path]:
    found: list[Path] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(SHIPPED)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["200.00", "-1", "0", "0.0275", "2026-02-30", "06-30", "02-29", "１００", "1e9", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _parent_and_key(data: Any, path: Path) -> tuple[Any, str | int]:
    node = data
    for step in path[:-1]:
        node = node[step]
    return node, path[-1]


def _dotted(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


@st.composite
def mutations(draw: st.DrawFn) -> tuple[dict[str, Any], Path, str]:
    data = copy.deepcopy(SHIPPED)
    path = draw(st.sampled_from(PATHS))
    parent, key = _parent_and_key(data, path)
    kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "unknown key", "empty", "double"]))
    if kind == "replace":
        parent[key] = draw(JSON)
    elif kind == "delete":
        del parent[key]
    elif kind == "unknown key" and isinstance(parent, dict):
        parent[draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True)) + "_x"] = draw(JSON)
    elif kind == "empty" and isinstance(parent[key], list | dict):
        parent[key] = type(parent[key])()
    elif kind == "double" and isinstance(parent[key], list):
        parent[key] = parent[key] * 2
    else:
        parent[key] = draw(JSON)
        kind = "replace"
    return data, path, kind


#: Top-level fields that the pack-level rules (``PolicyPack._check_rules``) check against each other.
CROSS_FIELD = frozenset(
    {"tiers", "identity_categories", "subsidy_schedule", "collective_subsidy", "basic_pension", "extra_years_top_up",
     "age_top_ups", "interest_rates", "pension_age", "advance_cap_yuan", "funeral_grant", "sources"}
)  # fmt: skip


def _is_cross_field(problem_path: str, path: Path) -> bool:
    return str(path[0]) in CROSS_FIELD and problem_path.split(".")[0].split("[")[0] in CROSS_FIELD


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_a_damaged_pack_is_refused_naming_the_field_or_accepted(mutation: tuple[dict[str, Any], Path, str]) -> None:
    data, path, kind = mutation
    text = json.dumps(data, ensure_ascii=False, default=str)
    try:
        pack = parse_policy_pack(text, source="test.json")
    except InvalidPolicyPack as refused:
        assert refused.problems
        assert all(_chinese(reason) for _, reason in refused.problems), refused.problems
        assert str(refused).startswith("test.json：")
        if kind == "unknown key":
            return  # named at the new key, which the mutation made up
        damaged = _dotted(path)
        # The damaged field itself, one of its parents or a field inside it — or, for the pack-level rules
        # across fields (subsidies against tiers, …), the field the damaged one is checked against.
        related = {damaged, *(_dotted(path[:n]) for n in range(1, len(path)))}
        assert any(
            problem_path in related or problem_path.startswith(damaged) or _is_cross_field(problem_path, path)
            for problem_path, _ in refused.problems
        ), (damaged, refused.problems)
        return
    assert isinstance(pack, PolicyPack)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_is_a_pack_or_a_refusal(text: str) -> None:
    try:
        parse_policy_pack(text)
    except InvalidPolicyPack as refused:
        assert refused.problems and all(_chinese(reason) for _, reason in refused.problems)


def test_the_shipped_pack_is_the_baseline() -> None:
    assert isinstance(parse_policy_pack(json.dumps(SHIPPED, ensure_ascii=False)), PolicyPack)
