"""Faults injected between RemoteEngine and a real llama_cpp.server: each ends in the right typed
error or a successful retry, within the timeouts, and nothing hangs."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.engines.remote import RemoteEngine
from hkpilot.errors import (
    ServerAuthRefused,
    ServerBadStream,
    ServerBusy,
    ServerError,
    ServerModelUnknown,
    ServerTimeout,
    ServerUnreachable,
)
from tests.integration.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.server

ASK = [{"role": "user", "content": "Count from 1 to 20, separated by commas."}]
READ_TIMEOUT = 3.0  # short, so a stall is noticed quickly; generous enough for a loaded 2-core machine


@pytest.fixture
def proxy(llama_server: str) -> Iterator[FaultProxy]:
    with FaultProxy(llama_server) as p:
        yield p


def _engine(proxy: FaultProxy, **kw: float) -> RemoteEngine:
    opts: dict[str, float] = {"read_timeout": 30.0, "deadline": 60.0, "backoff_base": 0.1, "retry_after_cap": 2.0}
    opts.update(kw)
    engine = RemoteEngine(proxy.url, model="starter", api_key="", **opts)  # type: ignore[arg-type]
    engine.facts()  # learnt through the proxy before the fault, as a session would have
    return engine


def _ask(engine: RemoteEngine, max_tokens: int = 24) -> str:
    return "".join(engine.stream(ASK, GenParams(max_tokens=max_tokens, temperature=0.0), CancelToken()))


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault("status", status=401, body=b'{"error": "invalid api key"}'), ServerAuthRefused),
        (Fault("status", status=404, body=b'{"error": {"message": "The model `starter` does not exist."}}'),
         ServerModelUnknown),
        (Fault("status", status=500), ServerError),
        (Fault("status", status=503, times=0), ServerBusy),  # still busy after every retry
        (Fault("status", status=429, headers={"Retry-After": "0"}, times=0), ServerBusy),
        (Fault("malformed", after=0), ServerBadStream),  # before any text: a typed error
        (Fault("reset", times=0), ServerUnreachable),  # reset on every try
    ],
)
def test_failures_are_typed(proxy: FaultProxy, fault: Fault, error: type) -> None:
    engine = _engine(proxy, max_retries=2)
    proxy.add(fault)
    t = time.monotonic()
    with pytest.raises(error):
        _ask(engine)
    assert time.monotonic() - t < 5
    retried = fault.kind in ("reset",) or fault.status in (429, 503)
    assert len(proxy.chats()) == (3 if retried else 1)  # retries only for busy or reset, and only 2 of them


def test_wrong_key_on_first_contact(proxy: FaultProxy) -> None:
    proxy.add(Fault("status", status=401, path="", times=0))
    with pytest.raises(ServerAuthRefused):
        RemoteEngine(proxy.url, model="starter", api_key="wrong").info()


def test_refused_connection(proxy: FaultProxy) -> None:
    engine = _engine(proxy)
    proxy.refuse()
    t = time.monotonic()
    with pytest.raises(ServerUnreachable, match="refused"):
        _ask(engine)
    assert time.monotonic() - t < 2 and proxy.chats() == []


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=429, headers={"Retry-After": "1"}),
        Fault("status", status=502),
        Fault("status", status=503, times=2),
        Fault("reset"),  # connection reset before the answer
        Fault("cut", after=0),  # cut after the headers, before any event
        Fault("reject_option"),  # a server that rejects stream_options: asked again without it
        Fault("slow", delay=1.0),  # a slow first byte within the read timeout
    ],
)
def test_recovered_faults(proxy: FaultProxy, fault: Fault) -> None:
    engine = _engine(proxy, read_timeout=READ_TIMEOUT + 1)
    proxy.add(fault)
    t = time.monotonic()
    text = _ask(engine)
    took = time.monotonic() - t
    assert "1" in text and engine.last_stats.finish_reason in ("stop", "length")
    assert len(proxy.chats()) == 1 + (fault.times if fault.kind != "slow" else 0)
    if fault.headers.get("Retry-After") == "1":
        assert took >= 1.0  # the server's Retry-After was honoured
    if fault.kind == "reject_option":
        assert b"stream_options" not in proxy.chats()[-1].body and not engine._usage_option


def test_retry_after_is_capped(proxy: FaultProxy) -> None:
    engine = _engine(proxy, retry_after_cap=0.5)
    proxy.add(Fault("status", status=429, headers={"Retry-After": "3600"}))
    t = time.monotonic()
    assert _ask(engine)
    assert time.monotonic() - t < 3


def test_a_busy_server_asking_beyond_the_deadline_fails_at_once(proxy: FaultProxy) -> None:
    engine = _engine(proxy, deadline=3.0, retry_after_cap=30.0)
    proxy.add(Fault("status", status=503, headers={"Retry-After": "20"}))
    t = time.monotonic()
    with pytest.raises(ServerBusy):
        _ask(engine)
    assert time.monotonic() - t < 1


def test_slow_first_byte_times_out(proxy: FaultProxy) -> None:
    engine = _engine(proxy, read_timeout=1.5)
    proxy.add(Fault("slow", delay=10))
    t = time.monotonic()
    with pytest.raises(ServerTimeout):
        _ask(engine)
    assert 1.4 < time.monotonic() - t < 3


@pytest.mark.parametrize(
    ("fault", "limits", "error"),
    [
        (Fault("stall", after=3), {"read_timeout": READ_TIMEOUT}, "server.timeout"),
        (Fault("ping_stall", after=3), {"read_timeout": READ_TIMEOUT}, "server.timeout"),  # keep-alives are not text
        (Fault("trickle", delay=0.4), {"read_timeout": READ_TIMEOUT, "deadline": 4.0}, "server.timeout"),  # deadline
        (Fault("cut", after=3), {}, "server.unreachable"),
        (Fault("malformed", after=3), {}, "server.bad_stream"),
    ],
)
def test_broken_streams_keep_their_text_marked_incomplete(
    proxy: FaultProxy, fault: Fault, limits: dict[str, float], error: str
) -> None:
    engine = _engine(proxy, **limits)
    proxy.add(fault)
    t = time.monotonic()
    text = _ask(engine, max_tokens=200)
    took = time.monotonic() - t
    stats = engine.last_stats
    assert text.strip() and stats.finish_reason == "incomplete" and stats.error == error
    assert took < limits.get("deadline", READ_TIMEOUT) + 3  # the read timeout or the deadline, not the server's pace
    assert len(proxy.chats()) == 1  # never retried once text was shown
