"""RemoteEngine against a bare httpx streaming client, both reading the same llama_cpp.server.

The server runs as a child process on loopback with the same model and settings as the
local figures. Each side asks for the same reply (same prompt, seed, limit); the figure
is decode tokens per second as the consumer receives them (pieces after the first over
the time from the first to the last), and the ratio RemoteEngine / bare client.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hkpilot.bench.overhead import PROMPT

ALIAS = "bench"


@dataclass
class ClientRun:
    pieces: int = 0
    first_s: float = 0.0
    stream_pps: float = 0.0  # pieces per second after the first
    total_s: float = 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def llama_server(model: Path, n_ctx: int, threads: int, log: Path) -> Iterator[str]:
    """A llama_cpp.server on a free loopback port; yields its base URL."""
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads),
           "--n_threads_batch", str(threads), "--model_alias", ALIAS]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError("llama_cpp.server exited: " + log.read_text(errors="replace")[-1000:])
            try:
                if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("llama_cpp.server did not start in 120 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _body(max_tokens: int, seed: int) -> dict[str, Any]:
    return {"model": ALIAS, "messages": [{"role": "user", "content": PROMPT}], "max_tokens": max_tokens,
            "temperature": 0.2, "top_p": 0.95, "top_k": 40, "repeat_penalty": 1.0, "seed": seed, "stream": True}


def bare_client_run(url: str, max_tokens: int, seed: int) -> ClientRun:
    """The least a client can do: one streaming POST, SSE lines parsed as they come."""
    import httpx

    run = ClientRun()
    t0 = time.perf_counter()
    t_first = t_last = 0.0
    with httpx.Client(timeout=600) as client, client.stream("POST", f"{url}/v1/chat/completions",
                                                            json=_body(max_tokens, seed)) as resp:
        for line in resp.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            delta = json.loads(line[6:])["choices"][0].get("delta", {})
            if delta.get("content"):
                t_last = time.perf_counter()
                t_first = t_first or t_last
                run.pieces += 1
    return _close(run, t0, t_first, t_last)


def remote_engine_run(engine: Any, max_tokens: int, seed: int) -> ClientRun:
    from hkpilot.engines.base import CancelToken, GenParams

    run = ClientRun()
    params = GenParams(max_tokens=max_tokens, temperature=0.2, seed=seed, repeat_penalty=1.0)
    t0 = time.perf_counter()
    t_first = t_last = 0.0
    for piece in engine.stream([{"role": "user", "content": PROMPT}], params, CancelToken()):
        if piece:
            t_last = time.perf_counter()
            t_first = t_first or t_last
            run.pieces += 1
    return _close(run, t0, t_first, t_last)


def _close(run: ClientRun, t0: float, t_first: float, t_last: float) -> ClientRun:
    run.first_s = t_first - t0
    run.total_s = t_last - t0
    if run.pieces > 1 and t_last > t_first:
        run.stream_pps = (run.pieces - 1) / (t_last - t_first)
    return run


def run_remote(model: Path, max_tokens: int, n_ctx: int, threads: int, workdir: Path, repeats: int = 3) -> dict[str, Any]:
    """Pairs of runs, bare client then RemoteEngine, back to back; the median of the pairs' ratios.

    The server's own speed drifts on a busy machine; a pair is close enough in time to
    share the drift, so the ratio within a pair is the client's part.
    """
    import statistics

    from hkpilot.engines.remote import RemoteEngine

    with llama_server(model, n_ctx, threads, workdir / "llama_server.log") as url:
        engine = RemoteEngine(url, model=ALIAS, read_timeout=600)
        try:
            bare_client_run(url, 8, 0)  # warm-up: the server's first request loads its caches
            pairs: list[tuple[ClientRun, ClientRun]] = []
            for i in range(repeats):
                first_bare = i % 2 == 0  # alternate who goes first
                a = bare_client_run(url, max_tokens, seed=1) if first_bare else remote_engine_run(engine, max_tokens, 1)
                b = remote_engine_run(engine, max_tokens, 1) if first_bare else bare_client_run(url, max_tokens, seed=1)
                pairs.append((b, a) if first_bare else (a, b))
        finally:
            engine.close()
    ratios = [ours.stream_pps / bare.stream_pps for ours, bare in pairs if bare.stream_pps]
    ours_med = statistics.median(p[0].stream_pps for p in pairs)
    bare_med = statistics.median(p[1].stream_pps for p in pairs)
    return {"max_tokens": max_tokens, "pairs": len(pairs), "remote_engine": asdict(pairs[0][0]) | {"stream_pps": ours_med},
            "bare_httpx": asdict(pairs[0][1]) | {"stream_pps": bare_med},
            "pair_ratios": ratios, "ratio": statistics.median(ratios) if ratios else 0.0}
