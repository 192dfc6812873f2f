"""RemoteEngine: a departmental OpenAI-compatible inference server.

Works with vLLM, llama.cpp's server (and llama-cpp-python's), TGI, Ollama and LiteLLM
(their differences: docs/SERVERS.md). ``/v1/models`` to list and check the model,
``/v1/chat/completions`` streamed (server-sent events) or not. Before a request is sent
its prompt is counted against the server's real window and refused when it would not
fit, so the server never truncates it silently; after it, the server's ``usage`` is
compared with what was sent. An answer cut off mid-way keeps its text and is marked
``incomplete`` in ``last_stats``, which is per thread so parallel requests do not mix.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from hkpilot.config.secrets import get_api_key
from hkpilot.engines.base import CancelToken, EngineInfo, GenParams, Message, PerThreadStats, StreamStats
from hkpilot.engines.exchange import Exchange, Limits, raise_in_stream
from hkpilot.engines.http_client import ServerConfig, build_client, http_error, transport_error
from hkpilot.engines.server_context import DEFAULT_CONTEXT, ServerFacts, ServerProbe, TokenCounter
from hkpilot.errors import Cancelled, ContextTooLong, EngineError, ServerBadStream, ServerError, ServerModelUnknown
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_CONTEXT", "RemoteEngine", "normalise_base_url"]

_MIN_ANSWER = 32  # a prompt leaving less room than this for the answer is refused, not squeezed
_NO_MODEL_CHOSEN = N_("No model is set and the inference server offers {count}: {models}. Choose one in Settings "
                      "(or with --server-model).")
_NO_MODEL_LISTED = N_("No model is set and the inference server lists none. Set the model's name in Settings "
                      "(or with --server-model).")


def normalise_base_url(url: str) -> str:
    """``http://host:8000`` and ``http://host:8000/v1/`` both become ``http://host:8000/v1``."""
    url = url.strip().rstrip("/")
    if not url:
        raise EngineError(detail="no server URL is set")
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    return url if url.endswith("/v1") else url + "/v1"


class RemoteEngine(PerThreadStats):
    """A model served over HTTP by an OpenAI-compatible server."""

    def __init__(
        self,
        base_url: str,
        model: str = "",
        api_key: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 120.0,
        context_window: int = 0,
        headers: dict[str, str] | None = None,
        *,
        deadline: float = 900.0,
        ca_bundle: str = "",
        proxy: str = "",
        max_retries: int = 3,
        backoff_base: float = 0.5,
        retry_after_cap: float = 30.0,
        parallel_requests: int = 1,
    ) -> None:
        self.config = ServerConfig(
            url=base_url.strip(), model=model, api_key=api_key, connect_timeout=connect_timeout,
            read_timeout=read_timeout, deadline=deadline, ca_bundle=ca_bundle, proxy=proxy,
            headers=dict(headers or {}), max_retries=max_retries, backoff_base=backoff_base,
            retry_after_cap=retry_after_cap, context_window=context_window, parallel_requests=parallel_requests,
        )
        self.server_url = self.config.url
        self.base_url = normalise_base_url(base_url)
        self.root_url = self.base_url[: -len("/v1")]
        self.model = model
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        key = api_key if api_key is not None else get_api_key(self.server_url)
        self._client = build_client(self.config, key)
        self._limits = Limits(read_timeout, deadline, max_retries, backoff_base, retry_after_cap)
        self._facts: ServerFacts | None = None
        self._counter: TokenCounter | None = None
        self._ready_lock = threading.Lock()
        self._usage_option = True  # ask for usage in streams until a server rejects the option
        self._local = threading.local()

    @classmethod
    def from_config(cls, cfg: ServerConfig) -> RemoteEngine:
        return cls(
            cfg.url, model=cfg.model, api_key=cfg.api_key, connect_timeout=cfg.connect_timeout,
            read_timeout=cfg.read_timeout, context_window=cfg.context_window, headers=cfg.headers,
            deadline=cfg.deadline, ca_bundle=cfg.ca_bundle, proxy=cfg.proxy, max_retries=cfg.max_retries,
            backoff_base=cfg.backoff_base, retry_after_cap=cfg.retry_after_cap, parallel_requests=cfg.parallel_requests,
        )

    # -- what the server offers ---------------------------------------------------------

    def _get_json(self, url: str) -> Any:
        import httpx

        try:
            resp = self._client.get(url)
        except httpx.HTTPError as exc:
            raise transport_error(exc, self.server_url, self.read_timeout) from exc
        if resp.status_code >= 400:
            raise http_error(resp.status_code, resp.text, self.server_url, self.model)
        try:
            return resp.json()
        except ValueError as exc:
            raise ServerError(status=resp.status_code, detail="not JSON") from exc

    def list_models(self) -> list[dict[str, Any]]:
        data = self._get_json(f"{self.base_url}/models")
        models = data.get("data") if isinstance(data, dict) else None
        return [m for m in (models or []) if isinstance(m, dict) and "id" in m]

    def _listing(self) -> list[dict[str, Any]]:
        try:
            return self.list_models()
        except ServerError as exc:  # a server without /v1/models (old TGI): trust the configured name
            if exc.params.get("status") in (404, 405) and self.model:
                return []
            raise  # with no name to trust, "not found: check the server URL" says more than a model error

    def resolve_model(self, listing: list[dict[str, Any]] | None = None) -> str:
        """Check the configured model exists; with none configured, take the only one offered."""
        models = self._listing() if listing is None else listing
        ids = [str(m["id"]) for m in models]
        if not self.model:
            if len(ids) != 1:
                raise ServerModelUnknown(_NO_MODEL_CHOSEN if ids else _NO_MODEL_LISTED, model="", count=len(ids),
                                         models=", ".join(ids[:8]))
            self.model = ids[0]
        elif ids and self.model not in ids and f"{self.model}:latest" not in ids:  # Ollama's implicit tag
            raise ServerModelUnknown(model=self.model)
        return self.model

    def facts(self) -> ServerFacts:
        """The server's kind, window and slots, learnt once (the model is checked on the way)."""
        with self._ready_lock:
            if self._facts is None:
                listing = self._listing()
                self.resolve_model(listing)
                probe = ServerProbe(self._client, self.root_url, self.model, self.config.context_window)
                facts = probe.discover(listing)
                self._counter = TokenCounter(self._client, self.root_url, self.model, facts.kind)
                self._facts = facts
            return self._facts

    @property
    def counter(self) -> TokenCounter:
        self.facts()
        assert self._counter is not None
        return self._counter

    def context_window(self) -> int:
        return self.facts().context

    @property
    def parallel_requests(self) -> int:
        """How many requests to send at once: the setting, capped by policy and by the server."""
        facts = self.facts()
        n = self.config.parallel_requests
        if facts.interrupts:
            return 1  # llama-cpp-python cuts a running stream short when another request arrives
        return max(1, min(n, facts.slots or n))

    def info(self) -> EngineInfo:
        facts = self.facts()
        return EngineInfo(
            kind="server",
            name=self.model or "?",
            context_window=facts.context,
            detail={
                "server": self.server_url,
                "server_kind": facts.kind_name,
                "context_source": facts.context_source,
                "token_count": self.counter.method,
                "parallel": str(self.parallel_requests),
            },
        )

    def count_tokens(self, text: str) -> int:
        return self.counter.count(text)

    # -- requests -----------------------------------------------------------------------

    def _prepare(self, messages: list[Message], params: GenParams, streaming: bool) -> tuple[dict[str, Any], int]:
        """The request body, after checking the prompt fits; also the prompt's content tokens."""
        facts = self.facts()
        prompt = self.counter.count_messages(messages)
        self._local.prompt = prompt
        room = facts.context - prompt
        if (facts.max_prompt and prompt > facts.max_prompt) or room < min(params.max_tokens, _MIN_ANSWER):
            raise ContextTooLong(tokens=prompt, limit=facts.max_prompt or facts.context)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": streaming,
            "max_tokens": min(params.max_tokens, room),  # vLLM refuses prompt + max_tokens > its window
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if params.stop:
            body["stop"] = list(params.stop)
        if params.seed is not None:
            body["seed"] = params.seed
        if streaming and self._usage_option:
            body["stream_options"] = {"include_usage": True}
        return body, self.counter.content_tokens(messages) if self.counter.exact else 0

    def _exchange(self, body: dict[str, Any], streaming: bool) -> Exchange:
        def rejected() -> None:
            self._usage_option = False

        return Exchange(
            self._client, f"{self.base_url}/chat/completions", body, streaming=streaming, limits=self._limits,
            server_url=self.server_url, model=self.model, context_limit=self.context_window(),
            on_option_rejected=rejected,
        )

    def _learn_window(self, exc: ContextTooLong) -> ContextTooLong:
        """A server that refused a prompt we counted as fitting has a smaller window than we knew
        (llama-cpp-python does not state its ``n_ctx``): keep the limit it stated, so the task
        can split its text again to fit, and say how long the prompt was."""
        limit = exc.params.get("limit")
        tokens = getattr(self._local, "prompt", None) or exc.params.get("tokens", "?")
        facts = self.facts()
        if isinstance(limit, int) and 0 < limit < facts.context:
            with self._ready_lock:
                if limit < facts.context:
                    log.warning("the server's window is %d tokens, not %d (%s): using %d from now on",
                                limit, facts.context, facts.context_source, limit)
                    facts.context, facts.reported, facts.context_source = limit, limit, "server"
                    facts.notes.append(f"window learnt from the server's refusal of a {tokens}-token prompt")
        return ContextTooLong(tokens=tokens, limit=limit if isinstance(limit, int) else facts.context)

    def _check_usage(self, stats: StreamStats, usage: Any, sent: int, n_messages: int) -> None:
        """Read ``usage``; a server reporting fewer prompt tokens than were sent dropped text."""
        if not isinstance(usage, dict):
            return
        stats.prompt_tokens = int(usage.get("prompt_tokens") or 0)
        completion = usage.get("completion_tokens")
        if isinstance(completion, int) and completion > 0:
            stats.completion_tokens = completion
        if sent and stats.prompt_tokens and stats.prompt_tokens + 2 + n_messages < sent:
            stats.prompt_dropped = sent - stats.prompt_tokens
            log.warning("the server dropped about %d prompt tokens (sent %d, it read %d)",
                        stats.prompt_dropped, sent, stats.prompt_tokens)

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        """Yield the reply's pieces. Before the first piece, failures raise typed errors; after
        it, a broken stream ends the reply early with ``finish_reason == "incomplete"``."""
        cancel.check()
        stats = StreamStats()
        self.last_stats = stats
        body, sent = self._prepare(messages, params, streaming=True)
        exchange = self._exchange(body, streaming=True)
        t0 = time.perf_counter()
        usage: Any = None
        try:
            for kind, line in exchange.events(cancel):
                if kind == "json":  # a server that answered a stream request in one piece
                    whole = self._whole_answer(line, stats, sent, len(messages))
                    stats.first_token_s = time.perf_counter() - t0
                    if whole:
                        yield whole
                    break
                if not line.startswith("data:"):
                    continue  # comments, event names, keep-alives
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                chunk = _parse_chunk(data)
                if chunk.get("error"):
                    raise raise_in_stream(chunk, self.server_url, self.model)
                usage = chunk.get("usage") or usage
                for choice in _choices(chunk):
                    delta = choice.get("delta")
                    piece = str(delta.get("content") or "") if isinstance(delta, dict) else ""
                    if piece:
                        if stats.completion_tokens == 0:
                            stats.first_token_s = time.perf_counter() - t0
                        stats.completion_tokens += 1
                        yield piece
                    if choice.get("finish_reason"):
                        stats.finish_reason = str(choice["finish_reason"])
        except Cancelled:
            stats.finish_reason = "cancelled"
            raise
        except ContextTooLong as exc:
            raise self._learn_window(exc) from exc
        except EngineError as exc:
            if stats.completion_tokens == 0:
                raise
            stats.finish_reason, stats.error = "incomplete", exc.code  # keep what came; the task says so
            log.warning("answer cut off after %d pieces: %s", stats.completion_tokens, exc.code)
        except GeneratorExit:
            stats.finish_reason = stats.finish_reason or "stopped"  # the caller stopped reading
            raise
        finally:
            exchange.abort()
            stats.total_s = time.perf_counter() - t0
        if not stats.finish_reason and stats.completion_tokens == 0:
            # Nothing at all: llama-cpp-python answers a stream it cannot serve (a prompt beyond
            # its window) with an empty 200 stream and keeps the reason in its own log. Asked
            # without streaming, it says why (and a server that just dropped the stream answers).
            log.info("the stream ended before the answer began; asking again without streaming")
            try:
                text = self.chat(messages, params, cancel)
            except ServerBadStream as exc:
                raise ServerBadStream(detail="the stream ended before the answer began") from exc
            if text:
                yield text
            return
        if not stats.finish_reason:
            # No finish_reason: the stream ended early, with or without [DONE] (llama-cpp-python
            # sends [DONE] when another request interrupts it).
            stats.finish_reason, stats.error = "incomplete", stats.error or "server.stream_ended"
            log.warning("stream ended without a finish reason after %d pieces", stats.completion_tokens)
        self._check_usage(stats, usage, sent, len(messages))

    def chat(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> str:
        """The whole reply from one non-streamed request (``usage`` is read when given)."""
        cancel.check()
        stats = StreamStats()
        self.last_stats = stats
        body, sent = self._prepare(messages, params, streaming=False)
        exchange = self._exchange(body, streaming=False)
        t0 = time.perf_counter()
        text = ""
        try:
            for _kind, payload in exchange.events(cancel):
                text = self._whole_answer(payload, stats, sent, len(messages))
        except Cancelled:
            stats.finish_reason = "cancelled"
            raise
        except ContextTooLong as exc:
            raise self._learn_window(exc) from exc
        finally:
            exchange.abort()
            stats.total_s = stats.first_token_s = time.perf_counter() - t0
        return text

    def _whole_answer(self, payload: str, stats: StreamStats, sent: int, n_messages: int) -> str:
        """The text of a non-streamed answer (also what a server that ignores ``stream`` sends)."""
        try:
            data = json.loads(payload)
        except ValueError as exc:
            raise ServerBadStream(detail="the answer is not JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list) or not data["choices"]:
            if isinstance(data, dict) and "error" in data:
                raise raise_in_stream(data, self.server_url, self.model)
            raise ServerBadStream(detail="the answer has no choices")
        choice = data["choices"][0] if isinstance(data["choices"][0], dict) else {}
        text = str((choice.get("message") or {}).get("content") or "")
        stats.finish_reason = str(choice.get("finish_reason") or "incomplete")
        stats.completion_tokens = 1 if text else 0
        self._check_usage(stats, data.get("usage"), sent, n_messages)
        return text

    def close(self) -> None:
        self._client.close()


def _choices(chunk: dict[str, Any]) -> list[dict[str, Any]]:
    choices = chunk.get("choices")
    return [c for c in choices if isinstance(c, dict)] if isinstance(choices, list) else []


def _parse_chunk(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise ServerBadStream(detail="a line of the stream is not valid JSON") from exc
    if not isinstance(chunk, dict):
        raise ServerBadStream(detail="a line of the stream is not an object")
    return chunk
