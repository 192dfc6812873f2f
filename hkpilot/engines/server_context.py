"""What a departmental server really offers: its kind, its context window, its slots, its tokenizer.

Each server states these differently (see docs/SERVERS.md); none is trusted blindly:
an administrator's declared window is capped by what the server itself reports, and
with no figure at all we assume a small window so that nothing is ever cut.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from hkpilot.engines.base import Message, estimate_tokens

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = 2048
"""Assumed when neither the server nor the administrator says: llama-cpp-python's and older
Ollama's own default, so a prompt we think fits is never truncated by the server."""

KIND_NAMES = {
    "llama.cpp": "llama.cpp server",
    "llama-cpp-python": "llama-cpp-python server",
    "vllm": "vLLM",
    "tgi": "Text Generation Inference",
    "ollama": "Ollama",
    "litellm": "LiteLLM",
    "openai": "OpenAI-compatible server",
}
_PER_MESSAGE = 6  # chat-template tokens around each message (role markers, separators)


@dataclass
class ServerFacts:
    kind: str = "openai"
    context: int = DEFAULT_CONTEXT  # tokens one request may use, prompt and answer together
    context_source: str = "default"  # "server", "declared", "declared+server" or "default"
    reported: int | None = None  # what the server itself said
    max_prompt: int | None = None  # TGI's max_input_tokens: the prompt alone may not exceed it
    slots: int | None = None  # requests the server runs at once, when it says
    interrupts: bool = False  # llama-cpp-python: a second request cuts the running stream short
    notes: list[str] = field(default_factory=list)  # English, for logs and the server check

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


def _json(resp: httpx.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def _posint(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class ServerProbe:
    """Learns the facts of one server with a few cheap requests, once."""

    def __init__(self, client: httpx.Client, root_url: str, model: str, declared: int = 0) -> None:
        self.client = client
        self.root = root_url
        self.model = model
        self.declared = declared

    def _get(self, path: str) -> Any:
        try:
            resp = self.client.get(f"{self.root}{path}")
        except httpx.HTTPError:
            return None
        return _json(resp) if resp.status_code == 200 else None

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        try:
            resp = self.client.post(f"{self.root}{path}", json=body)
        except httpx.HTTPError:
            return None
        return _json(resp) if resp.status_code == 200 else None

    def discover(self, listing: list[dict[str, Any]]) -> ServerFacts:
        facts = ServerFacts()
        entry = next((m for m in listing if str(m.get("id")) == self.model), listing[0] if len(listing) == 1 else {})
        owner = str(entry.get("owned_by", "")).lower()
        probes: list[Callable[[ServerFacts, dict[str, Any]], bool]] = [
            self._vllm, self._llama_cpp, self._tgi, self._ollama, self._litellm, self._llama_cpp_python,
        ]
        if owner == "llamacpp":
            probes.insert(0, self._llama_cpp)
        elif owner == "me":  # llama-cpp-python's listing
            probes.insert(0, self._llama_cpp_python)
        for probe in probes:
            if probe(facts, entry):
                break
        self._settle(facts)
        log.info("server: %s, context %d (%s), slots %s", facts.kind, facts.context, facts.context_source, facts.slots)
        return facts

    def _settle(self, facts: ServerFacts) -> None:
        """The honest window: the declared value, capped by what the server reports."""
        if self.declared and facts.reported:
            facts.context = min(self.declared, facts.reported)
            facts.context_source = "declared+server"
            if self.declared > facts.reported:
                facts.notes.append(f"declared window {self.declared} is larger than the server's {facts.reported}")
        elif self.declared:
            facts.context, facts.context_source = self.declared, "declared"
        elif facts.reported:
            facts.context, facts.context_source = facts.reported, "server"
        else:
            facts.context, facts.context_source = DEFAULT_CONTEXT, "default"
            facts.notes.append("the server does not state its context window")

    # -- one probe per kind; each returns True when it recognised the server ----------

    def _vllm(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        n = _posint(entry.get("max_model_len"))
        if n is None:
            return False
        facts.kind, facts.reported = "vllm", n
        return True

    def _llama_cpp(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        props = self._get("/props")
        if not isinstance(props, dict) or "default_generation_settings" not in props:
            return False
        settings = props.get("default_generation_settings") or {}
        facts.kind = "llama.cpp"
        # n_ctx here is one slot's share: with --parallel N each request gets n_ctx / N.
        facts.reported = _posint(settings.get("n_ctx")) or _posint(props.get("n_ctx"))
        facts.slots = _posint(props.get("total_slots"))
        return True

    def _tgi(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        info = self._get("/info")
        if not isinstance(info, dict) or "max_total_tokens" not in info:
            return False
        facts.kind = "tgi"
        facts.reported = _posint(info.get("max_total_tokens"))
        facts.max_prompt = _posint(info.get("max_input_tokens")) or _posint(info.get("max_input_length"))
        facts.slots = _posint(info.get("max_concurrent_requests"))
        return True

    def _ollama(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        version = self._get("/api/version")
        if not isinstance(version, dict) or "version" not in version:
            return False
        facts.kind = "ollama"
        trained = None
        show = self._post("/api/show", {"model": self.model})
        if isinstance(show, dict):
            match = re.search(r"^\s*num_ctx\s+(\d+)", str(show.get("parameters") or ""), re.MULTILINE)
            info = show.get("model_info") or {}
            trained = next((_posint(v) for k, v in info.items() if k.endswith(".context_length")), None)
            if match:
                facts.reported = int(match.group(1))
                facts.notes.append("Ollama: num_ctx from the model's parameters")
        if facts.reported is None:  # a loaded model shows the window it runs with
            ps = self._get("/api/ps")
            for m in (ps or {}).get("models", []) if isinstance(ps, dict) else []:
                if self.model in (m.get("name"), m.get("model")) and _posint(m.get("context_length")):
                    facts.reported = int(m["context_length"])
                    facts.notes.append("Ollama: context of the loaded model (/api/ps)")
        if facts.reported is None:
            # Ollama silently truncates prompts beyond num_ctx, whose default is small and has
            # changed between versions (2048, 4096, by VRAM): assume the smallest.
            facts.reported = min(DEFAULT_CONTEXT, trained or DEFAULT_CONTEXT)
            facts.notes.append("Ollama does not state num_ctx: assuming its oldest default, 2048")
        return True

    def _litellm(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        data = self._get("/v1/model/info") or self._get("/model/info")
        rows = data.get("data") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return False
        facts.kind = "litellm"
        for row in rows:
            if isinstance(row, dict) and row.get("model_name") == self.model:
                info = row.get("model_info") or {}
                facts.reported = _posint(info.get("max_input_tokens")) or _posint(info.get("max_tokens"))
                break
        return True

    def _llama_cpp_python(self, facts: ServerFacts, entry: dict[str, Any]) -> bool:
        if not isinstance(self._post("/extras/tokenize/count", {"input": "a", "model": self.model}), dict):
            return False
        facts.kind, facts.interrupts = "llama-cpp-python", True
        facts.slots = 1
        facts.notes.append("llama-cpp-python answers one request at a time and a second request cuts the first short")
        return True


class TokenCounter:
    """Counts tokens with the server's own tokenizer where it offers one, else a safe over-estimate."""

    def __init__(self, client: httpx.Client, root_url: str, model: str, kind: str) -> None:
        self.client = client
        self.root = root_url
        self.model = model
        self.kind = kind
        self.exact = kind in ("llama.cpp", "vllm", "tgi", "llama-cpp-python")
        self._cache: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def method(self) -> str:
        return f"{KIND_NAMES.get(self.kind, self.kind)} tokenizer" if self.exact else "estimate"

    def count(self, text: str) -> int:
        if not self.exact:
            return estimate_tokens(text)
        with self._lock:
            cached = self._cache.get(text)
        if cached is not None:
            return cached
        n = self._ask(text)
        if n is None:
            log.info("server tokenizer unavailable; estimating token counts from now on")
            self.exact = False
            return estimate_tokens(text)
        with self._lock:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[text] = n
        return n

    def count_messages(self, messages: list[Message]) -> int:
        """Tokens of a chat prompt: the contents plus the template's markers (a slight over-count)."""
        return sum(self.count(m["content"]) + _PER_MESSAGE for m in messages) + 3

    def content_tokens(self, messages: list[Message]) -> int:
        """The contents alone: a server whose usage reports fewer prompt tokens dropped text."""
        return sum(self.count(m["content"]) for m in messages)

    def _ask(self, text: str) -> int | None:
        route, body = {
            "llama.cpp": ("/tokenize", {"content": text}),
            "vllm": ("/tokenize", {"model": self.model, "prompt": text, "add_special_tokens": False}),
            "tgi": ("/tokenize", {"inputs": text}),
            "llama-cpp-python": ("/extras/tokenize/count", {"input": text, "model": self.model}),
        }[self.kind]
        try:
            resp = self.client.post(f"{self.root}{route}", json=body)
        except httpx.HTTPError:
            return None
        data = _json(resp) if resp.status_code == 200 else None
        if isinstance(data, dict):
            if isinstance(data.get("count"), int):
                return int(data["count"])
            if isinstance(data.get("tokens"), list):
                return len(data["tokens"])
        if isinstance(data, list):  # TGI answers with the list of tokens
            return len(data)
        return None
