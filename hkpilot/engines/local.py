"""LocalEngine: a GGUF model in this process through llama-cpp-python.

The stream is our own decode loop (``local_batch.BatchDecoder``) rather than
``create_chat_completion(stream=True)``: each token is turned into bytes once and fed
to an incremental UTF-8 decoder, so the cost per token does not grow with the reply
and a token that ends mid-character does not stall the stream. Cancel is checked after
every token; while a prompt is being read, llama.cpp's abort callback stops the
evaluation between graph nodes. Up to ``parallel`` requests made at once (from
``tasks/parallel.py``) are decoded together in one batch.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hkpilot.engines import chat_template
from hkpilot.engines.base import CancelToken, EngineInfo, GenParams, Message, PerThreadStats
from hkpilot.engines.catalogue import check_before_load
from hkpilot.engines.gguf import GGUFInfo
from hkpilot.engines.local_batch import BatchDecoder
from hkpilot.engines.local_requests import piece_reader
from hkpilot.errors import ContextTooLong, EngineError, ModelLoadError

log = logging.getLogger(__name__)

MAX_PARALLEL = 32
_THROWAWAY_CTX = 256  # the context Llama() builds first, before ours replaces it


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


class LocalEngine(PerThreadStats):
    """A llama.cpp model loaded from a GGUF file."""

    def __init__(
        self,
        model_path: Path,
        n_ctx: int = 8192,
        n_gpu_layers: int = -1,
        n_threads: int = 0,
        n_batch: int = 512,
        flash_attn: bool | None = None,
        parallel: int = 1,
        allowed_sha256: frozenset[str] = frozenset(),
    ) -> None:
        self.model_path = Path(model_path)
        # allowed_sha256: the policy's pin (allowed_model_sha256); an unlisted file is never loaded
        self.gguf: GGUFInfo = check_before_load(self.model_path, allowed_sha256)
        import llama_cpp  # imported late: it is slow to import and absent from the CLI's --version

        self._llama_cpp = llama_cpp
        self.gpu = bool(llama_cpp.llama_supports_gpu_offload())
        layers = self.gguf.block_count or 0
        if n_gpu_layers < 0:
            n_gpu_layers = -1 if self.gpu else 0
        self.n_gpu_layers = n_gpu_layers if self.gpu else 0
        self.parallel = max(1, min(int(parallel), MAX_PARALLEL))
        if flash_attn is None:
            # Faster on a GPU (+8-17% decode, ../shared/GPU.md). On a CPU the same for one
            # stream, faster for several: it skips the cells of the other sequences.
            flash_attn = (self.gpu and self.n_gpu_layers != 0) or self.parallel > 1
        trained = self.gguf.context_length or n_ctx
        self.n_ctx = min(n_ctx, trained) if trained else n_ctx
        self.n_threads = n_threads or default_threads()
        self.n_batch = min(n_batch, self.n_ctx)
        self.flash_attn = bool(flash_attn)
        self._local = threading.local()
        if self.gguf.has_chat_template:  # an escaping template is refused before the weights load
            chat_template.check_template(self.gguf.chat_template, name=self.model_path.name)
        t0 = time.perf_counter()
        try:
            self.llm = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=min(self.n_ctx, _THROWAWAY_CTX),  # replaced below by the multi-sequence context
                n_gpu_layers=self.n_gpu_layers,
                n_threads=self.n_threads,
                n_threads_batch=self.n_threads,
                n_batch=self.n_batch,
                flash_attn=flash_attn,
                verbose=False,
            )
            self._ctx = self._multi_sequence_context()
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(name=self.model_path.name, detail=str(exc) or type(exc).__name__) from exc
        self.load_s = time.perf_counter() - t0
        self.layers_on_gpu = (layers if self.n_gpu_layers < 0 else min(self.n_gpu_layers, layers)) if self.gpu else 0
        self._formatter = self._make_formatter()
        vocab = self.llm._model.vocab
        self._piece = piece_reader(llama_cpp, vocab)
        self._decoder: BatchDecoder | None = BatchDecoder(
            llama_cpp, self._ctx.ctx, vocab, self.n_ctx, self.n_batch, self.parallel, self._piece
        )
        # llama.cpp reports an aborted decode (our cancel) as an error on stderr: keep it quiet.
        logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
        log.info(
            "local model loaded: %s ctx=%d gpu_layers=%d threads=%d parallel=%d in %.2fs",
            self.model_path.name,
            self.n_ctx,
            self.layers_on_gpu,
            self.n_threads,
            self.parallel,
            self.load_s,
        )

    # -- set-up -------------------------------------------------------------------------

    def _multi_sequence_context(self) -> Any:
        """A context of ``n_ctx`` cells shared by ``parallel`` sequences plus the prefix cache.

        ``Llama`` cannot be asked for ``n_seq_max``; it is built with a small context, which
        is swapped for this one (same settings otherwise) and freed, so the memory of a full
        second context is never held.
        """
        from llama_cpp import _internals

        llama_cpp = self._llama_cpp
        params = llama_cpp.llama_context_params.from_buffer_copy(self.llm.context_params)
        params.n_ctx = self.n_ctx
        params.n_batch = params.n_ubatch = self.n_batch
        params.n_seq_max = self.parallel + 1
        params.kv_unified = True  # one pool of cells: a sequence takes what it needs
        ctx = _internals.LlamaContext(model=self.llm._model, params=params, verbose=False)
        old, self.llm._ctx = self.llm._ctx, ctx
        old.close()
        self.llm._stack.callback(ctx.close)
        return ctx

    @property
    def parallel_requests(self) -> int:
        """How many requests a task may make at once: they are decoded together."""
        return self.parallel

    def _make_formatter(self) -> Any:
        if not self.gguf.has_chat_template:
            return None
        model = self.llm._model
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        return chat_template.make_formatter(
            self.gguf.chat_template,
            model.token_get_text(eos) if eos != -1 else "",
            model.token_get_text(bos) if bos != -1 else "",
            name=self.model_path.name,
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
                "parallel": str(self.parallel),
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
        rendered = chat_template.render(self._formatter, messages)  # sandboxed: the template is untrusted
        return list(self.llm.tokenize(rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True))

    # -- generation ---------------------------------------------------------------------

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        """Yield the reply's text; requests made at once from several threads are decoded together."""
        cancel.check()
        tokens = self.prompt_tokens(messages)
        room = self.n_ctx - len(tokens)
        if room < 16:
            raise ContextTooLong(tokens=len(tokens), limit=self.n_ctx)
        decoder = self._decoder
        if decoder is None:
            raise EngineError(detail="the model was closed")
        req = decoder.submit(tokens, params, cancel, max_new=min(params.max_tokens, room))
        self.last_stats = req.stats
        yield from decoder.run(req)

    def forget_cache(self) -> None:
        """Drop the cached prompt prefix: the next request reads its whole prompt (benchmarks)."""
        if self._decoder is not None:
            self._decoder.forget_cache()

    def close(self) -> None:
        decoder = getattr(self, "_decoder", None)
        if decoder is not None:
            self._decoder = None
            decoder.close()
        llm = getattr(self, "llm", None)
        if llm is not None:
            llm.close()
            self.llm = None  # type: ignore[assignment]
