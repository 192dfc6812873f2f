"""RemoteEngine against a real llama_cpp.server on loopback, and typed HTTP errors
against a small stdlib server that answers with chosen failures."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from hkpilot.config import secrets
from hkpilot.engines.base import CancelToken, GenParams, complete
from hkpilot.engines.remote import RemoteEngine, normalise_base_url
from hkpilot.errors import (
    Cancelled,
    ContextTooLong,
    ServerAuthRefused,
    ServerError,
    ServerModelUnknown,
    ServerTimeout,
    ServerUnreachable,
)
from tests.conftest import free_port


def test_normalise_base_url() -> None:
    assert normalise_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalise_base_url("http://h:8000/v1/") == "http://h:8000/v1"
    assert normalise_base_url("h:8000") == "http://h:8000/v1"


@pytest.mark.server
class TestRealServer:
    def test_models_and_info(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server + "/v1", model="starter", api_key="")
        assert [m["id"] for m in engine.list_models()] == ["starter"]
        info = engine.info()
        assert info.kind == "server" and info.name == "starter" and info.context_window >= 2048

    def test_picks_the_only_model(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, api_key="")
        assert engine.resolve_model() == "starter"

    def test_streams(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, model="starter", api_key="")
        pieces = list(engine.stream([{"role": "user", "content": "Count from 1 to 5."}], GenParams(max_tokens=20), CancelToken()))
        assert len(pieces) > 1 and "".join(pieces).strip()
        assert engine.last_stats.finish_reason in ("stop", "length")
        assert engine.count_tokens("Hello world") <= 4  # the server's own tokenizer

    def test_unknown_model(self, llama_server: str) -> None:
        with pytest.raises(ServerModelUnknown):
            RemoteEngine(llama_server, model="no-such-model", api_key="").resolve_model()

    def test_cancel_is_fast(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, model="starter", api_key="")
        cancel = CancelToken()
        with pytest.raises(Cancelled):
            for i, _ in enumerate(
                engine.stream([{"role": "user", "content": "Write a long story."}], GenParams(max_tokens=1000), cancel)
            ):
                if i == 2:
                    cancel.cancel()
                    t = time.monotonic()
        assert time.monotonic() - t < 0.5
        assert complete(engine, [{"role": "user", "content": "Say OK"}], GenParams(max_tokens=4), CancelToken())

    def test_key_from_keyring(self, llama_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
        seen: dict[str, str] = {}

        class MemoryKeyring:
            def get_password(self, service: str, user: str) -> str | None:
                seen["lookup"] = f"{service}|{user}"
                return "k-123"

        monkeypatch.setitem(__import__("sys").modules, "keyring", MemoryKeyring())
        engine = RemoteEngine(llama_server, model="starter")
        assert seen["lookup"] == f"hkpilot|{llama_server}"
        assert engine._client.headers["Authorization"] == "Bearer k-123"
        assert secrets.get_api_key(llama_server) == "k-123"


class _Scripted(http.server.BaseHTTPRequestHandler):
    status = 200
    body = b""
    delay = 0.0

    def _answer(self) -> None:
        time.sleep(self.delay)
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("H", (_Scripted,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()


def _ask(url: str, **kw: float) -> None:
    list(
        RemoteEngine(url, model="m", api_key="", **kw).stream(
            [{"role": "user", "content": "x"}], GenParams(max_tokens=4), CancelToken()
        )
    )


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, b'{"error": "bad key"}', ServerAuthRefused),
        (403, b"", ServerAuthRefused),
        (404, b'{"error": {"message": "The model `m` does not exist."}}', ServerModelUnknown),
        (400, b'{"error": {"message": "This model\'s maximum context length is 4096 tokens"}}', ContextTooLong),
        (500, b'{"error": "boom"}', ServerError),
        (200, b"data: {not json}\n\n", ServerError),
    ],
)
def test_typed_http_errors(scripted: tuple[str, type[_Scripted]], status: int, body: bytes, error: type) -> None:
    url, handler = scripted
    handler.status, handler.body = status, body
    with pytest.raises(error):
        _ask(url)


def test_stream_without_end_is_incomplete(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.body = b'data: {"choices": [{"delta": {"content": "partial"}}]}\n\n'
    engine = RemoteEngine(url, model="m", api_key="")
    assert complete(engine, [{"role": "user", "content": "x"}], GenParams(), CancelToken()) == "partial"
    assert engine.last_stats.finish_reason == "incomplete"


def test_unreachable() -> None:
    with pytest.raises(ServerUnreachable):
        _ask(f"http://127.0.0.1:{free_port()}", connect_timeout=2)


def test_read_timeout(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.delay = 3
    t = time.monotonic()
    with pytest.raises(ServerTimeout):
        _ask(url, read_timeout=1)
    assert time.monotonic() - t < 3


def test_cancel_while_server_is_silent(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.delay = 5
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    t = time.monotonic()
    with pytest.raises(Cancelled):
        list(RemoteEngine(url, model="m", api_key="").stream([{"role": "user", "content": "x"}], GenParams(), cancel))
    assert time.monotonic() - t < 0.2 + 0.5
