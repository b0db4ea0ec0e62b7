"""Property tests for the sync protocol messages (``pensiondesk.sync.protocol``), without a server.

* Any JSON — and any text — fed to any message model either validates or raises pydantic's ``ValidationError``;
  nothing else escapes (no ``TypeError``, ``RecursionError``, ``OverflowError`` …).
* A valid message survives ``model_dump_json`` → ``model_validate_json`` unchanged.
* A valid message with one field replaced by arbitrary JSON is still only "valid" or ``ValidationError``, and
  an unknown field is always refused (``extra="forbid"``).
* ``payload_hash`` / ``canonical_json`` do not depend on key order, and ``record_digest`` not on record order.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from pensiondesk.sync import protocol as p

MODELS: list[type[BaseModel]] = [
    p.ErrorBody,
    p.EnrolRequest,
    p.EnrolResponse,
    p.HandshakeRequest,
    p.HandshakeResponse,
    p.PushRecord,
    p.PushRequest,
    p.RecordResult,
    p.PushResponse,
    p.Change,
    p.PullResponse,
    p.TypeSummary,
    p.SummaryResponse,
]
PROPS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

NOW = "2026-03-02T08:00:00+00:00"
UUID = "0b6f1c9e-3f1a-4a8e-9d3e-2f7c5b1a9e10"
PUSH_RECORD = {
    "change_id": UUID,
    "record_type": "person",
    "record_id": "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "operation": "create",
    "payload": {"name": "王秀兰", "id_number": "41109919750314502X", "version": 1},
    "base_version": None,
    "captured_at": NOW,
}
#: One valid example of each model, the starting point of the mutations.
VALID: dict[type[BaseModel], dict[str, Any]] = {
    p.ErrorBody: {"code": "bad_request", "message": "请求格式不对", "detail": {"field": "x"}},
    p.EnrolRequest: {"protocol_version": 1, "code": "AB12-CD34", "device_name": "红旗村笔记本", "public_key": None},
    p.HandshakeRequest: {"protocol_version": 1, "client_time": NOW, "app_version": "0.1.0"},
    p.PushRecord: PUSH_RECORD,
    p.PushRequest: {"protocol_version": 1, "batch_id": UUID, "epoch": "e1", "records": [PUSH_RECORD]},
    p.Change: {"seq": 7, "kind": "registration_answer", "key": UUID, "op": "upsert", "data": {"a": 1}, "at": NOW},
    p.TypeSummary: {"count": 3, "digest": "ab" * 32},
}

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from([UUID, NOW, "create", "upsert", "person", "", "2026-13-45", "1e999"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _validates_or_refuses(model: type[BaseModel], data: Any) -> BaseModel | None:
    try:
        message = model.model_validate(data)
    except ValidationError:
        return None
    assert model.model_validate_json(message.model_dump_json()) == message  # a valid message round-trips
    return message


def test_the_valid_examples_are_valid() -> None:
    for model, data in VALID.items():
        assert _validates_or_refuses(model, data) is not None, model.__name__


@PROPS
@given(model=st.sampled_from(MODELS), data=JSON)
def test_any_json_validates_or_raises_validation_error(model: type[BaseModel], data: Any) -> None:
    _validates_or_refuses(model, data)


@PROPS
@given(model=st.sampled_from(MODELS), text=st.text(max_size=300) | st.binary(max_size=300).map(repr))
def test_any_text_on_the_wire_validates_or_raises_validation_error(model: type[BaseModel], text: str) -> None:
    with contextlib.suppress(ValidationError):
        model.model_validate_json(text)


@PROPS
@given(model=st.sampled_from(list(VALID)), data=st.data())
def test_a_valid_message_with_one_field_replaced(model: type[BaseModel], data: st.DataObject) -> None:
    message = dict(VALID[model])
    field = data.draw(st.sampled_from(sorted(message)))
    message[field] = data.draw(JSON)
    _validates_or_refuses(model, message)


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_an_unknown_field_is_always_refused(model: type[BaseModel]) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model.model_validate({**VALID[model], "admin": True})


@PROPS
@given(payload=st.dictionaries(st.text(max_size=10), JSON, max_size=8), base=st.none() | st.integers(0, 10**6))
def test_payload_hash_ignores_key_order(payload: dict[str, Any], base: int | None) -> None:
    reordered = dict(reversed(list(payload.items())))
    first = p.payload_hash("person", UUID, "create", payload, base)
    assert first == p.payload_hash("person", UUID, "create", reordered, base)
    assert p.canonical_json(payload) == p.canonical_json(reordered)
    assert len(first) == 64


@PROPS
@given(st.lists(st.tuples(st.uuids().map(str), st.text(max_size=20)), max_size=20), st.randoms())
def test_record_digest_ignores_record_order(items: list[tuple[str, str]], rng: Any) -> None:
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert p.record_digest(items) == p.record_digest(shuffled)


def test_push_limits_are_enforced_by_the_schema() -> None:
    records = [{**PUSH_RECORD, "change_id": str(uuid.uuid4())} for _ in range(p.MAX_BATCH_RECORDS + 1)]
    with pytest.raises(ValidationError):
        p.PushRequest.model_validate({**VALID[p.PushRequest], "records": records})
