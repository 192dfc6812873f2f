"""Continuous batching for the local engine: several requests decoded together in one context.

llama.cpp decodes many sequences in one ``llama_decode`` call (one ``llama_batch`` whose
tokens carry different ``seq_id``s). On a CPU a decode step of 8 sequences costs little
more than a step of 1 (the weights are read once per step), so the blocks of a
translation or the parts of a long summary finish several times sooner together than
one after another; on a GPU the gain is larger still. llama-server does this with
``--parallel N``; we do it in-process, with no second copy of the model.

There is no scheduler thread. Each request's consumer (the generator ``run``) takes
the step lock when it has nothing to yield and runs one step for every request; a
single request is therefore decoded in its caller's thread with no hand-off.

One unified KV cache holds every sequence. The sequence ``prefix_seq`` keeps the cells
of the last finished request: a new request copies (``llama_memory_seq_cp``, no
recomputation) the longest prefix it shares with that cache or with a running request,
so the fixed system prompt and worked example are read once, not once per block. When
several requests arrive together with a long common prefix and nothing cached, that
prefix is read once into ``prefix_seq`` first.

A request is admitted only when its prompt plus its ``max_tokens`` fit in the cache
beside the others' reservations, so a decode never runs out of cells; a request too big
to share waits until the others are done.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.engines.local_requests import END, Request, common_prefix, make_sampler
from hkpilot.errors import Cancelled, EngineError

log = logging.getLogger(__name__)

_SHARE_MIN = 16  # a common prefix shorter than this is not worth a separate fill step


class BatchDecoder:
    """Decodes every submitted request together, ``slots`` at a time, on one llama.cpp context."""

    def __init__(
        self,
        llama_cpp: Any,
        ctx: Any,
        vocab: Any,
        n_ctx: int,
        n_batch: int,
        slots: int,
        piece: Callable[[int], bytes],
    ) -> None:
        self._c = llama_cpp
        self._ctx = ctx
        self._mem = llama_cpp.llama_get_memory(ctx)
        self._vocab = vocab
        self.n_vocab = int(llama_cpp.llama_vocab_n_tokens(vocab))
        self.n_ctx = n_ctx
        self.n_batch = n_batch
        self.slots = slots
        self.prefix_seq = slots  # sequence ids 0..slots-1 are the requests'
        self._piece = piece
        self._batch = llama_cpp.llama_batch_init(n_batch, 0, 1)
        self._arrays = (self._batch.token, self._batch.pos, self._batch.n_seq_id, self._batch.seq_id, self._batch.logits)
        self._step_lock = threading.Lock()
        self._mutex = threading.Lock()  # guards _waiting
        self._waiting: deque[Request] = deque()
        self._active: list[Request] = []
        self._free = list(range(slots - 1, -1, -1))
        self._prefix: list[int] = []  # tokens held by prefix_seq
        self._prefix_todo: list[int] = []  # a shared prefix being read into prefix_seq
        self._in_batch: list[Request] = []
        self._chunks: list[tuple[Request | None, int]] = []
        # The abort callback stops a long prompt read between graph nodes. llama.cpp calls it
        # after every node (hundreds per step), each call taking the GIL: it is set only for
        # steps that read prompt tokens; a one-token step is short enough to finish.
        self._abort_cb = llama_cpp.ggml_abort_callback(self._should_abort)  # keep a reference: ctypes
        self._abort_on = False
        self.steps = 0

    # -- the consumer side ----------------------------------------------------------------

    def submit(self, tokens: list[int], params: GenParams, cancel: CancelToken, max_new: int) -> Request:
        req = Request(tokens=tokens, params=params, cancel=cancel, max_new=max_new)
        req.stats.prompt_tokens = len(tokens)
        req.t0 = time.perf_counter()
        with self._mutex:
            self._waiting.append(req)
        return req

    def run(self, req: Request) -> Iterator[str]:
        """Yield the request's text pieces, stepping the batch whenever there is nothing to yield."""
        out = req.out
        try:
            while True:
                if out:
                    item = out.popleft()
                    if item is END:
                        break
                    yield item
                    continue
                if req.cancel.cancelled:
                    req.finish = req.finish or "cancelled"
                    break
                with self._step_lock:
                    if not out:
                        self._step()
        finally:
            req.closed = True
            req.stats.total_s = time.perf_counter() - req.t0
            if not req.stats.finish_reason:
                req.stats.finish_reason = req.finish or "cancelled"
            if self._step_lock.acquire(blocking=False):  # give the cells back now if nobody is stepping
                try:
                    self._reap()
                finally:
                    self._step_lock.release()
        if req.error is not None:
            raise req.error
        if req.finish == "cancelled":
            raise Cancelled()

    def forget_cache(self) -> None:
        """Drop the prefix cache (benchmarks: a cold prompt)."""
        with self._step_lock:
            self._c.llama_memory_seq_rm(self._mem, self.prefix_seq, -1, -1)
            self._prefix = []

    def close(self) -> None:
        """Free the batch and the samplers, after any step in progress; later requests fail."""
        with self._step_lock:
            if self._batch is not None:
                self._c.llama_batch_free(self._batch)
                self._batch = None
            for req in self._active:
                self._free_sampler(req)
                self._end(req, "cancelled")
            self._active = []

    # -- one step -------------------------------------------------------------------------

    def _step(self) -> None:
        if self._batch is None:
            raise EngineError(detail="the model was closed")
        self._reap()
        self._admit()
        n = self._fill_batch()
        if n == 0:
            return
        self.steps += 1
        rc = self._decode(n)
        if rc != 0:
            self._failed(rc)
            return
        self._after_decode()

    def _should_abort(self, _data: Any) -> bool:
        reqs = self._in_batch
        return bool(reqs) and all(r.cancel.cancelled for r in reqs)

    def _decode(self, n: int) -> int:
        reading = n > len(self._in_batch) or any(r.todo for r in self._in_batch)
        if reading != self._abort_on:
            cb = self._abort_cb if reading else self._c.ggml_abort_callback(0)
            self._c.llama_set_abort_callback(self._ctx, cb, None)
            self._abort_on = reading
        self._batch.n_tokens = n
        try:
            return int(self._c.llama_decode(self._ctx, self._batch))
        finally:
            self._batch.n_tokens = 0

    def _reap(self) -> None:
        """Release finished, closed and cancelled requests; drop cancelled ones still waiting."""
        keep: list[Request] = []
        for req in self._active:
            if req.cancel.cancelled and not req.done:
                self._end(req, "cancelled")
            if req.done or req.closed:
                self._release(req)
            else:
                keep.append(req)
        self._active = keep
        with self._mutex:
            if any(r.closed or r.cancel.cancelled for r in self._waiting):
                for req in [r for r in self._waiting if r.closed or r.cancel.cancelled]:
                    self._waiting.remove(req)
                    self._end(req, "cancelled")

    def _release(self, req: Request) -> None:
        """Free the request's sequence; its cells become the prefix cache when it read a prompt."""
        if req.seq < 0:
            return
        mem, c, p = self._mem, self._c, self.prefix_seq
        if req.kv and not self._prefix_todo and req.error is None and req.finish != "cancelled" and self._better_cache(req.kv):
            c.llama_memory_seq_rm(mem, p, -1, -1)
            c.llama_memory_seq_cp(mem, req.seq, p, 0, len(req.kv))
            self._prefix = list(req.kv)
        c.llama_memory_seq_rm(mem, req.seq, -1, -1)
        self._free.append(req.seq)
        req.seq = -1
        self._free_sampler(req)

    def _better_cache(self, kv: list[int]) -> bool:
        """Whether ``kv`` serves the next waiting request at least as well as the prefix cache does."""
        with self._mutex:
            head = self._waiting[0].tokens if self._waiting else None
        return head is None or common_prefix(kv, head) >= common_prefix(self._prefix, head)

    def _free_sampler(self, req: Request) -> None:
        if req.sampler is not None:
            self._c.llama_sampler_free(req.sampler)
            req.sampler = None

    def _reserved(self) -> int:
        return sum(r.reserved for r in self._active) + len(self._prefix) + len(self._prefix_todo)

    def _admit(self) -> None:
        """Start waiting requests while sequences and cells allow, in order of arrival."""
        if self._prefix_todo:
            return  # a shared prefix is being read: the requests that need it wait one step
        while self._free:
            with self._mutex:
                if not self._waiting:
                    return
                req = self._waiting[0]
            source, shared = self._best_source(req.tokens)
            peer = self._peer_prefix(req)
            if peer >= shared + _SHARE_MIN and self._start_prefix_fill(req.tokens, peer):
                return
            # Shared cells are counted again: they outlive their source when it is released.
            need = len(req.tokens) + req.max_new
            if self._reserved() + need > self.n_ctx:
                if not self._make_room(req, need):
                    return  # wait for running requests to finish
                source, shared = self._best_source(req.tokens)
            with self._mutex:
                self._waiting.popleft()
            self._start(req, source, shared, need)

    def _best_source(self, tokens: list[int]) -> tuple[int, int]:
        """The sequence sharing the longest prefix with ``tokens`` (cells already computed)."""
        best, shared = -1, 0
        if self._prefix:
            best, shared = self.prefix_seq, common_prefix(self._prefix, tokens)
        for req in self._active:
            n = common_prefix(req.kv, tokens)
            if n > shared:
                best, shared = req.seq, n
        shared = min(shared, len(tokens) - 1)  # the last prompt token is read again for its logits
        return (best, shared) if shared > 0 else (-1, 0)

    def _peer_prefix(self, req: Request) -> int:
        with self._mutex:
            others = list(self._waiting)[1 : self.slots]
        best = max((common_prefix(req.tokens, r.tokens) for r in others), default=0)
        return min(best, len(req.tokens) - 1)

    def _start_prefix_fill(self, tokens: list[int], length: int) -> bool:
        """Read ``tokens[:length]`` into the prefix sequence before the requests sharing it start."""
        keep = common_prefix(self._prefix, tokens[:length])
        if self._reserved() - len(self._prefix) + length > self.n_ctx:
            return False
        self._c.llama_memory_seq_rm(self._mem, self.prefix_seq, keep, -1)
        self._prefix = tokens[:keep]
        self._prefix_todo = tokens[keep:length]
        return bool(self._prefix_todo)

    def _make_room(self, req: Request, need: int) -> bool:
        """Trim the prefix cache to what ``req`` shares with it, then drop it, until ``need`` fits."""
        mem, c, p = self._mem, self._c, self.prefix_seq
        useful = common_prefix(self._prefix, req.tokens)
        if useful < len(self._prefix):
            c.llama_memory_seq_rm(mem, p, useful, -1)
            self._prefix = self._prefix[:useful]
        if self._reserved() + need <= self.n_ctx:
            return True
        if self._prefix:
            c.llama_memory_seq_rm(mem, p, -1, -1)
            self._prefix = []
        return self._reserved() + need <= self.n_ctx

    def _start(self, req: Request, source: int, shared: int, need: int) -> None:
        c = self._c
        req.seq = self._free.pop()
        c.llama_memory_seq_rm(self._mem, req.seq, -1, -1)
        if shared > 0:
            c.llama_memory_seq_cp(self._mem, source, req.seq, 0, shared)
        req.kv = req.tokens[:shared]
        req.todo = req.tokens[shared:]
        req.reserved = need
        req.sampler = make_sampler(self._c, self.n_vocab, req.params)
        self._active.append(req)

    def _fill_batch(self) -> int:
        """Put one token of every decoding request, then prompt chunks, into the batch."""
        token, pos, n_seq_id, seq_id, logits = self._arrays
        cap = self.n_batch
        n = 0
        in_batch: list[Request] = []
        chunks: list[tuple[Request | None, int]] = []  # prompt tokens put in, per request (None: the prefix)
        for req in self._active:
            req.logit_index = -1
            if req.next_token >= 0:
                token[n], pos[n], n_seq_id[n], logits[n] = req.next_token, len(req.kv), 1, 1
                seq_id[n][0] = req.seq
                req.logit_index = n
                n += 1
                in_batch.append(req)
        if self._prefix_todo:
            start = len(self._prefix)
            chunk = self._prefix_todo[: cap - n]
            for i, t in enumerate(chunk):
                token[n], pos[n], n_seq_id[n], logits[n] = t, start + i, 1, 0
                seq_id[n][0] = self.prefix_seq
                n += 1
            chunks.append((None, len(chunk)))
            with self._mutex:
                in_batch.extend(list(self._waiting)[: self.slots])
        for req in self._active:
            if n >= cap:
                break
            if not req.todo:
                continue
            start = len(req.kv)
            chunk = req.todo[: cap - n]
            for i, t in enumerate(chunk):
                token[n], pos[n], n_seq_id[n], logits[n] = t, start + i, 1, 0
                seq_id[n][0] = req.seq
                n += 1
            if len(chunk) == len(req.todo):  # the prompt's last token: its logits give the first reply token
                logits[n - 1] = 1
                req.logit_index = n - 1
            chunks.append((req, len(chunk)))
            in_batch.append(req)
        self._in_batch = in_batch
        self._chunks = chunks
        return n

    def _after_decode(self) -> None:
        """Account the cells just written, then sample the next token of every request that has logits."""
        for req in self._active:
            if req.next_token >= 0:
                req.kv.append(req.next_token)
                req.next_token = -1
        for owner, count in self._chunks:
            if owner is None:
                self._prefix.extend(self._prefix_todo[:count])
                self._prefix_todo = self._prefix_todo[count:]
            else:
                owner.kv.extend(owner.todo[:count])
                owner.todo = owner.todo[count:]
        self._chunks = []
        sample = self._c.llama_sampler_sample
        for req in self._in_batch:
            if req.logit_index >= 0 and not req.done:
                tok = int(sample(req.sampler, self._ctx, req.logit_index))
                self._accept(req, tok)
        self._in_batch = []

    def _accept(self, req: Request, token: int) -> None:
        stats = req.stats
        if req.cancel.cancelled:
            self._end(req, "cancelled")
            return
        if self._c.llama_vocab_is_eog(self._vocab, token):
            self._end(req, "stop")
            return
        if stats.completion_tokens == 0:
            stats.first_token_s = time.perf_counter() - req.t0
        stats.completion_tokens += 1
        if req.add_text(req.decoder.decode(self._piece(token))):
            self._end(req, "stop", flush=False)
            return
        if stats.completion_tokens >= req.max_new:
            self._end(req, "length")
            return
        req.next_token = token

    def _end(self, req: Request, finish: str, flush: bool = True) -> None:
        if req.done:
            return
        req.finish = finish
        req.stats.finish_reason = finish
        req.stats.total_s = time.perf_counter() - req.t0
        if finish != "cancelled" and flush:
            tail = req.pending + req.decoder.decode(b"", final=True)
            if tail:
                req.out.append(tail)
        req.pending = ""
        req.out.append(END)

    def _failed(self, rc: int) -> None:
        """A decode that did not complete: forget what it half-wrote, end the requests in it."""
        c, mem = self._c, self._mem
        aborted = rc == 2
        for req in self._in_batch:
            if req.seq >= 0:
                c.llama_memory_seq_rm(mem, req.seq, len(req.kv), -1)
            else:  # waiting for a shared prefix: it will not start
                with self._mutex:
                    if req in self._waiting:
                        self._waiting.remove(req)
            if aborted or req.cancel.cancelled:
                self._end(req, "cancelled")
            else:
                req.error = EngineError(detail=f"llama_decode returned {rc}")
                req.finish = "error"
                req.stats.finish_reason = "error"
                req.out.append(END)
            req.next_token = -1
        if self._prefix_todo:
            c.llama_memory_seq_rm(mem, self.prefix_seq, len(self._prefix), -1)
            self._prefix_todo = []
        if not aborted:
            log.warning("llama_decode failed (%d) for %d requests", rc, len(self._in_batch))
        self._in_batch = []
