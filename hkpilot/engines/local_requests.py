"""The parts of a local generation: the request and its output queue, the sampler, token bytes.

Used by ``local_batch.BatchDecoder``, which decodes many requests together.
"""

from __future__ import annotations

import codecs
import ctypes
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hkpilot.engines.base import CancelToken, GenParams, StreamStats

END = object()  # queued after a request's last piece
PENALTY_LAST_N = 64  # as llama-cpp-python's Llama.generate
GREEDY_POOL = 256  # greedy decoding: the penalty applies within the best 256, so the winner is the same


def common_prefix(a: list[int], b: list[int]) -> int:
    """Length of the common prefix of two token lists."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass
class Request:
    """One generation: its prompt, its sequence in the cache, its output queue."""

    tokens: list[int]
    params: GenParams
    cancel: CancelToken
    max_new: int
    stats: StreamStats = field(default_factory=StreamStats)
    out: deque[Any] = field(default_factory=deque)
    seq: int = -1
    kv: list[int] = field(default_factory=list)  # tokens whose cells are in ``seq``, from position 0
    todo: list[int] = field(default_factory=list)  # prompt tokens not read yet
    next_token: int = -1  # sampled, not yet in the cache
    logit_index: int = -1
    sampler: Any = None
    reserved: int = 0
    finish: str = ""
    error: BaseException | None = None
    closed: bool = False
    t0: float = 0.0
    pending: str = ""
    decoder: Any = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace"))

    @property
    def done(self) -> bool:
        return bool(self.finish) or self.error is not None

    def add_text(self, text: str) -> bool:
        """Queue ``text`` for the consumer, holding back what may start a stop string; True at a stop."""
        text = self.pending + text
        stops = self.params.stop
        if not stops:
            if text:
                self.out.append(text)
            self.pending = ""
            return False
        cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
        if cut >= 0:
            if cut:
                self.out.append(text[:cut])
            self.pending = ""
            return True
        hold = max(len(s) for s in stops) - 1
        if len(text) > hold:
            self.out.append(text[: len(text) - hold])
            text = text[len(text) - hold :]
        self.pending = text
        return False


def make_sampler(c: Any, n_vocab: int, params: GenParams) -> Any:
    """The samplers of llama-cpp-python's ``Llama.generate``, with the same defaults, but the
    repeat penalty after top-k rather than before.

    The penalty looks up every candidate in its history: over the whole vocabulary
    (151,936 tokens for the starter model) that cost 0.76 ms a token, over the top 40
    nothing measurable (0.24 ms for the whole chain). The penalty only lowers the
    logits of tokens already used, so the tokens that can win are the same, except
    for a penalised token at the very edge of the top k.
    """
    chain = c.llama_sampler_chain_init(c.llama_sampler_chain_default_params())
    add = c.llama_sampler_chain_add

    def penalties() -> None:
        if params.repeat_penalty != 1.0:
            add(chain, c.llama_sampler_init_penalties(n_vocab, PENALTY_LAST_N, params.repeat_penalty, 0.0, 0.0))

    if params.temperature <= 0:
        add(chain, c.llama_sampler_init_top_k(GREEDY_POOL))
        penalties()
        add(chain, c.llama_sampler_init_greedy())
    else:
        add(chain, c.llama_sampler_init_top_k(params.top_k))
        penalties()
        add(chain, c.llama_sampler_init_typical(1.0, 1))
        add(chain, c.llama_sampler_init_top_p(params.top_p, 1))
        add(chain, c.llama_sampler_init_min_p(0.05, 1))
        add(chain, c.llama_sampler_init_temp(params.temperature))
        seed = c.LLAMA_DEFAULT_SEED if params.seed is None else params.seed & 0xFFFFFFFF
        add(chain, c.llama_sampler_init_dist(seed))
    return chain


def piece_reader(llama_cpp: Any, vocab: Any) -> Callable[[int], bytes]:
    """A cached token -> bytes function: a reply never re-detokenises what came before."""
    cache: dict[int, bytes] = {}
    to_piece = llama_cpp.llama_token_to_piece

    def piece(token: int) -> bytes:
        data = cache.get(token)
        if data is None:
            buf = ctypes.create_string_buffer(64)
            n = to_piece(vocab, token, buf, len(buf), 0, False)
            if n < 0:  # buffer too small: llama.cpp says how much it needs
                buf = ctypes.create_string_buffer(-n)
                n = to_piece(vocab, token, buf, len(buf), 0, False)
            data = cache[token] = buf.raw[: max(n, 0)]
        return data

    return piece
