"""HTTP client of the county sync API (同步网络客户端), with ``requests``.

Retries only what is safe and useful to retry (property 5): connection errors, timeouts and 5xx, with exponential
backoff and full jitter. 4xx answers — 401 unknown token, 403 revoked, 409 another sync running / epoch changed,
412 unsupported version, 413/422 bad request — are never retried automatically: they come back as
:class:`SyncHttpError` with the server's code and Chinese message. Every call is repeat-safe on the server side
(a push is keyed by its batch ID), so a retry after an unknown outcome can never duplicate anything.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from pensiondesk import __version__
from pensiondesk.sync.protocol import (
    APP_VERSION_HEADER,
    AUDIT_HEAD_HEADER,
    PROTOCOL_VERSION,
    AuditHeadAnswer,
    AuditHeadReport,
    EnrolRequest,
    EnrolResponse,
    HandshakeRequest,
    HandshakeResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SummaryResponse,
)

T = TypeVar("T", bound=BaseModel)

#: (connect, read) timeouts in seconds: villages have slow links, but a hung socket must not hang the sync.
DEFAULT_TIMEOUT = (10.0, 120.0)


class SyncError(Exception):
    """A sync call failed; ``message`` is Chinese for the coordinator, ``retryable`` whether trying later helps."""

    def __init__(self, message: str, *, retryable: bool, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.user_message = message
        self.retryable = retryable
        self.code = code


class SyncNetworkError(SyncError):
    """No answer (connection refused or cut, timeout): the outcome is unknown; nothing advances."""


class SyncHttpError(SyncError):
    """The server answered with a non-2xx status."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message, retryable=status >= 500, code=code)
        self.status = status
        self.detail = detail


class SyncClient:
    """One county server, one device token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff_base: float = 0.5,
        backoff_cap: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        verify: bool | str = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.http = requests.Session()
        self.http.verify = verify

    def close(self) -> None:
        """Close pooled connections."""
        self.http.close()

    # -- calls --

    def enrol(self, code: str, device_name: str, public_key: str | None) -> EnrolResponse:
        """Exchange an enrolment code for a device token (no retry of a 4xx: a code is single-use)."""
        body = EnrolRequest(
            protocol_version=PROTOCOL_VERSION, code=code, device_name=device_name, public_key=public_key
        )
        return self._call("POST", "/v1/enrol", EnrolResponse, json=body.model_dump(mode="json"))

    def handshake(self) -> HandshakeResponse:
        """Versions, epoch, clock skew."""
        body = HandshakeRequest(
            protocol_version=PROTOCOL_VERSION, client_time=datetime.now(UTC), app_version=__version__
        )
        return self._call(
            "POST",
            "/v1/handshake",
            HandshakeResponse,
            json=body.model_dump(mode="json"),
            headers={APP_VERSION_HEADER: "1", AUDIT_HEAD_HEADER: "1"},
        )

    def push(self, request: PushRequest) -> PushResponse:
        """Send a batch; safe to repeat (same batch ID → same stored answer)."""
        return self._call("POST", "/v1/push", PushResponse, data=request.model_dump_json().encode("utf-8"))

    def audit_head(self, report: AuditHeadReport) -> AuditHeadAnswer:
        """Report the audit chain head; only to a server whose handshake announced ``audit_checkpoints``."""
        return self._call("POST", "/v1/audit-head", AuditHeadAnswer, data=report.model_dump_json().encode("utf-8"))

    def pull(self, since: int, limit: int = 500) -> PullResponse:
        """A page of county changes after ``since``."""
        return self._call("GET", "/v1/pull", PullResponse, params={"since": since, "limit": limit})

    def summary(self) -> SummaryResponse:
        """Counts and hashes the county holds for this village."""
        return self._call("GET", "/v1/summary", SummaryResponse)

    # -- plumbing --

    def _headers(self) -> dict[str, str]:
        headers = {"PensionDesk-Protocol": str(PROTOCOL_VERSION), "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _call(self, method: str, path: str, model: type[T], **kwargs: Any) -> T:
        attempt = 0
        while True:
            try:
                return self._once(method, path, model, **kwargs)
            except SyncError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                attempt += 1
                delay = self.rng.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))
                self.sleep(delay)

    def _once(self, method: str, path: str, model: type[T], **kwargs: Any) -> T:
        try:
            headers = self._headers() | kwargs.pop("headers", {})
            response = self.http.request(method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise SyncNetworkError("连接县级服务器超时，稍后会自动重试。", retryable=True, code="timeout") from exc
        except requests.RequestException as exc:
            raise SyncNetworkError(
                "无法连接县级服务器（网络不通或服务器未运行），稍后会自动重试。", retryable=True, code="network"
            ) from exc
        if response.status_code >= 400:
            raise _http_error(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            # A cut or garbled body: the outcome is unknown, like a timeout.
            raise SyncNetworkError(
                "县级服务器的回答不完整，稍后会自动重试。", retryable=True, code="bad_response"
            ) from exc


def _http_error(response: requests.Response) -> SyncHttpError:
    code, message, detail = f"http_{response.status_code}", "", None
    try:
        body = response.json()
        if isinstance(body, dict):
            code = str(body.get("code") or code)
            message = str(body.get("message") or "")
            detail = body.get("detail")
    except ValueError:
        pass
    if not message:
        message = {
            401: "本机的同步授权无效，请重新登记本机。",
            403: "县级服务器拒绝了本机的请求。",
            413: "上传的数据过大。",
        }.get(response.status_code, f"县级服务器出错（{response.status_code}），稍后会自动重试。")
    return SyncHttpError(response.status_code, code, message, detail)
