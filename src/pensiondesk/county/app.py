"""The county server's HTTP API (县级同步接口), FastAPI.

Endpoints (all JSON; the schemas are ``pensiondesk.sync.protocol``; OpenAPI at ``/openapi.json``, docs at
``/docs``): ``GET /v1/health``, ``POST /v1/enrol``, ``POST /v1/handshake``, ``POST /v1/push``,
``GET /v1/pull?since=&limit=``, ``GET /v1/summary``, ``POST /v1/audit-head`` (only for clients that sent
``PensionDesk-Audit-Head`` in the handshake). Every call but health and enrol needs
``Authorization: Bearer <device token>`` and is scoped to that device's village.

Errors are always ``ErrorBody`` JSON with a stable ``code`` and a Chinese ``message``: 400/422 malformed input,
401 unknown token, 403 revoked device, 409 another sync of this device running / reused batch ID / epoch changed,
412 unsupported protocol version, 413 body too large, 503 database busy (retry). A 500 is a bug.

(No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations at runtime, and the
dependency aliases are local to :func:`create_app`.)
"""

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pensiondesk import __version__
from pensiondesk.county import admin
from pensiondesk.county.audit import check_audit_head, checkpoints_for
from pensiondesk.county.store import (
    SyncRefused,
    authenticate,
    create_county_engine,
    meta,
    pull_changes,
    push_batch,
    upgrade_database,
    village_summary,
)
from pensiondesk.sync.protocol import (
    APP_VERSION_HEADER,
    AUDIT_HEAD_HEADER,
    MAX_BATCH_RECORDS,
    MAX_BODY_BYTES,
    MAX_PULL_LIMIT,
    PROTOCOL_MAX,
    PROTOCOL_MIN,
    AuditHeadAnswer,
    AuditHeadReport,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    HandshakeRequest,
    HandshakeResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SummaryResponse,
)

log = logging.getLogger("pensiondesk.county")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 409, 412, 413, 422, 503)
}


class BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]], send: Any
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _too_large(send, self.limit)
                    return
        seen = 0

        async def limited() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Any, limit: int) -> None:
    body = ErrorBody(code="body_too_large", message=f"请求过大（上限 {limit} 字节），请分批上传。").model_dump_json()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


def _error(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, detail=jsonable_encoder(detail))
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"))


def _check_version(version: int | None) -> None:
    if version is not None and not PROTOCOL_MIN <= version <= PROTOCOL_MAX:
        raise SyncRefused(
            412,
            "unsupported_protocol",
            f"本程序的同步协议版本（{version}）与县级服务器（支持 {PROTOCOL_MIN}–{PROTOCOL_MAX}）不兼容，"
            + ("请升级本程序。" if version < PROTOCOL_MIN else "请联系县社保局升级服务器。"),
            {"protocol_min": PROTOCOL_MIN, "protocol_max": PROTOCOL_MAX},
        )


def create_app(
    url: str,
    *,
    initialise: bool = True,
    min_app_version: str | None = None,
    latest_app_version: str | None = None,
) -> FastAPI:
    """The API over the county database at ``url`` (migrated to head first unless ``initialise`` is false).

    ``min_app_version`` / ``latest_app_version`` are announced in the handshake to laptops that understand them.
    """
    engine = create_county_engine(url)
    if initialise:
        upgrade_database(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    app = FastAPI(
        title="PensionDesk county sync API",
        version=__version__,
        description="城乡居保县级同步接口。See docs/sync-protocol.md.",
    )
    app.state.engine = engine

    @contextmanager
    def tx() -> Iterator[Session]:
        # The transaction commits inside the endpoint, before the answer is sent: a client never sees an answer
        # for work the county has not durably kept (a yield dependency would commit after the response).
        # A refusal is raised before any data is written, so its security log entry is committed, not lost.
        with factory() as session:
            try:
                yield session
                session.commit()
            except SyncRefused:
                session.commit()
                raise
            except BaseException:
                session.rollback()
                raise

    AuthHeader = Annotated[str | None, Header(alias="Authorization")]
    VersionHeader = Annotated[int | None, Header(alias="PensionDesk-Protocol", ge=0, le=1_000_000)]

    def bearer(value: str | None) -> str | None:
        if value and value.lower().startswith("bearer "):
            return value[7:].strip()
        return None

    @app.exception_handler(SyncRefused)
    async def _refused(_request: Request, exc: SyncRefused) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        return _error(422, "invalid_request", "请求格式不正确：" + "; ".join(str(e["msg"]) for e in errors[:3]), errors)

    @app.exception_handler(OperationalError)
    async def _busy(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database busy: %s", exc)
        return _error(503, "busy", "县级服务器繁忙，请稍后重试。")

    @app.exception_handler(IntegrityError)
    async def _race(_request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity race: %s", exc)
        return _error(503, "busy", "县级服务器正在处理相同的数据，请稍后重试。")

    @app.get("/v1/health", responses=ERRORS)
    def health() -> dict[str, Any]:
        """Liveness: the server answers and its database is reachable."""
        with tx() as session:
            return {
                "status": "ok",
                "epoch": meta(session).epoch,
                "protocol_min": PROTOCOL_MIN,
                "protocol_max": PROTOCOL_MAX,
            }

    @app.post("/v1/enrol", responses=ERRORS)
    def enrol(body: EnrolRequest) -> EnrolResponse:
        """Exchange a one-time enrolment code for a device token bound to one village."""
        _check_version(body.protocol_version)
        with tx() as session:
            return admin.enrol_device(session, body)

    AppVersionsHeader = Annotated[str | None, Header(alias=APP_VERSION_HEADER)]
    AuditHeadHeader = Annotated[str | None, Header(alias=AUDIT_HEAD_HEADER)]

    # ``exclude_none``: the optional app-version fields are left out, not sent as null, for the laptops of before
    # them (their HandshakeResponse forbids unknown fields).
    @app.post("/v1/handshake", responses=ERRORS, response_model_exclude_none=True)
    def handshake(
        body: HandshakeRequest,
        authorization: AuthHeader = None,
        app_versions: AppVersionsHeader = None,
        audit_head: AuditHeadHeader = None,
    ) -> HandshakeResponse:
        """Versions, epoch, clock skew and limits; the program versions and the audit checkpoints for a client
        that understands them."""
        _check_version(body.protocol_version)
        with tx() as session:
            answer = _handshake(session, body, authorization)
            if audit_head:
                answer.audit_checkpoints = checkpoints_for(session, answer.device_id)
        if app_versions:
            answer.min_app_version = min_app_version
            answer.latest_app_version = latest_app_version
        return answer

    def _handshake(session: Session, body: HandshakeRequest, authorization: str | None) -> HandshakeResponse:
        device = authenticate(session, bearer(authorization))
        now = datetime.now(UTC)
        client = body.client_time if body.client_time.tzinfo else body.client_time.replace(tzinfo=UTC)
        device.last_seen_at = now.replace(tzinfo=None)
        return HandshakeResponse(
            protocol_min=PROTOCOL_MIN,
            protocol_max=PROTOCOL_MAX,
            compatible=True,
            message="ok",
            server_epoch=meta(session).epoch,
            server_time=now,
            clock_skew_seconds=int((client - now).total_seconds()),
            device_id=device.id,
            village_code=device.village_code,
            max_batch_records=MAX_BATCH_RECORDS,
            max_body_bytes=MAX_BODY_BYTES,
        )

    @app.post("/v1/push", responses=ERRORS)
    def push(body: PushRequest, authorization: AuthHeader = None) -> PushResponse:
        """Apply a batch; a batch ID seen before gets its stored response back."""
        _check_version(body.protocol_version)
        with tx() as session:
            device = authenticate(session, bearer(authorization))
            return push_batch(session, device, body)

    @app.post("/v1/audit-head", responses=ERRORS)
    def audit_head(body: AuditHeadReport, authorization: AuthHeader = None) -> AuditHeadAnswer:
        """Compare the laptop's audit chain head with the heads the county saw; record an alert if it does not hold."""
        with tx() as session:
            device = authenticate(session, bearer(authorization))
            return check_audit_head(session, device, body)

    @app.get("/v1/pull", responses=ERRORS)
    def pull(
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500,
        authorization: AuthHeader = None,
        protocol: VersionHeader = None,
    ) -> PullResponse:
        """County-owned changes for this device's village after ``since``."""
        _check_version(protocol)
        with tx() as session:
            device = authenticate(session, bearer(authorization))
            return pull_changes(session, device, since, limit)

    @app.get("/v1/summary", responses=ERRORS)
    def summary(authorization: AuthHeader = None, protocol: VersionHeader = None) -> SummaryResponse:
        """Counts and hashes of this village's records on the county, by type."""
        _check_version(protocol)
        with tx() as session:
            device = authenticate(session, bearer(authorization))
            return village_summary(session, device.village_code)

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app
