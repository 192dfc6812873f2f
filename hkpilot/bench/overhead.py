"""Engine overhead: decode speed as a stream's consumer sees it, against llama.cpp's own decode timer.

For the same model, settings and prompt, three figures per reply length:

- raw: ``n_eval / t_eval`` from ``llama_perf_context``: the time llama.cpp spent in its
  one-token decode calls, nothing of Python's;
- LocalEngine: tokens after the first, divided by the time from the first piece to the
  last as the consumer of ``LocalEngine.stream`` receives them;
- llama-cpp-python: the same for ``create_chat_completion(stream=True)``'s chunks.

The ratios (stream / raw) are what a person waits for on top of the engine. Time to
first token is the time from the call to the first piece (the prompt read included).
The prompt asks for a long count, so replies run to the token limit.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PROMPT = (
    "Count upwards from 1 to 5000 in English words, one number per line "
    "(one, two, three, ...). Do not stop and do not add anything else."
)


@dataclass
class Run:
    tokens: int = 0
    first_s: float = 0.0  # call to first piece
    stream_tps: float = 0.0  # tokens after the first / (last piece - first piece)
    raw_tps: float = 0.0  # llama.cpp: n_eval / t_eval
    raw_prompt_tps: float = 0.0
    n_eval: int = 0

    @property
    def ratio(self) -> float:
        return self.stream_tps / self.raw_tps if self.raw_tps else 0.0


def _perf(llama_cpp: Any, ctx: Any) -> tuple[float, int, float, int]:
    data = llama_cpp.llama_perf_context(ctx)
    return float(data.t_eval_ms), int(data.n_eval), float(data.t_p_eval_ms), int(data.n_p_eval)


def _finish(run: Run, llama_cpp: Any, ctx: Any, t_first: float, t_last: float) -> Run:
    t_eval, n_eval, t_p, n_p = _perf(llama_cpp, ctx)
    run.n_eval = n_eval
    run.raw_tps = n_eval / (t_eval / 1000) if t_eval > 0 else 0.0
    run.raw_prompt_tps = n_p / (t_p / 1000) if t_p > 0 else 0.0
    if run.tokens > 1 and t_last > t_first:
        run.stream_tps = (run.tokens - 1) / (t_last - t_first)
    return run


def local_engine_run(engine: Any, max_tokens: int, seed: int) -> Run:
    """One ``LocalEngine.stream`` reply, timed as its consumer sees it."""
    from hkpilot.engines.base import CancelToken, GenParams

    llama_cpp = engine._llama_cpp
    ctx = engine._ctx.ctx
    llama_cpp.llama_perf_context_reset(ctx)
    params = GenParams(max_tokens=max_tokens, temperature=0.2, seed=seed, repeat_penalty=1.0)
    t0 = time.perf_counter()
    t_first = t_last = 0.0
    for _piece in engine.stream([{"role": "user", "content": PROMPT}], params, CancelToken()):
        t_last = time.perf_counter()
        if not t_first:
            t_first = t_last
    run = Run(tokens=engine.last_stats.completion_tokens, first_s=t_first - t0)
    # Pieces can merge tokens (a character split over two tokens): time from the first token.
    t_first = t0 + engine.last_stats.first_token_s
    return _finish(run, llama_cpp, ctx, t_first, t_last)


def llama_cpp_python_run(llm: Any, max_tokens: int, seed: int) -> Run:
    """One ``create_chat_completion(stream=True)`` reply, timed as its consumer sees it."""
    import llama_cpp

    llama_cpp.llama_perf_context_reset(llm._ctx.ctx)
    llm.reset()  # no prompt cache from the previous run: both sides read the whole prompt
    t0 = time.perf_counter()
    t_first = t_last = 0.0
    chunks = llm.create_chat_completion(
        messages=[{"role": "user", "content": PROMPT}], max_tokens=max_tokens, temperature=0.2, top_p=0.95,
        top_k=40, min_p=0.05, repeat_penalty=1.0, seed=seed, stream=True,
    )
    for chunk in chunks:
        if chunk["choices"][0]["delta"].get("content"):
            t_last = time.perf_counter()
            if not t_first:
                t_first = t_last
    _, n_eval, _, _ = _perf(llama_cpp, llm._ctx.ctx)
    run = Run(tokens=n_eval + 1, first_s=t_first - t0)
    return _finish(run, llama_cpp, llm._ctx.ctx, t_first, t_last)


def run_overhead(
    model: Path, lengths: tuple[int, ...], n_ctx: int, threads: int, parallel: int, repeats: int = 1,
    n_gpu_layers: int = -1,
) -> dict[str, Any]:
    """Both sides loaded side by side; runs interleaved so that noise hits both alike; the best of ``repeats``.

    The engine is built as the app builds it (``parallel`` slots, its flash-attention
    choice); llama-cpp-python gets the same context, threads, batch, GPU layers and
    flash attention.
    """
    import llama_cpp

    from hkpilot.engines.local import LocalEngine

    engine = LocalEngine(model, n_ctx=n_ctx, n_threads=threads, parallel=parallel, n_gpu_layers=n_gpu_layers)
    llm = llama_cpp.Llama(
        model_path=str(model), n_ctx=n_ctx, n_threads=engine.n_threads, n_threads_batch=engine.n_threads,
        n_batch=engine.n_batch,
        n_gpu_layers=engine.n_gpu_layers, flash_attn=engine.flash_attn, verbose=False,
    )
    out: dict[str, Any] = {"threads": engine.n_threads, "gpu_layers": engine.layers_on_gpu, "flash_attn": engine.flash_attn}
    try:
        # The first reply in a process pays for compute buffers and thread start-up (2.6 s for
        # a 0.3 s prompt here): one short warm-up each, or whoever goes first looks slow.
        local_engine_run(engine, 8, seed=0)
        llama_cpp_python_run(llm, 8, seed=0)
        for n in lengths:
            ours: list[Run] = []
            theirs: list[Run] = []
            for i in range(repeats):
                engine.forget_cache()  # a cold prompt, as llm.reset() gives the other side
                ours.append(local_engine_run(engine, n, seed=1 + i))
                theirs.append(llama_cpp_python_run(llm, n, seed=1 + i))
            out[str(n)] = {"local_engine": asdict(max(ours, key=lambda r: r.ratio)),
                           "llama_cpp_python": asdict(max(theirs, key=lambda r: r.ratio))}
            for side in ("local_engine", "llama_cpp_python"):
                run = out[str(n)][side]
                run["ratio"] = run["stream_tps"] / run["raw_tps"] if run["raw_tps"] else 0.0
    finally:
        engine.close()
        llm.close()
    return out


def main() -> None:
    """``python -m hkpilot.bench.overhead MODEL``: this section alone, for a GPU machine without the GUI stack.

    A CPU baseline on a CUDA build needs ``CUDA_VISIBLE_DEVICES=`` (no device), not
    ``--gpu-layers 0``, which still runs the prompt on the GPU (../shared/GPU.md).
    """
    import argparse
    import json

    p = argparse.ArgumentParser(prog="python -m hkpilot.bench.overhead")
    p.add_argument("model", type=Path)
    p.add_argument("--lengths", type=int, nargs="+", default=[256, 1024])
    p.add_argument("--n-ctx", type=int, default=8192)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--parallel", type=int, default=16)
    p.add_argument("--gpu-layers", type=int, default=-1)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    result = run_overhead(args.model, tuple(args.lengths), args.n_ctx, args.threads, args.parallel, args.repeats,
                          args.gpu_layers)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
