"""LocalEngine: a GGUF model in this process through llama-cpp-python.

The stream is our own loop over ``Llama.generate`` rather than
``create_chat_completion(stream=True)``: each token is turned into bytes once and fed
to an incremental UTF-8 decoder, so the cost per token does not grow with the reply
and a token that ends mid-character does not stall the stream. Cancel is checked after
every token; while the prompt is being read, llama.cpp's abort callback stops the
evaluation between graph nodes.
"""

from __future__ import annotations

import codecs
import ctypes
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hkpilot.engines.base import CancelToken, EngineInfo, GenParams, Message, StreamStats
from hkpilot.engines.catalogue import check_before_load
from hkpilot.engines.gguf import GGUFInfo
from hkpilot.errors import Cancelled, ContextTooLong, EngineError, ModelLoadError

log = logging.getLogger(__name__)


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


class LocalEngine:
    """A llama.cpp model loaded from a GGUF file."""

    def __init__(
        self,
        model_path: Path,
        n_ctx: int = 8192,
        n_gpu_layers: int = -1,
        n_threads: int = 0,
        n_batch: int = 512,
        flash_attn: bool | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.gguf: GGUFInfo = check_before_load(self.model_path)
        import llama_cpp  # imported late: it is slow to import and absent from the CLI's --version

        self._llama_cpp = llama_cpp
        self.gpu = bool(llama_cpp.llama_supports_gpu_offload())
        layers = self.gguf.block_count or 0
        if n_gpu_layers < 0:
            n_gpu_layers = -1 if self.gpu else 0
        self.n_gpu_layers = n_gpu_layers if self.gpu else 0
        if flash_attn is None:
            flash_attn = self.gpu and self.n_gpu_layers != 0  # measured faster on GPU; off on CPU
        trained = self.gguf.context_length or n_ctx
        self.n_ctx = min(n_ctx, trained) if trained else n_ctx
        self.n_threads = n_threads or default_threads()
        self._cancel: CancelToken | None = None
        self._lock = threading.Lock()  # one generation at a time on one context
        t0 = time.perf_counter()
        try:
            self.llm = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=self.n_ctx,
                n_gpu_layers=self.n_gpu_layers,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_batch=min(n_batch, self.n_ctx),
                flash_attn=flash_attn,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(name=self.model_path.name, detail=str(exc) or type(exc).__name__) from exc
        self.load_s = time.perf_counter() - t0
        self.layers_on_gpu = (layers if self.n_gpu_layers < 0 else min(self.n_gpu_layers, layers)) if self.gpu else 0
        self._abort_cb = llama_cpp.ggml_abort_callback(self._should_abort)  # keep a reference: ctypes
        llama_cpp.llama_set_abort_callback(self.llm._ctx.ctx, self._abort_cb, None)
        self._formatter = self._make_formatter()
        self._pieces: dict[int, bytes] = {}
        # llama.cpp reports an aborted decode (our cancel) as an error on stderr: keep it quiet.
        logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
        self.last_stats = StreamStats()
        log.info(
            "local model loaded: %s ctx=%d gpu_layers=%d threads=%d in %.2fs",
            self.model_path.name,
            self.n_ctx,
            self.layers_on_gpu,
            self.n_threads,
            self.load_s,
        )

    # -- set-up -------------------------------------------------------------------------

    def _should_abort(self, _data: Any) -> bool:
        cancel = self._cancel
        return bool(cancel is not None and cancel.cancelled)

    def _make_formatter(self) -> Any:
        if not self.gguf.has_chat_template:
            return None
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        model = self.llm._model
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        return Jinja2ChatFormatter(
            template=self.gguf.chat_template,
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "",
        )

    def info(self) -> EngineInfo:
        return EngineInfo(
            kind="local",
            name=self.model_path.name,
            context_window=self.n_ctx,
            chat_template=self.gguf.has_chat_template,
            detail={
                "architecture": self.gguf.architecture,
                "quantization": self.gguf.quantization,
                "backend": "GPU" if self.layers_on_gpu else "CPU",
                "gpu_layers": f"{self.layers_on_gpu}/{self.gguf.block_count}",
                "threads": str(self.n_threads),
            },
        )

    # -- tokens -------------------------------------------------------------------------

    def tokenize(self, text: str, special: bool = False) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=special))

    def count_tokens(self, text: str) -> int:
        return len(self.tokenize(text))

    def prompt_tokens(self, messages: list[Message]) -> list[int]:
        """The messages rendered with the model's own chat template, as tokens."""
        if self._formatter is None:
            # Completion-only model: plain text, no invented chat format.
            text = "\n\n".join(m["content"] for m in messages) + "\n\n"
            return list(self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))
        try:
            rendered = self._formatter(messages=messages)
        except Exception as exc:
            raise EngineError(detail=f"chat template failed: {type(exc).__name__}") from exc
        return list(self.llm.tokenize(rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True))

    def _piece(self, token: int) -> bytes:
        """The bytes of one token, cached: a reply never re-detokenises what came before."""
        cached = self._pieces.get(token)
        if cached is not None:
            return cached
        llama_cpp = self._llama_cpp
        buf = ctypes.create_string_buffer(64)
        n = llama_cpp.llama_token_to_piece(self.llm._model.vocab, token, buf, len(buf), 0, False)
        if n < 0:  # buffer too small: llama.cpp says how much it needs
            buf = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self.llm._model.vocab, token, buf, len(buf), 0, False)
        data = buf.raw[: max(n, 0)]
        self._pieces[token] = data
        return data

    # -- generation ---------------------------------------------------------------------

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        with self._lock:
            yield from self._stream(messages, params, cancel)

    def _stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        cancel.check()
        stats = StreamStats()
        self.last_stats = stats
        tokens = self.prompt_tokens(messages)
        stats.prompt_tokens = len(tokens)
        room = self.n_ctx - len(tokens)
        if room < 16:
            raise ContextTooLong(tokens=len(tokens), limit=self.n_ctx)
        max_new = min(params.max_tokens, room)
        if params.seed is not None:
            self.llm.set_seed(params.seed)
        vocab = self.llm._model.vocab
        is_eog = self._llama_cpp.llama_vocab_is_eog
        piece = self._piece
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = tuple(s for s in params.stop if s)
        hold = max((len(s) for s in stops), default=1) - 1  # chars kept back while a stop may be forming
        pending = ""
        t0 = time.perf_counter()
        self._cancel = cancel
        finish = "length"
        gen = self.llm.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=0.05,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
        )
        try:
            for token in gen:
                if cancel.cancelled:
                    finish = "cancelled"
                    break
                if is_eog(vocab, token):
                    finish = "stop"
                    break
                if stats.completion_tokens == 0:
                    stats.first_token_s = time.perf_counter() - t0
                stats.completion_tokens += 1
                pending += decoder.decode(piece(token))
                if stops:
                    cut = min((i for i in (pending.find(s) for s in stops) if i >= 0), default=-1)
                    if cut >= 0:
                        pending = pending[:cut]
                        finish = "stop"
                        break
                    if len(pending) > hold:
                        out, pending = pending[: len(pending) - hold], pending[len(pending) - hold :]
                        yield out
                elif pending:
                    yield pending
                    pending = ""
                if stats.completion_tokens >= max_new:
                    break
        except RuntimeError as exc:
            if cancel.cancelled:
                finish = "cancelled"
            else:
                raise EngineError(detail=str(exc)) from exc
        finally:
            gen.close()
            self._cancel = None
            stats.total_s = time.perf_counter() - t0
            stats.finish_reason = finish
        if finish == "cancelled":
            self._after_abort()
            raise Cancelled()
        tail = pending + decoder.decode(b"", final=True)
        if tail:
            yield tail

    def _after_abort(self) -> None:
        """An aborted decode may leave the KV cache half-written: forget it."""
        try:
            self.llm.reset()
            self.llm._ctx.kv_cache_clear()
        except Exception:
            log.debug("kv cache reset after cancel failed", exc_info=True)

    def close(self) -> None:
        llm = getattr(self, "llm", None)
        if llm is not None:
            llm.close()
            self.llm = None  # type: ignore[assignment]
