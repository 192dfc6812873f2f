"""One chat request to a server, read on a helper thread, with retries, deadlines and a fast cancel.

The blocking HTTP read runs on a daemon thread that feeds a queue: the caller polls the
queue and can give up at once (Stop, a silent server, the overall deadline) even while
the thread is blocked in ``recv``. Closing a synchronous httpx stream from another thread
does nothing until its read timeout (RELIABILITY.md), so an abort also shuts the socket
down, which wakes the thread and tells the server to stop generating.

Retries (429/502/503, a connection reset) happen only before the first data line, so a
retried request can never repeat text the caller has already shown.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from hkpilot.engines.base import CancelToken
from hkpilot.engines.http_client import (
    RETRY_STATUSES,
    context_limit_in,
    error_message,
    http_error,
    is_reset,
    retry_delay,
    transport_error,
)
from hkpilot.errors import (
    Cancelled,
    ContextTooLong,
    EngineError,
    ServerBadStream,
    ServerBusy,
    ServerTimeout,
    ServerUnreachable,
)
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

_POLL_S = 0.05  # how often the caller looks at the cancel token while the server is silent
_DEADLINE_TEMPLATE = N_("The inference server at {url} did not finish its answer within the time limit ({seconds} s).")


@dataclass(frozen=True)
class Limits:
    read_timeout: float  # the longest silence accepted (keep-alive comments do not count as data)
    deadline: float  # the longest the whole request may take, retries included
    max_retries: int
    backoff_base: float
    retry_after_cap: float


class Exchange:
    """One POST to ``url``; iterate :meth:`events` for its lines (or its JSON body)."""

    def __init__(
        self,
        client: httpx.Client,
        url: str,
        body: dict[str, Any],
        *,
        streaming: bool,
        limits: Limits,
        server_url: str,
        model: str,
        context_limit: int | None = None,
        on_option_rejected: Callable[[], None] | None = None,
    ) -> None:
        self.client = client
        self.url = url
        self.body = dict(body)
        self.streaming = streaming
        self.limits = limits
        self.server_url = server_url
        self.model = model
        self.context_limit = context_limit
        self.on_option_rejected = on_option_rejected
        self.attempts = 0
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._resp: httpx.Response | None = None
        self._delivered = False  # a data line went to the caller: no more retries
        self._thread = threading.Thread(target=self._run, name="hkpilot-http", daemon=True)
        self._t0 = 0.0

    # -- the caller's side ------------------------------------------------------------------

    def events(self, cancel: CancelToken) -> Iterator[tuple[str, str]]:
        """Yield ``("line", text)`` (streaming) or ``("json", text)``; raise typed errors.

        Raises Cancelled at once when ``cancel`` is set, ServerTimeout after ``read_timeout``
        without data or ``deadline`` in all, and the typed error of a failed request.
        """
        self._t0 = time.monotonic()
        self._thread.start()
        last = self._t0
        while True:
            now = time.monotonic()
            if now - self._t0 > self.limits.deadline:
                raise ServerTimeout(_DEADLINE_TEMPLATE, url=self.server_url, seconds=round(self.limits.deadline))
            if now - last > self.limits.read_timeout:
                raise ServerTimeout(url=self.server_url, seconds=round(self.limits.read_timeout))
            try:
                kind, payload = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                if cancel.cancelled:
                    raise Cancelled() from None
                continue
            if cancel.cancelled:
                raise Cancelled()
            if kind == "retry":
                status, delay = payload
                if now + delay - self._t0 > self.limits.deadline:  # would outlive the deadline: say so now
                    if not status:
                        raise ServerUnreachable(url=self.server_url, detail="the connection was reset")
                    raise ServerBusy(url=self.server_url, status=status, attempts=self.attempts)
                last = now + delay
            elif kind == "attempt":
                last = now
            elif kind == "error":
                raise payload
            elif kind == "end":
                return
            else:
                if kind == "json" or payload.startswith("data:"):
                    last = now  # comments (": ping") keep a connection alive but are not progress
                yield kind, payload

    def abort(self) -> None:
        """Stop the helper thread and drop the connection (safe from any thread, idempotent)."""
        self._stop.set()
        resp = self._resp
        if resp is None:
            return
        stream = resp.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() blocked in the helper thread
            except OSError:
                pass

    @property
    def reader_alive(self) -> bool:
        return self._thread.is_alive()

    # -- the helper thread ------------------------------------------------------------------

    def _put(self, kind: str, payload: Any = None) -> None:
        self._queue.put((kind, payload))

    def _run(self) -> None:
        retries = 0
        while not self._stop.is_set():
            self.attempts += 1
            self._put("attempt", self.attempts)
            try:
                outcome = self._once()
            except httpx.HTTPError as exc:
                if self._stop.is_set():
                    return
                if self._delivered or not is_reset(exc) or retries >= self.limits.max_retries:
                    self._put("error", transport_error(exc, self.server_url, self.limits.read_timeout))
                    return
                outcome = ("retry", (0, retry_delay(httpx.Headers(), retries, self.limits.backoff_base,
                                                    self.limits.retry_after_cap)))
            except Exception as exc:  # noqa: BLE001 - anything else reaches the caller typed
                if not self._stop.is_set():
                    log.warning("request failed: %s", type(exc).__name__)
                    self._put("error", ServerBadStream(detail=type(exc).__name__))
                return
            if outcome is None:
                return
            kind, value = outcome
            if kind == "drop_option":  # the server rejects stream_options: ask again without it
                self.body.pop("stream_options", None)
                if self.on_option_rejected:
                    self.on_option_rejected()
                continue
            status, delay = value
            if retries >= self.limits.max_retries:
                self._put("error", ServerBusy(url=self.server_url, status=status or "-", attempts=self.attempts))
                return
            retries += 1
            log.info("server busy or reset (status %s): retry %d in %.1f s", status or "-", retries, delay)
            self._put("retry", (status, delay))
            if self._stop.wait(delay):
                return

    def _once(self) -> tuple[str, Any] | None:
        """One try. Returns ("retry", (status, delay)), ("drop_option", None) or None when done."""
        with self.client.stream("POST", self.url, json=self.body) as resp:
            self._resp = resp
            if resp.status_code >= 400:
                resp.read()
                return self._refused(resp)
            if not self.streaming or resp.headers.get("content-type", "").startswith("application/json"):
                resp.read()
                self._delivered = True
                self._put("json", resp.text)
                self._put("end")
                return None
            for line in resp.iter_lines():
                if self._stop.is_set():
                    return None
                if line.startswith("data:"):
                    self._delivered = True
                self._put("line", line)
        self._put("end")
        return None

    def _refused(self, resp: httpx.Response) -> tuple[str, Any] | None:
        status, text = resp.status_code, resp.text
        if status in RETRY_STATUSES:
            cap = self.limits.retry_after_cap
            return "retry", (status, retry_delay(resp.headers, self.attempts - 1, self.limits.backoff_base, cap))
        error = http_error(status, text, self.server_url, self.model, self.context_limit)
        if "stream_options" in self.body and status in (400, 422) and not isinstance(error, ContextTooLong):
            log.info("server rejected stream_options (%s): %s", status, error_message(text)[:80])
            return "drop_option", None
        if isinstance(error, ContextTooLong) and context_limit_in(error_message(text)) is None and self.context_limit:
            error = ContextTooLong(tokens="?", limit=self.context_limit)
        self._put("error", error)
        return None


def raise_in_stream(chunk: dict[str, Any], server_url: str, model: str) -> EngineError:
    """The typed error for an error object sent inside a stream (vLLM, TGI, LiteLLM do this)."""
    err = chunk.get("error")
    message = err.get("message", "") if isinstance(err, dict) else str(err)
    code = err.get("code") if isinstance(err, dict) else None
    status = code if isinstance(code, int) and 400 <= code < 600 else 500
    return http_error(status, json.dumps({"error": message}), server_url, model)
