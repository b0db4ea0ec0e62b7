"""A fault-injecting HTTP/1.1 proxy on loopback (故障注入代理) for the sync tests.

Sits between the laptop client and the real county server process. For every request it picks a fault (from a
fixed script, or at random with a seeded generator) and does one of:

* ``pass`` — forward the request and the response;
* ``drop_response`` — forward the request, let the server finish (it commits), read its whole response, then close
  the client's connection without a byte: the classic "server committed, answer lost";
* ``cut_response`` — same, but send half of the response first (a body cut mid-way);
* ``cut_request`` — forward the head and half the body, then close both sides (the server never sees a full
  request, so nothing is committed);
* ``error_502`` / ``error_503`` — answer a 5xx without contacting the server.

It understands just enough HTTP/1.1 (a head ending in CRLFCRLF, ``Content-Length`` bodies), which is what
``requests`` sends and uvicorn answers for JSON.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
from collections import Counter
from collections.abc import Sequence

FAULTS = ("pass", "drop_response", "cut_response", "cut_request", "error_502", "error_503")


def _read_head(sock: socket.socket, buf: bytearray) -> bytes | None:
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf.extend(chunk)
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    return head


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _read_body(sock: socket.socket, buf: bytearray, length: int) -> bytes | None:
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf.extend(chunk)
    body = bytes(buf[:length])
    del buf[:length]
    return body


class FaultProxy:
    """``FaultProxy(upstream_port).start()``; then point the client at ``proxy.url``."""

    def __init__(
        self,
        upstream_port: int,
        *,
        script: Sequence[str] = (),
        fault_rate: float = 0.0,
        seed: int = 0,
        faults: Sequence[str] = FAULTS[1:],
    ) -> None:
        self.upstream_port = upstream_port
        self.script = list(script)
        self.fault_rate = fault_rate
        self.faults = list(faults)
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopped = False

    def start(self) -> FaultProxy:
        threading.Thread(target=self._accept_loop, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):
            self._listener.close()

    def next_fault(self) -> str:
        with self._lock:
            if self.script:
                fault = self.script.pop(0)
            elif self.fault_rate and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(self.faults)
            else:
                fault = "pass"
            self.counts[fault] += 1
            return fault

    def _accept_loop(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        cbuf, ubuf = bytearray(), bytearray()
        try:
            while True:
                head = _read_head(client, cbuf)
                if head is None:
                    return
                body = _read_body(client, cbuf, _content_length(head)) or b""
                fault = self.next_fault()
                if fault.startswith("error_"):
                    status = fault.split("_")[1]
                    client.sendall(
                        f"HTTP/1.1 {status} Proxy Fault\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
                    )
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
                if fault == "cut_request":
                    upstream.sendall(head + body[: len(body) // 2])
                    return
                upstream.sendall(head + body)
                rhead = _read_head(upstream, ubuf)
                if rhead is None:
                    return
                rbody = _read_body(upstream, ubuf, _content_length(rhead)) or b""
                if fault == "drop_response":
                    return
                if fault == "cut_response":
                    client.sendall(rhead + rbody[: len(rbody) // 2])
                    return
                client.sendall(rhead + rbody)
                if b"connection: close" in rhead.lower():
                    return
        except OSError:
            return
        finally:
            for s in (client, upstream):
                if s is not None:
                    with contextlib.suppress(OSError):
                        s.close()
