"""The HTTP connections `advisory serve` accepts: uvicorn's httptools protocol, with bounds.

uvicorn times out only a connection idle between requests: one that connects and sends
nothing, or sends its request a byte at a time, is held for ever, and enough of them take
every connection the process can hold. Nor does it bound a request's head (its line and
headers), which is read into memory however long it grows. Here a request must arrive whole
(head and body) within REQUEST_SECONDS of the connection or of the last answer on it, and its
head within MAX_HEAD_BYTES; past either the connection is answered (408, 431) and closed.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from advisories.errors import QueryError, literal

REQUEST_SECONDS = 20.0  # a request's head and body, from the connection or the last answer
REQUEST_ENVIRONMENT = "ADVISORIES_REQUEST_SECONDS"  # sets another
MAX_HEAD_BYTES = 32 * 1024  # the request line and headers together


def request_seconds(environment: Mapping[str, str]) -> float:
    """The seconds a request may take to arrive: REQUEST_SECONDS, or as `environment` says."""
    text = environment.get(REQUEST_ENVIRONMENT, "").strip()
    if not text:
        return REQUEST_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1
    if not 0.1 <= seconds <= 3600:
        raise QueryError(
            f"the environment variable {REQUEST_ENVIRONMENT} is {literal(repr(text[:40]))}; "
            "give seconds, from 0.1 to 3600"
        )
    return seconds


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """httptools' protocol with a deadline for each request and a cap on its head."""

    _deadline: asyncio.TimerHandle | None = None
    _head_bytes: int | None = 0  # None once the head is read
    _seconds: float | None = None  # of every connection: read once per process

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes is not None:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                limit = f"{MAX_HEAD_BYTES // 1024} KiB"
                self._refuse(431, f"the request line and headers are larger than {limit}")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._head_bytes = None
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_deadline()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._expect_request()

    def _expect_request(self) -> None:
        self._head_bytes = 0
        self._cancel_deadline()
        if BoundedHttpToolsProtocol._seconds is None:  # checked by `advisory serve` already
            BoundedHttpToolsProtocol._seconds = request_seconds(os.environ)
        self._deadline = self.loop.call_later(BoundedHttpToolsProtocol._seconds, self._too_slow)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # the request is with the app (its body still coming): it answers or fails
            # reading, and the connection closes after it
            self.cycle.keep_alive = False
            self.transport.close()
            return
        seconds = BoundedHttpToolsProtocol._seconds
        self._refuse(408, f"the request did not arrive within {seconds:g} s")

    def _refuse(self, status: int, message: str) -> None:
        """Answer `status` with `message` as JSON, and close the connection."""
        self._cancel_deadline()
        body = ('{"error": "' + message + '"}').encode("ascii")
        reason = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}[status]
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, reason),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
        self.logger.info("%s:%d - refused with %d: %s", *(self.client or ("?", 0)), status, message)
