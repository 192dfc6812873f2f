#!/usr/bin/env python3
"""Benchmark the server client: a command that prints tables, not a test.

1. Time to first token and tokens/s through RemoteEngine against a bare httpx stream of the
   same request, on llama-cpp-python's server and (when built) llama.cpp's llama-server.
2. The speed-up of a map-reduce summary with N = 1, 2 and 4 requests at once, each run against
   a fresh ``llama-server --parallel N -c N*window`` (the same window per slot), in an
   alternating order so that both runs of one N see the machine's drift (llama-cpp-python's
   server answers one request at a time).

    .venv/bin/python tools/bench_server.py [--trials 5] [--paragraphs 24] [--window 768]
                                           [--order 1,2,4,4,2,1] [--skip-overhead] [--skip-parallel]

llama-server is built from the llama.cpp sources inside the llama-cpp-python sdist (see
docs/SERVERS.md); by default it is looked for in .cache/llama-build/bin/.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from hkpilot.documents.model import Block, BlockKind, Document  # noqa: E402
from hkpilot.engines.base import CancelToken, GenParams, Message, StreamStats  # noqa: E402
from hkpilot.engines.catalogue import starter_path  # noqa: E402
from hkpilot.engines.remote import RemoteEngine  # noqa: E402

PROMPT: list[Message] = [{"role": "user", "content": "Write a paragraph about the public libraries of Hong Kong."}]
TOPICS = ("public libraries", "swimming pools", "sports centres", "museums", "parks", "performance venues",
          "community halls", "cycle tracks", "beaches", "holiday camps", "stadiums", "playgrounds",
          "heritage trails", "art spaces", "youth hostels", "markets")
PARAGRAPH = (
    "The department manages {n} {topic} across the eighteen districts. In {y} the {topic} recorded {m} million "
    "visits, ran {k} programmes for children and older people, and extended opening hours on public holidays. "
    "It will review the fees of the {topic}, improve access for wheelchair users and open {j} new facilities by {z}."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(cmd: list[str], port: int, log: Path) -> Iterator[str]:
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise SystemExit(f"server exited; see {log}")
            try:
                if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def bare_stream(client: httpx.Client, url: str, body: dict[str, object]) -> tuple[float, float, int]:
    """TTFT, decode tokens/s and pieces for one request read with httpx alone."""
    t0 = time.perf_counter()
    first = last = 0.0
    pieces = 0
    with client.stream("POST", f"{url}/v1/chat/completions", json=body) as resp:
        for line in resp.iter_lines():
            if not line.startswith("data:") or line.endswith("[DONE]"):
                continue
            chunk = json.loads(line[5:])
            for choice in chunk.get("choices") or []:
                if (choice.get("delta") or {}).get("content"):
                    last = time.perf_counter() - t0
                    first = first or last
                    pieces += 1
    return first, (pieces - 1) / (last - first) if pieces > 1 and last > first else 0.0, pieces


def engine_stream(engine: RemoteEngine, params: GenParams) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    first = last = 0.0
    pieces = 0
    for _ in engine.stream(PROMPT, params, CancelToken()):
        last = time.perf_counter() - t0
        first = first or last
        pieces += 1
    return first, (pieces - 1) / (last - first) if pieces > 1 and last > first else 0.0, pieces


def client_overhead(name: str, url: str, trials: int, max_tokens: int) -> list[str]:
    params = GenParams(max_tokens=max_tokens, temperature=0.0, seed=1)
    engine = RemoteEngine(url, api_key="", read_timeout=300)
    engine.facts()
    body = {"model": engine.model, "messages": PROMPT, "stream": True, "max_tokens": max_tokens, "temperature": 0.0,
            "top_p": params.top_p, "seed": 1}
    client = httpx.Client(timeout=300)
    engine_stream(engine, params)  # warm-up: model pages, prompt cache
    bare: list[tuple[float, float, int]] = []
    ours: list[tuple[float, float, int]] = []
    for _ in range(trials):  # alternated, so both see the same machine load
        bare.append(bare_stream(client, url, body))
        engine.counter._cache.clear()  # a task's prompts are new text: count it as the server's tokenizer would
        ours.append(engine_stream(engine, params))
    client.close()
    engine.close()

    def med(rows: list[tuple[float, float, int]], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    b_ttft, o_ttft, b_tps, o_tps = med(bare, 0), med(ours, 0), med(bare, 1), med(ours, 1)
    return [
        f"{name:26} {'bare httpx':12} {b_ttft * 1000:9.0f} {b_tps:9.1f} {med(bare, 2):7.0f}",
        f"{'':26} {'RemoteEngine':12} {o_ttft * 1000:9.0f} {o_tps:9.1f} {med(ours, 2):7.0f}",
        f"{'':26} {'ratio':12} {o_ttft / b_ttft:9.2f} {o_tps / b_tps if b_tps else 0:9.2f}",
    ]


def client_cost(pieces: int, trials: int) -> list[str]:
    """Microseconds of client work per streamed piece, against a local source that sends instantly."""
    import http.server

    chunk = 'data: {"choices": [{"delta": {"content": "x"}, "finish_reason": null}]}\n\n'
    body = (chunk * pieces + 'data: {"choices": [{"delta": {}, "finish_reason": "stop"}]}\n\ndata: [DONE]\n\n').encode()

    class Source(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, data: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._send(b'{"data": [{"id": "m"}]}', "application/json")

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self._send(body, "text/event-stream")

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Source)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_port}"
    engine = RemoteEngine(url, model="m", api_key="", context_window=100000)
    engine.facts()
    client = httpx.Client(timeout=60)
    req = {"model": "m", "messages": PROMPT, "stream": True}
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(trials):
        t = time.perf_counter()
        assert bare_stream(client, url, req)[2] == pieces
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert sum(1 for _ in engine.stream(PROMPT, GenParams(max_tokens=pieces), CancelToken())) == pieces
        ours.append(time.perf_counter() - t)
    srv.shutdown()
    b, o = statistics.median(bare) / pieces * 1e6, statistics.median(ours) / pieces * 1e6
    return [f"{'bare httpx':14} {b:8.1f} us/piece", f"{'RemoteEngine':14} {o:8.1f} us/piece",
            f"{'difference':14} {o - b:8.1f} us/piece ({o / b:.2f}x)"]


class CountingEngine(RemoteEngine):
    """Adds up the answer tokens of every request, whatever thread made it."""

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.tokens = 0
        self.requests = 0
        self._count_lock = threading.Lock()

    def stream(self, messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        try:
            yield from super().stream(messages, params, cancel)
        finally:  # also when the task stops reading (its loop guard)
            stats: StreamStats = self.last_stats
            with self._count_lock:
                self.tokens += stats.completion_tokens
                self.requests += 1


def _document(paragraphs: int, run: int) -> Document:
    """A document of distinct paragraphs; ``run`` changes its figures, so no run reuses another's
    prompts from llama-server's prompt cache."""
    blocks = [Block(f"p:{i}", BlockKind.PARAGRAPH,
                    PARAGRAPH.format(topic=TOPICS[(i + run) % len(TOPICS)], n=60 + 7 * i + run, m=3 + i + run,
                                     k=200 + 13 * i + 7 * run, y=2020 + i % 5, j=2 + i % 4, z=2027 + i % 3),
                    section=f"s{i // 3}") for i in range(paragraphs)]
    return Document(path=Path("bench.txt"), format="txt", blocks=blocks)


def summary_speedup(binary: Path, model: Path, threads: int, paragraphs: int, window: int, order: tuple[int, ...],
                    logs: Path) -> list[str]:
    """One map-reduce summary per entry of ``order``, each against a fresh ``llama-server --parallel N``
    with ``-c N * window`` (so every slot has the same window) and N requests at once from HKPilot."""
    from hkpilot.tasks.summarise import summarise_document

    rows: list[str] = []
    took_by_n: dict[int, list[float]] = {}
    tps_by_n: dict[int, list[float]] = {}
    for run, n in enumerate(order):
        port = free_port()
        cmd = [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-c", str(window * n),
               "--parallel", str(n), "-t", str(threads), "--alias", "starter"]
        with server(cmd, port, logs / f"bench-llama-server-np{n}.log") as url:
            doc = _document(paragraphs, run)  # new figures each run: nothing comes from the prompt cache
            engine = CountingEngine(url, api_key="", read_timeout=600, deadline=1800, parallel_requests=n)
            t0 = time.perf_counter()
            stats: dict[str, object] = {}
            for event in summarise_document(doc, engine, "short", "en", CancelToken()):
                stats = getattr(event, "stats", stats) or stats
            took = time.perf_counter() - t0
            took_by_n.setdefault(n, []).append(took)
            tps_by_n.setdefault(n, []).append(engine.tokens / took)
            rows.append(f"{run + 1:>3} {n:>3} {engine.parallel_requests:>9} {engine.context_window():>6} "
                        f"{stats.get('chunks', '?'):>6} {engine.requests:>8} {engine.tokens:>7} {took:8.1f} "
                        f"{engine.tokens / took:8.1f}  load {os.getloadavg()[0]:.1f}")
            engine.close()
    base = statistics.median(took_by_n[min(took_by_n)])
    rows.append("\nmedians")
    rows.append(f"{'N':>3} {'runs':>5} {'seconds':>8} {'tok/s':>8} {'speed-up':>9}")
    for n in sorted(took_by_n):
        med = statistics.median(took_by_n[n])
        rows.append(f"{n:>3} {len(took_by_n[n]):>5} {med:8.1f} {statistics.median(tps_by_n[n]):8.1f} {base / med:9.2f}")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=starter_path())
    ap.add_argument("--llama-server", type=Path, default=ROOT / ".cache/llama-build/bin/llama-server")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--paragraphs", type=int, default=24, help="paragraphs of the summary benchmark's document")
    ap.add_argument("--window", type=int, default=768, help="context per request (per slot) for the summary benchmark")
    ap.add_argument("--skip-parallel", action="store_true")
    ap.add_argument("--skip-overhead", action="store_true")
    ap.add_argument("--order", default="1,2,4,4,2,1", help="parallel requests (and slots) of each summary run, in order")
    args = ap.parse_args()
    logs = ROOT / ".cache"
    logs.mkdir(exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; model {args.model.name}")
    print(f"\n0. Client cost per piece (a local source sending 2000 pieces at once, no model; {args.trials} trials)")
    print("\n".join(client_cost(2000, args.trials)))
    print(f"\n1. Client overhead ({args.trials} alternating trials, median; {args.max_tokens} tokens, temperature 0)")
    print(f"{'server':26} {'client':12} {'TTFT ms':>9} {'tok/s':>9} {'pieces':>7}")
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(args.model), "--host", "127.0.0.1", "--port",
           str(port), "--n_ctx", "4096", "--n_threads", str(args.threads)]
    if not args.skip_overhead:
        with server(cmd, port, logs / "bench-llama-cpp-python.log") as url:
            print("\n".join(client_overhead("llama_cpp.server", url, args.trials, args.max_tokens)))
    if not args.llama_server.is_file():
        print(f"\n(no llama-server at {args.llama_server}: build it to measure the second server and parallel speed-up)")
        return 0
    if not args.skip_overhead:
        port = free_port()
        cmd = [str(args.llama_server), "-m", str(args.model), "--host", "127.0.0.1", "--port", str(port),
               "-c", "4096", "--parallel", "1", "-t", str(args.threads), "--alias", "starter"]
        with server(cmd, port, logs / "bench-llama-server.log") as url:
            print("\n".join(client_overhead("llama-server", url, args.trials, args.max_tokens)))
    if not args.skip_parallel:
        order = tuple(int(n) for n in args.order.split(","))
        print(f"\n2. Map-reduce summary ('short', {args.paragraphs} paragraphs, {args.window} tokens per request), "
              f"each run against a fresh llama-server --parallel N -c N*{args.window}, order {args.order}")
        print(f"{'run':>3} {'N':>3} {'effective':>9} {'window':>6} {'parts':>6} {'requests':>8} {'tokens':>7} "
              f"{'seconds':>8} {'tok/s':>8}")
        print("\n".join(summary_speedup(args.llama_server, args.model, args.threads, args.paragraphs, args.window, order,
                                         logs)))
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
