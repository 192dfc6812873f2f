"""RemoteEngine against a real llama_cpp.server on loopback, and stream edge cases against a
small stdlib server that answers the way other servers (vLLM, llama.cpp) do."""

from __future__ import annotations

import http.server
import json
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
    EngineError,
    ServerBadStream,
    ServerError,
    ServerModelUnknown,
    ServerUnreachable,
)
from tests.conftest import free_port
from tests.integration.fault_proxy import FaultProxy

ASK = [{"role": "user", "content": "Count from 1 to 5."}]


def test_normalise_base_url() -> None:
    assert normalise_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalise_base_url("http://h:8000/v1/") == "http://h:8000/v1"
    assert normalise_base_url("h:8000") == "http://h:8000/v1"


@pytest.mark.server
class TestRealServer:
    def test_models_and_honest_window(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server + "/v1", model="starter", api_key="")
        assert [m["id"] for m in engine.list_models()] == ["starter"]
        info = engine.info()
        # llama-cpp-python does not state its window: the conservative default, and one request at a time
        assert info.kind == "server" and info.name == "starter" and info.context_window == 2048
        assert info.detail["server_kind"] == "llama-cpp-python server" and engine.parallel_requests == 1
        declared = RemoteEngine(llama_server, model="starter", api_key="", context_window=4096, parallel_requests=4)
        assert declared.context_window() == 4096 and declared.facts().context_source == "declared"
        assert declared.parallel_requests == 1

    def test_picks_the_only_model(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, api_key="")
        assert engine.resolve_model() == "starter"

    def test_streams_and_answers_whole(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, model="starter", api_key="")
        pieces = list(engine.stream(ASK, GenParams(max_tokens=20), CancelToken()))
        assert len(pieces) > 1 and "".join(pieces).strip()
        assert engine.last_stats.finish_reason in ("stop", "length") and engine.last_stats.first_token_s > 0
        assert engine.count_tokens("Hello world") == 2 and engine.counter.exact  # the server's own tokenizer
        text = engine.chat(ASK, GenParams(max_tokens=8), CancelToken())  # non-streamed, with usage
        assert text.strip() and engine.last_stats.prompt_tokens > 10 and engine.last_stats.prompt_dropped == 0

    def test_unknown_model(self, llama_server: str) -> None:
        with pytest.raises(ServerModelUnknown):
            RemoteEngine(llama_server, model="no-such-model", api_key="").resolve_model()

    def test_too_long_prompt_is_refused_before_sending(self, llama_server: str) -> None:
        with FaultProxy(llama_server) as proxy:
            engine = RemoteEngine(proxy.url, model="starter", api_key="")
            long = [{"role": "user", "content": "Hong Kong government notice. " * 500}]
            with pytest.raises(ContextTooLong) as err:
                list(engine.stream(long, GenParams(max_tokens=64), CancelToken()))
            assert err.value.params["limit"] == 2048 and err.value.params["tokens"] > 2048
            assert proxy.chats() == []  # never sent: the server could not have truncated it

    def test_a_second_request_cuts_the_first_and_it_is_marked(self, llama_server: str) -> None:
        # llama-cpp-python ends a running stream with [DONE] but no finish_reason when another
        # request arrives: the answer is kept, marked incomplete (which is why parallel is capped to 1).
        engine = RemoteEngine(llama_server, model="starter", api_key="")
        first = engine.stream([{"role": "user", "content": "Count from 1 to 50."}], GenParams(max_tokens=120), CancelToken())
        got = [next(first), next(first)]
        second = threading.Thread(target=lambda: complete(engine, ASK, GenParams(max_tokens=4), CancelToken()))
        second.start()
        got += list(first)
        second.join(60)
        assert engine.last_stats.finish_reason == "incomplete" and len(got) > 2

    def test_cancel_is_fast_and_frees_the_server(self, llama_server: str) -> None:
        engine = RemoteEngine(llama_server, model="starter", api_key="")
        cancel = CancelToken()
        stream = engine.stream([{"role": "user", "content": "Write a long story."}], GenParams(max_tokens=1000), cancel)
        with pytest.raises(Cancelled):
            for i, _ in enumerate(stream):
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


# -- a scripted server for stream shapes the real one does not produce --------------------------


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Looks like llama.cpp's server (props, tokenize: one token per word); chat answers are scripted."""

    chat_status = 200
    chat_body = b""
    chat_type = "text/event-stream"
    delay = 0.0
    whole: tuple[int, bytes] | None = None  # the answer to a non-streamed request, when it differs
    models = b'{"data": [{"id": "m", "owned_by": "llamacpp"}]}'

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/v1/models" and self.models:
            self._send(200, self.models)
        elif self.path == "/props":
            self._send(200, b'{"default_generation_settings": {"n_ctx": 4096}, "total_slots": 2}')
        else:
            self._send(404, b"File Not Found", "text/plain")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/tokenize":
            self._send(200, json.dumps({"tokens": [1] * len(body["content"].split())}).encode())
            return
        time.sleep(self.delay)
        if self.whole and not body.get("stream"):
            self._send(*self.whole)
            return
        self._send(self.chat_status, self.chat_body, self.chat_type)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("H", (_Scripted,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()


def _events(*chunks: object) -> bytes:
    return b"".join(b"data: " + (c if isinstance(c, bytes) else json.dumps(c).encode()) + b"\n\n" for c in chunks)


def _delta(text: str, finish: str | None = None) -> dict[str, object]:
    return {"choices": [{"delta": {"content": text}, "finish_reason": finish}]}


def _run(url: str, **kw: float) -> tuple[str, RemoteEngine]:
    engine = RemoteEngine(url, model="m", api_key="", **kw)
    return complete(engine, [{"role": "user", "content": "one two three four five six seven eight"}], GenParams(),
                    CancelToken()), engine


@pytest.mark.parametrize(
    ("body", "finish"),
    [
        (_events(_delta("partial")), "incomplete"),  # cut off: no finish_reason, no [DONE]
        (_events(_delta("partial"), b"[DONE]"), "incomplete"),  # [DONE] but no finish_reason (an interrupted stream)
        (_events(_delta("whole", "stop")), "stop"),  # finish_reason without [DONE] is complete
    ],
)
def test_end_of_stream(scripted: tuple[str, type[_Scripted]], body: bytes, finish: str) -> None:
    url, handler = scripted
    handler.chat_body = body
    text, engine = _run(url)
    assert text in ("partial", "whole") and engine.last_stats.finish_reason == finish


def test_usage_showing_a_cut_prompt_is_reported(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.chat_body = _events(_delta("ok", "stop"), {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 1}},
                                b"[DONE]")
    _, engine = _run(url)
    assert engine.last_stats.prompt_tokens == 3 and engine.last_stats.prompt_dropped == 5
    handler.chat_body = handler.chat_body.replace(b'"prompt_tokens": 3', b'"prompt_tokens": 20')
    _, engine = _run(url)
    assert engine.last_stats.prompt_dropped == 0


def test_a_stream_request_answered_in_one_piece(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.chat_type = "application/json"
    handler.chat_body = json.dumps({"choices": [{"message": {"content": "whole"}, "finish_reason": "stop"}],
                                    "usage": {"prompt_tokens": 12}}).encode()
    text, engine = _run(url)
    assert text == "whole" and engine.last_stats.finish_reason == "stop" and engine.last_stats.prompt_tokens == 12


@pytest.mark.parametrize(
    "body",
    [
        _events({"error": {"message": "backend crashed", "code": 500}}),  # an error sent inside the stream (vLLM)
        _events(b"[DONE]"),  # nothing at all
        b": ping\n\n",
    ],
)
def test_streams_without_an_answer_are_typed_errors(scripted: tuple[str, type[_Scripted]], body: bytes) -> None:
    url, handler = scripted
    handler.chat_body = body
    with pytest.raises(EngineError) as err:
        _run(url)
    assert type(err.value) in (ServerBadStream, ServerError) and err.value.exit_code == 4


def test_unreachable() -> None:
    t = time.monotonic()
    with pytest.raises(ServerUnreachable, match="refused"):
        _run(f"http://127.0.0.1:{free_port()}", connect_timeout=2)
    assert time.monotonic() - t < 2


def test_cancel_while_server_is_silent(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.chat_body, handler.delay = _events(_delta("late", "stop")), 5
    engine = RemoteEngine(url, model="m", api_key="")
    engine.facts()
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    t = time.monotonic()
    with pytest.raises(Cancelled):
        list(engine.stream([{"role": "user", "content": "x"}], GenParams(), cancel))
    assert time.monotonic() - t < 0.2 + 0.5


def test_an_empty_stream_is_asked_again_unstreamed_and_the_window_learnt(scripted: tuple[str, type[_Scripted]]) -> None:
    # llama-cpp-python answers a streamed request whose prompt exceeds its n_ctx with an empty
    # 200 stream; unstreamed, the same request is refused with the window it really has.
    url, handler = scripted
    handler.chat_body = b""
    handler.whole = (400, json.dumps({"error": {"message": "This model's maximum context length is 512 tokens. However, "
                                                           "you requested 600 tokens", "code": "context_length_exceeded"}}
                                     ).encode())
    engine = RemoteEngine(url, model="m", api_key="")
    assert engine.context_window() == 4096
    with pytest.raises(ContextTooLong) as err:
        complete(engine, [{"role": "user", "content": "one two three"}], GenParams(max_tokens=2), CancelToken())
    assert err.value.params["limit"] == 512 and err.value.params["tokens"] == engine.counter.count_messages(
        [{"role": "user", "content": "one two three"}])
    assert engine.context_window() == 512 and engine.facts().context_source == "server"
    handler.whole = (200, json.dumps({"choices": [{"message": {"content": "whole"}, "finish_reason": "stop"}]}).encode())
    engine = RemoteEngine(url, model="m", api_key="")
    text = complete(engine, [{"role": "user", "content": "hi"}], GenParams(max_tokens=2), CancelToken())
    assert text == "whole" and engine.last_stats.finish_reason == "stop"  # a dropped stream: the answer, unstreamed


def test_https_to_a_plain_http_port_says_so(scripted: tuple[str, type[_Scripted]]) -> None:
    url, _ = scripted
    with pytest.raises(ServerUnreachable) as err:
        RemoteEngine(url.replace("http://", "https://"), model="m", api_key="").list_models()
    assert "plain HTTP" in err.value.render() and "http://" in err.value.render()


def test_no_model_chosen(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    handler.models = b'{"data": [{"id": "a"}, {"id": "b"}]}'
    with pytest.raises(ServerModelUnknown, match="offers 2: a, b"):
        RemoteEngine(url, api_key="").resolve_model()
    handler.models = b""  # no /v1/models (404): with no name to trust, the URL is what is wrong
    with pytest.raises(ServerError, match="check the server URL"):
        RemoteEngine(url, api_key="").resolve_model()
    assert RemoteEngine(url, model="m", api_key="").resolve_model() == "m"  # a configured name is trusted
