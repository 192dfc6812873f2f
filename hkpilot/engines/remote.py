"""RemoteEngine: a departmental OpenAI-compatible inference server.

Works with vLLM, llama.cpp's server (and llama-cpp-python's), TGI, Ollama and LiteLLM:
``/v1/models`` to list, ``/v1/chat/completions`` with ``stream: true`` (server-sent
events). The HTTP read runs on a helper thread that feeds a queue, so a cancel is
honoured at once even while the server is silent (closing a synchronous stream from
another thread does nothing until the read timeout).
"""

from __future__ import annotations

import json
import logging
import queue
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx

from hkpilot.config.secrets import get_api_key
from hkpilot.engines.base import CancelToken, EngineInfo, GenParams, Message, StreamStats, estimate_tokens
from hkpilot.errors import (
    Cancelled,
    ContextTooLong,
    EngineError,
    ServerAuthRefused,
    ServerError,
    ServerModelUnknown,
    ServerTimeout,
    ServerUnreachable,
)

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 4096  # what we assume when a server will not say: small, so nothing is cut
_CONTEXT_HINTS = ("context length", "context_length", "maximum context", "too long", "exceeds", "n_ctx", "context window")


def normalise_base_url(url: str) -> str:
    """``http://host:8000`` and ``http://host:8000/v1/`` both become ``http://host:8000/v1``."""
    url = url.strip().rstrip("/")
    if not url:
        raise EngineError(detail="no server URL is set")
    if not url.startswith(("http://", "https://")):
        url = "http://" + url
    return url if url.endswith("/v1") else url + "/v1"


def _ssl_context() -> ssl.SSLContext | bool:
    """The operating system's trust store (internal CAs included) when truststore is present."""
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:
        return True


class RemoteEngine:
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
    ) -> None:
        self.server_url = base_url.strip()
        self.base_url = normalise_base_url(base_url)
        self.root_url = self.base_url[: -len("/v1")]
        self.model = model
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        key = api_key if api_key is not None else get_api_key(self.server_url)
        hdrs = dict(headers or {})
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        self._client = httpx.Client(
            headers=hdrs,
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout),
            verify=_ssl_context(),
            trust_env=True,  # system proxy variables
        )
        self._declared_context = context_window
        self._context: int | None = None
        self._tokenize_route: str | None = None  # found on first use; "" when none works
        self.last_stats = StreamStats()

    # -- errors -------------------------------------------------------------------------

    def _error_for(self, status: int, body: str) -> EngineError:
        text = body[:300]
        lower = text.lower()
        if status in (401, 403):
            return ServerAuthRefused(url=self.server_url, status=status)
        if status == 404 and "model" in lower:
            return ServerModelUnknown(model=self.model)
        if status in (400, 413, 422) and any(h in lower for h in _CONTEXT_HINTS):
            return ContextTooLong(tokens="?", limit=self._context or "?")
        try:
            detail = json.loads(text).get("error", text)
            if isinstance(detail, dict):
                detail = detail.get("message", text)
        except (ValueError, AttributeError):
            detail = text
        return ServerError(status=status, detail=str(detail)[:200] or "-")

    def _wrap(self, exc: httpx.HTTPError) -> EngineError:
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            return ServerTimeout(url=self.server_url, seconds=int(self.read_timeout))
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError, httpx.UnsupportedProtocol)):
            return ServerUnreachable(url=self.server_url, detail=type(exc).__name__)
        return ServerUnreachable(url=self.server_url, detail=f"{type(exc).__name__}: {exc}"[:200])

    def _get(self, url: str) -> Any:
        try:
            resp = self._client.get(url)
        except httpx.HTTPError as exc:
            raise self._wrap(exc) from exc
        if resp.status_code >= 400:
            raise self._error_for(resp.status_code, resp.text)
        try:
            return resp.json()
        except ValueError as exc:
            raise ServerError(status=resp.status_code, detail="not JSON") from exc

    # -- what the server offers ---------------------------------------------------------

    def list_models(self) -> list[dict[str, Any]]:
        data = self._get(f"{self.base_url}/models")
        models = data.get("data") if isinstance(data, dict) else None
        return [m for m in (models or []) if isinstance(m, dict) and "id" in m]

    def resolve_model(self) -> str:
        """Check the configured model exists; with none configured, take the only one offered."""
        models = self.list_models()
        ids = [str(m["id"]) for m in models]
        if not self.model:
            if len(ids) == 1:
                self.model = ids[0]
            else:
                raise ServerModelUnknown(model="")
        elif ids and self.model not in ids:
            raise ServerModelUnknown(model=self.model)
        for m in models:  # vLLM states the real window in the listing
            if str(m["id"]) == self.model and isinstance(m.get("max_model_len"), int):
                self._context = self._context or int(m["max_model_len"])
        return self.model

    def context_window(self) -> int:
        if self._declared_context:
            return self._declared_context
        if self._context is None:
            try:
                props = self._client.get(f"{self.root_url}/props")
                if props.status_code == 200:
                    n_ctx = props.json().get("default_generation_settings", {}).get("n_ctx")
                    if isinstance(n_ctx, int) and n_ctx > 0:
                        self._context = n_ctx
            except (httpx.HTTPError, ValueError, AttributeError):
                pass
            if self._context is None:
                try:
                    self.resolve_model()
                except EngineError:
                    pass
        return self._context or DEFAULT_CONTEXT

    def info(self) -> EngineInfo:
        window = self.context_window()  # may resolve the model name on the way
        return EngineInfo(
            kind="server",
            name=self.model or "?",
            context_window=window,
            detail={"server": self.server_url},
        )

    def count_tokens(self, text: str) -> int:
        routes = (
            [self._tokenize_route]
            if self._tokenize_route
            else [
                f"{self.root_url}/extras/tokenize/count",  # llama-cpp-python
                f"{self.root_url}/tokenize",  # llama.cpp server
            ]
        )
        if self._tokenize_route != "":
            for route in routes:
                if not route:
                    continue
                body = {"input": text, "model": self.model} if "extras" in route else {"content": text}
                try:
                    resp = self._client.post(route, json=body)
                    if resp.status_code == 200:
                        data = resp.json()
                        count = data.get("count", len(data.get("tokens", [])) if "tokens" in data else None)
                        if isinstance(count, int):
                            self._tokenize_route = route
                            return count
                except (httpx.HTTPError, ValueError, AttributeError):
                    pass
            self._tokenize_route = ""
        return estimate_tokens(text)

    # -- streaming ----------------------------------------------------------------------

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        cancel.check()
        if not self.model:
            self.resolve_model()
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if params.stop:
            body["stop"] = list(params.stop)
        if params.seed is not None:
            body["seed"] = params.seed
        stats = StreamStats()
        self.last_stats = stats
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop_reading = threading.Event()
        holder: dict[str, httpx.Response] = {}

        def reader() -> None:
            try:
                with self._client.stream("POST", f"{self.base_url}/chat/completions", json=body) as resp:
                    holder["resp"] = resp
                    if resp.status_code >= 400:
                        resp.read()
                        events.put(("error", self._error_for(resp.status_code, resp.text)))
                        return
                    for line in resp.iter_lines():
                        if stop_reading.is_set():
                            return
                        events.put(("line", line))
                events.put(("end", None))
            except httpx.HTTPError as exc:
                events.put(("error", self._wrap(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the consumer, typed
                events.put(("error", ServerError(status=0, detail=type(exc).__name__)))

        t0 = time.perf_counter()
        thread = threading.Thread(target=reader, name="hkpilot-sse", daemon=True)
        thread.start()
        done = False
        try:
            while True:
                try:
                    kind, payload = events.get(timeout=0.05)
                except queue.Empty:
                    if cancel.cancelled:
                        stats.finish_reason = "cancelled"
                        raise Cancelled() from None
                    continue
                if cancel.cancelled:
                    stats.finish_reason = "cancelled"
                    raise Cancelled()
                if kind == "error":
                    if stats.completion_tokens:
                        stats.finish_reason = "incomplete"
                    raise payload
                if kind == "end":
                    break
                line = payload.strip()
                if not line.startswith("data:"):
                    continue  # comments, event names, keep-alives
                data = line[5:].strip()
                if data == "[DONE]":
                    done = True
                    break
                try:
                    chunk = json.loads(data)
                except ValueError as exc:
                    raise ServerError(status=200, detail="malformed event in the stream") from exc
                if isinstance(chunk, dict) and "error" in chunk:  # an error sent inside the stream
                    err = chunk["error"]
                    msg = err.get("message", "") if isinstance(err, dict) else str(err)
                    raise self._error_for(500, json.dumps({"error": msg}))
                usage = chunk.get("usage") if isinstance(chunk, dict) else None
                if isinstance(usage, dict):
                    stats.prompt_tokens = int(usage.get("prompt_tokens") or 0)
                for choice in chunk.get("choices") or []:
                    piece = (choice.get("delta") or {}).get("content") or ""
                    if piece:
                        if stats.completion_tokens == 0:
                            stats.first_token_s = time.perf_counter() - t0
                        stats.completion_tokens += 1
                        yield piece
                    if choice.get("finish_reason"):
                        stats.finish_reason = str(choice["finish_reason"])
        finally:
            stop_reading.set()
            resp = holder.get("resp")
            if resp is not None:
                try:
                    resp.close()
                except Exception:  # noqa: BLE001 - closing from this thread is best effort
                    pass
            stats.total_s = time.perf_counter() - t0
        if not stats.finish_reason:
            stats.finish_reason = "stop" if done else "incomplete"

    def close(self) -> None:
        self._client.close()
