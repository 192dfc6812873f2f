"""Server client pieces without a server: error mapping, retry timing, settings to config, TLS context."""

from __future__ import annotations

import email.utils
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from hkpilot.config.settings import Policy, Settings
from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.engines.base import CancelToken, GenParams, Message, StreamStats
from hkpilot.engines.http_client import (
    build_client,
    config_from_settings,
    context_limit_in,
    error_message,
    http_error,
    parse_headers,
    retry_delay,
    ssl_context,
)
from hkpilot.engines.server_context import DEFAULT_CONTEXT, ServerFacts, ServerProbe
from hkpilot.errors import (
    ContextTooLong,
    ServerAuthRefused,
    ServerError,
    ServerModelUnknown,
    ServerTLSError,
)
from hkpilot.tasks.answer_checks import INCOMPLETE_NOTICES
from hkpilot.tasks.events import Notice, Result
from hkpilot.tasks.summarise import summarise_document
from hkpilot.tasks.translate import translate_text
from tests.fakes import ScriptedEngine


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, '{"error": "bad key"}', ServerAuthRefused),
        (403, "", ServerAuthRefused),
        (404, '{"error": {"message": "The model `m` does not exist.", "type": "NotFoundError"}}', ServerModelUnknown),  # vLLM
        (404, '{"error": "model \\"m\\" not found, try pulling it first"}', ServerModelUnknown),  # Ollama
        (400, '{"error": {"message": "Invalid model name passed in model=m"}}', ServerModelUnknown),  # LiteLLM
        (400, '{"error": {"message": "This model\'s maximum context length is 4096 tokens. However..."}}', ContextTooLong),
        (400, '{"error": {"message": "Requested tokens (5000) exceed context window of 2048"}}', ContextTooLong),
        (422, '{"error": "Input validation error: `inputs` must have less than 1024 tokens", "error_type": "validation"}',
         ServerError),
        (404, "File Not Found", ServerError),
        (500, '{"error": "boom"}', ServerError),
    ],
)
def test_http_errors_are_typed(status: int, body: str, error: type) -> None:
    assert type(http_error(status, body, "http://s", "m")) is error


def test_context_limit_is_read_from_the_message() -> None:
    assert context_limit_in("This model's maximum context length is 4096 tokens") == 4096
    assert context_limit_in("Requested tokens (5000) exceed context window of 2048") == 2048
    assert context_limit_in("the request exceeds the available context size, try increasing it") is None
    err = http_error(400, '{"error": {"message": "exceed context window of 2048"}}', "u", "m", limit=999)
    assert err.params["limit"] == 2048
    assert error_message('{"detail": "nope"}') == "nope"


def test_retry_delay_honours_and_caps_retry_after() -> None:
    assert retry_delay(httpx.Headers({"Retry-After": "2"}), 0, 0.5, 30) == 2
    assert retry_delay(httpx.Headers({"Retry-After": "3600"}), 0, 0.5, 30) == 30
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3 <= retry_delay(httpx.Headers({"Retry-After": date}), 0, 0.5, 30) <= 5
    assert retry_delay(httpx.Headers(), 0, 0.5, 30) == 0.5
    assert retry_delay(httpx.Headers(), 3, 0.5, 30) == 4
    assert retry_delay(httpx.Headers({"Retry-After": "soon"}), 1, 0.5, 30) == 1


def test_parse_headers() -> None:
    assert parse_headers("X-Dept: ABC; X-Team: 1\nbad line; : x; Bad Name: y") == {"X-Dept": "ABC", "X-Team": "1"}


def test_config_from_settings_applies_policy_caps_and_headers(tmp_path: Path) -> None:
    policy = Policy(extra={"server.max_parallel": 2, "server.headers.X-Dept": "HKPO", "server.retry_after_cap": 5})
    settings = Settings(tmp_path / "s.toml", policy=policy)
    settings.set("server.url", "https://llm.dept.gov.hk")
    settings.set("server.parallel_requests", 8)
    settings.set("server.extra_headers", "X-Team: A")
    cfg = config_from_settings(settings)
    assert cfg.parallel_requests == 2
    assert cfg.headers == {"X-Team": "A", "X-Dept": "HKPO"}
    assert cfg.retry_after_cap == 5
    client = build_client(cfg, api_key="k")
    assert client.headers["Authorization"] == "Bearer k" and client.headers["X-Dept"] == "HKPO"
    client.close()


def test_tls_context_checks_hostnames_and_reports_a_bad_bundle(tmp_path: Path) -> None:
    ctx = ssl_context()
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    bad = tmp_path / "not-a-ca.pem"
    bad.write_text("nothing here", encoding="utf-8")
    with pytest.raises(ServerTLSError):
        ssl_context(str(bad))


class _Client:
    """Answers GET/POST by path, as an httpx.Client would."""

    def __init__(self, routes: dict[str, object]) -> None:
        self.routes = routes

    def _answer(self, url: str) -> httpx.Response:
        path = url.split("//", 1)[1].split("/", 1)[1]
        body = self.routes.get("/" + path)
        return httpx.Response(404) if body is None else httpx.Response(200, json=body)

    def get(self, url: str) -> httpx.Response:
        return self._answer(url)

    def post(self, url: str, json: object = None) -> httpx.Response:
        return self._answer(url)


def _facts(routes: dict[str, object], listing: list[dict[str, object]], declared: int = 0) -> ServerFacts:
    return ServerProbe(_Client(routes), "http://s", "m", declared).discover(listing)  # type: ignore[arg-type]


def test_each_server_kind_states_its_window() -> None:
    assert _facts({}, [{"id": "m", "max_model_len": 32768, "owned_by": "vllm"}]).context == 32768
    llama = _facts({"/props": {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 4}},
                   [{"id": "m", "owned_by": "llamacpp"}])
    assert (llama.kind, llama.context, llama.slots) == ("llama.cpp", 8192, 4)
    tgi = _facts({"/info": {"max_total_tokens": 4096, "max_input_tokens": 3000, "max_concurrent_requests": 128}}, [])
    assert (tgi.kind, tgi.context, tgi.max_prompt) == ("tgi", 4096, 3000)
    ollama = _facts({"/api/version": {"version": "0.5"}, "/api/show": {"parameters": "num_ctx 8192\nstop x",
                     "model_info": {"qwen2.context_length": 32768}}}, [{"id": "m"}])
    assert (ollama.kind, ollama.context) == ("ollama", 8192)
    ollama_default = _facts({"/api/version": {"version": "0.5"}, "/api/show": {"model_info": {}}}, [{"id": "m"}])
    assert ollama_default.context == DEFAULT_CONTEXT
    lite = _facts({"/v1/model/info": {"data": [{"model_name": "m", "model_info": {"max_input_tokens": 128000}}]}}, [])
    assert (lite.kind, lite.context) == ("litellm", 128000)
    py = _facts({"/extras/tokenize/count": {"count": 1}}, [{"id": "m", "owned_by": "me"}])
    assert (py.kind, py.interrupts, py.context_source) == ("llama-cpp-python", True, "default")


def test_declared_window_is_capped_by_the_server() -> None:
    assert _facts({}, [{"id": "m", "max_model_len": 4096}], declared=32000).context == 4096
    assert _facts({}, [{"id": "m", "max_model_len": 32768}], declared=8000).context == 8000
    unknown = _facts({}, [{"id": "m"}], declared=8000)
    assert (unknown.context, unknown.context_source) == (8000, "declared")
    assert _facts({}, [{"id": "m"}]).context == DEFAULT_CONTEXT


# -- what the tasks do when a server's window or stream lets them down ----------------------------


class _UnstatedWindow(ScriptedEngine):
    """Claims a 4096-token window until a prompt beyond the real 1024 is refused, as RemoteEngine does
    with a llama-cpp-python server that does not state its ``n_ctx``."""

    REAL = 1024

    def __init__(self, reply: Callable[[list[Message]], str], context_window: int) -> None:
        super().__init__(reply, context_window)
        self.refused: list[int] = []

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        tokens = sum(self.count_tokens(m["content"]) for m in messages)
        if tokens + 32 > self.REAL:
            self.window = self.REAL  # learnt from the refusal
            self.refused.append(tokens)
            raise ContextTooLong(tokens=tokens, limit=self.REAL)
        yield from super().stream(messages, params, cancel)


def _paragraphs(n: int) -> Document:
    blocks = [Block(f"p:{i + 1}", BlockKind.PARAGRAPH, f"Paragraph {i} " + "word " * 80, section="s") for i in range(n)]
    return Document(path=Path("long.txt"), format="txt", blocks=blocks)


def test_summary_splits_again_when_the_server_refuses_with_a_smaller_window() -> None:
    engine = _UnstatedWindow(lambda m: "- a point [p:1]", context_window=4096)
    events = list(summarise_document(_paragraphs(40), engine, "short", "en", CancelToken()))
    result = events[-1]
    assert isinstance(result, Result) and result.coverage == 1.0 and result.stats["chunks"] > 2
    assert len(engine.refused) == 1  # refused once, then every part fits the window it stated
    learnt = [e for e in events if isinstance(e, Notice) and "split again" in e.render()]
    assert len(learnt) == 1 and "1024" in learnt[0].render()
    seen = "".join(r[1]["content"] for r in engine.requests)
    assert all(f"[p:{i + 1}]" in seen for i in range(40))


def test_summary_refuses_a_window_too_small_to_work_in() -> None:
    with pytest.raises(ContextTooLong) as err:
        list(summarise_document(_paragraphs(3), ScriptedEngine(lambda m: "x", context_window=512), "short", "en",
                                CancelToken()))
    assert "too small" in err.value.render() and "512" in err.value.render() and "608" in err.value.render()
    events = list(summarise_document(_paragraphs(3), ScriptedEngine(lambda m: "- ok [p:1]", context_window=608),
                                     "short", "en", CancelToken()))
    assert isinstance(events[-1], Result)  # the figure the message gives is enough


class _CutOff(ScriptedEngine):
    """A server that cuts the first ``cuts`` answers off mid-way (the engine marks them incomplete)."""

    def __init__(self, reply: str, cuts: int) -> None:
        super().__init__(lambda m: reply)
        self.cuts = cuts

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        self.requests.append(messages)
        text = self.reply(messages)
        if self.cuts > 0:
            self.cuts -= 1
            self.last_stats = StreamStats(finish_reason="incomplete", error="server.timeout")
            yield text[:2]
            return
        self.last_stats = StreamStats(finish_reason="stop")
        yield text


def test_a_translated_block_cut_off_is_asked_again() -> None:
    engine = _CutOff("辦事處星期一休息。", cuts=1)
    events = list(translate_text(engine, "The office is closed on Monday.", "zh-HK", CancelToken(), "p:1"))
    result = events[-1]
    assert isinstance(result, Result) and result.text == "辦事處星期一休息。" and len(engine.requests) == 2
    assert not [e for e in events if isinstance(e, Notice) and e.message in INCOMPLETE_NOTICES]


def test_a_translated_block_cut_off_twice_is_kept_and_marked() -> None:
    engine = _CutOff("辦事處星期一休息。", cuts=2)
    events = list(translate_text(engine, "The office is closed on Monday.", "zh-HK", CancelToken(), "p:1"))
    result = events[-1]
    assert isinstance(result, Result) and result.text == "辦事" and len(engine.requests) == 2
    cut = [e for e in events if isinstance(e, Notice) and e.message in INCOMPLETE_NOTICES]
    assert len(cut) == 1 and "p:1" in cut[0].render()


class _Wordy(ScriptedEngine):
    """Always writes as much as it may (``max_tokens``), as a small model summarising often does."""

    def __init__(self, context_window: int) -> None:
        super().__init__(lambda m: "", context_window)
        self.asked: list[int] = []

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        self.requests.append(messages)
        self.asked.append(params.max_tokens)
        yield "- point [p:1] " + "x" * (params.max_tokens * 4 - 16)


def test_merging_makes_progress_in_a_small_window() -> None:
    engine = _Wordy(context_window=640)
    events = list(summarise_document(_paragraphs(12), engine, "short", "en", CancelToken()))
    assert isinstance(events[-1], Result) and events[-1].coverage == 1.0 and events[-1].stats["chunks"] > 2
    assert max(engine.asked[:-1]) < engine.asked[-1] == 160  # parts and merges shorter; the final answer in full
    for req in engine.requests:
        assert sum(engine.count_tokens(m["content"]) for m in req) < 640
