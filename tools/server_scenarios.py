#!/usr/bin/env python3
"""Start, stop, slow and misconfigure a real inference server while the CLI works through it.

The check of issue 4, as a command (minutes of model time, so not a test): a real
``python -m llama_cpp.server`` with the starter model on loopback is stopped, killed mid-job,
slowed (a delayed first byte, a stall mid-stream, a trickle past the deadline) and
misconfigured (wrong port, wrong model, wrong or missing key, a 512-token window with a
long document, URL with and without ``/v1``, https to an http port) while
``hkpilot translate|summarise --engine server`` runs. Every scenario must end in a result, a
result marked incomplete, or exit 4 with one clear ``Error:`` line, within its time bound,
and never with a silently truncated result.

    .venv/bin/python tools/server_scenarios.py [--only NAME-SUBSTRING] [--keep DIR]

Prints a table (scenario, expected, rc, seconds, the telling stderr line) and exits 1 when
any scenario misses its expectation.
"""

from __future__ import annotations

import argparse
import http.server
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from docx import Document as Docx  # noqa: E402

from hkpilot.engines.catalogue import starter_path  # noqa: E402
from tests.integration.fault_proxy import Fault, FaultProxy  # noqa: E402

KEY = "dept-secret-key"
PARAGRAPH = (
    "The department manages {n} {topic} across the eighteen districts. In {y} the {topic} recorded {m} million "
    "visits, ran {k} programmes for children and older people, and extended opening hours on public holidays. "
    "It will review the fees of the {topic}, improve access for wheelchair users and open {j} new facilities by {z}."
)
TOPICS = ("public libraries", "swimming pools", "sports centres", "museums", "parks", "performance venues",
          "community halls", "cycle tracks", "beaches", "holiday camps", "stadiums", "playgrounds")
_PROGRESS = re.compile(r": (\d+)/(\d+)$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One llama_cpp.server process on loopback."""

    def __init__(self, model: Path, logs: Path, name: str, *extra: str, key: str = "") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logs / f"server-{name}.log"
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(self.port), "--model_alias", "starter", *extra]
        if key:
            cmd += ["--api_key", key]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"llama_cpp.server exited; see {self.log}")
            try:
                if httpx.get(f"{self.url}/v1/models", headers=headers, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"llama_cpp.server did not start in 180 s; see {self.log}")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def not_an_llm_server() -> Iterator[str]:
    """A plain web server (every path 404 with an HTML page): the URL points at the wrong service."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _nope(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_error(404, "File not found")

        do_GET = do_POST = _nope  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        srv.server_close()


@contextmanager
def black_hole() -> Iterator[str]:
    """A port that accepts connections and never answers (a wedged service or a dead proxy)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        for conn in held:
            conn.close()


# -- documents ------------------------------------------------------------------------------


def make_documents(folder: Path) -> dict[str, Path]:
    notice = Docx()
    notice.add_paragraph("The office will be closed on Monday for the public holiday.")
    notice.add_paragraph("Enquiries should be directed to our hotline at 2345 6789.")
    notice.add_paragraph("We apologise for any inconvenience caused.")
    paths = {"notice": folder / "notice.docx"}
    notice.save(str(paths["notice"]))
    paras = [PARAGRAPH.format(topic=TOPICS[i % len(TOPICS)], n=60 + 7 * i, m=3 + i, k=200 + 13 * i, y=2020 + i % 5,
                              j=2 + i % 4, z=2027 + i % 3) for i in range(30)]
    paths["long"] = folder / "long.txt"
    paths["long"].write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    paths["report"] = folder / "report.txt"  # a shorter long document: 8 paragraphs, ~700 tokens
    paths["report"].write_text("\n\n".join(paras[:8]) + "\n", encoding="utf-8")
    return paths


# -- scenarios ------------------------------------------------------------------------------


@dataclass
class Outcome:
    rc: int
    seconds: float
    stderr: str
    stdout: str
    output: Path | None


@dataclass
class Scenario:
    name: str
    command: str  # translate | summarise
    doc: str
    url: Callable[[], str]
    expect: str  # "ok" | "incomplete" | "exit4" | "ok|exit4" | "incomplete|exit4"
    limit: float  # seconds: the configured timeouts plus the model's own time, generously
    sets: list[str] = field(default_factory=list)
    model: str | None = "starter"
    key: str | None = None
    during: Callable[[subprocess.Popen[str], list[str]], None] | None = None  # acts while the CLI runs
    must_say: str = ""  # a phrase the telling line must contain
    note: str = ""


def run_cli(sc: Scenario, docs: dict[str, Path], work: Path, env: dict[str, str]) -> Outcome:
    out: Path | None = None
    args = [sys.executable, "-m", "hkpilot", "--lang", "en"]
    if sc.command == "translate":
        out = work / f"{re.sub(r'[^a-z0-9]+', '-', sc.name.lower())}.docx"
        args += ["translate", str(docs[sc.doc]), "--to", "zh-HK", "-o", str(out)]
    else:
        args += ["summarise", str(docs[sc.doc]), "--length", "short"]
    args += ["--engine", "server", "--server-url", sc.url()]
    if sc.model:
        args += ["--server-model", sc.model]
    for s in sc.sets:
        args += ["--set", s]
    run_env = dict(env)
    if sc.key is not None:
        run_env["HKPILOT_API_KEY"] = sc.key
    t0 = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=run_env)
    lines: list[str] = []
    stdout: list[str] = []

    def pump_err() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))

    def pump_out() -> None:
        assert proc.stdout is not None
        stdout.append(proc.stdout.read())

    readers = [threading.Thread(target=pump_err, daemon=True), threading.Thread(target=pump_out, daemon=True)]
    for r in readers:
        r.start()
    if sc.during:
        threading.Thread(target=sc.during, args=(proc, lines), daemon=True).start()
    try:
        rc = proc.wait(timeout=sc.limit + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = -9  # a hang
    took = time.monotonic() - t0
    for r in readers:
        r.join(5)
    return Outcome(rc, took, "\n".join(lines), "".join(stdout), out)


def telling_line(o: Outcome) -> str:
    lines = [line for line in o.stderr.splitlines() if line.strip() and not _PROGRESS.search(line)]
    for prefix in ("Error:", "Warning: the result is incomplete", "Warning:", "Unexpected error"):
        hits = [line for line in lines if line.startswith(prefix)]
        if hits:
            return hits[-1]
    return lines[-1] if lines else "-"


def judge(sc: Scenario, o: Outcome) -> list[str]:
    """What is wrong with the outcome (empty: it passed)."""
    problems: list[str] = []
    errors = [line for line in o.stderr.splitlines() if line.startswith(("Error:", "Unexpected error"))]
    incomplete = "the result is incomplete" in o.stderr
    allowed = sc.expect.split("|")
    kind = "exit4" if o.rc == 4 else ("incomplete" if o.rc == 0 and incomplete else ("ok" if o.rc == 0 else "?"))
    if o.rc == -9:
        problems.append("HANG (killed)")
    if kind not in allowed:
        problems.append(f"expected {sc.expect}, got rc {o.rc}{' (marked incomplete)' if incomplete else ''}")
    if o.seconds > sc.limit:
        problems.append(f"took {o.seconds:.0f} s > {sc.limit:.0f} s")
    if o.rc == 4:
        if len(errors) != 1:
            problems.append(f"{len(errors)} error lines")
        if o.output and o.output.exists():
            problems.append("an output file was left behind")
    if o.rc == 0:
        if errors:
            problems.append("error line on success")
        if sc.command == "translate" and not (o.output and o.output.exists()):
            problems.append("no output file")
        if sc.command == "summarise" and not o.stdout.strip():
            problems.append("empty summary")
        if sc.command == "summarise" and "Read 100%" not in o.stderr and "incomplete" not in kind:
            problems.append("part of the document was not read")
    if sc.must_say and sc.must_say.lower() not in telling_line(o).lower():
        problems.append(f"line does not say '{sc.must_say}'")
    return problems


def kill_when(server: Callable[[], Server], after_progress: int, delay: float) -> Callable[..., None]:
    """Kill the server ``delay`` seconds after the CLI reports ``after_progress`` steps done."""

    def act(proc: subprocess.Popen[str], lines: list[str]) -> None:
        while proc.poll() is None:
            done = [int(m.group(1)) for line in list(lines) if (m := _PROGRESS.search(line))]
            if done and max(done) >= after_progress:
                time.sleep(delay)
                server().kill()
                return
            time.sleep(0.05)

    return act


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=starter_path())
    ap.add_argument("--only", default="", help="run the scenarios whose name contains this")
    ap.add_argument("--keep", type=Path, help="keep documents, outputs and server logs in this folder")
    ap.add_argument("--verbose", action="store_true", help="keep every scenario's stderr in the work folder")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hkpilot-scenarios-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = make_documents(work)
    env = dict(os.environ, HKPILOT_HOME=str(work / "home"), PYTHONPATH=str(ROOT),
               HKPILOT_POLICY=str(work / "no-policy.toml"), HKPILOT_NO_MODAL="1")
    env.pop("HKPILOT_API_KEY", None)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"

    servers: dict[str, Server] = {}

    def server(name: str, *extra: str, key: str = "") -> Server:
        if name not in servers or servers[name].proc.poll() is not None:
            servers[name] = Server(args.model, work, name, *extra, key=key)
        return servers[name]

    def main_url() -> str:
        return server("main", "--n_ctx", "4096").url

    closed_port = f"http://127.0.0.1:{free_port()}"
    proxies: list[FaultProxy] = []

    def proxied(*faults: Fault) -> Callable[[], str]:
        def url() -> str:
            p = FaultProxy(main_url()).__enter__()
            p.add(*faults)
            proxies.append(p)
            return p.url
        return url

    stack: list[Callable[[], None]] = []

    def with_ctx(cm: Callable[[], object]) -> Callable[[], str]:
        def url() -> str:
            ctx = cm()
            value = ctx.__enter__()  # type: ignore[attr-defined]
            stack.append(lambda: ctx.__exit__(None, None, None))  # type: ignore[attr-defined]
            return str(value)
        return url

    rt = ["server.read_timeout=30", "server.connect_timeout=3"]  # generous: the first token may be slow here
    quick = ["server.read_timeout=15", "server.connect_timeout=3"]  # for the scenarios that wait for a timeout
    scenarios = [
        # (a) the server is down before the job starts
        Scenario("a. stopped: translate", "translate", "notice", lambda: closed_port, "exit4", 15,
                 must_say="Cannot reach"),
        Scenario("a. stopped: summarise", "summarise", "notice", lambda: closed_port, "exit4", 15,
                 must_say="Cannot reach"),
        # (b) the server dies mid-job
        Scenario("b. killed mid-job: translate", "translate", "report", lambda: server("kill1", "--n_ctx", "4096").url,
                 "incomplete|exit4", 120, sets=rt, during=kill_when(lambda: servers["kill1"], 2, 1.0)),
        Scenario("b. killed mid-job: summarise", "summarise", "notice", lambda: server("kill2", "--n_ctx", "4096").url,
                 "incomplete|exit4", 120, sets=rt, during=kill_when(lambda: servers["kill2"], 0, 4.0)),
        # (c) the server is slow
        Scenario("c. slow first byte 5 s (read timeout 15): translate", "translate", "notice",
                 proxied(Fault("slow", delay=5, times=0)), "ok", 200, sets=quick),
        Scenario("c. slow first byte 60 s (read timeout 15): translate", "translate", "notice",
                 proxied(Fault("slow", delay=60, times=0)), "exit4", 35, sets=quick, must_say="did not answer in time"),
        Scenario("c. slow first byte 60 s (read timeout 15): summarise", "summarise", "notice",
                 proxied(Fault("slow", delay=60, times=0)), "exit4", 35, sets=quick, must_say="did not answer in time"),
        Scenario("c. stall mid-stream once: translate", "translate", "notice", proxied(Fault("stall", after=3)),
                 "ok", 150, sets=quick, note="the cut block is asked again"),
        Scenario("c. stall mid-stream every time: translate", "translate", "notice",
                 proxied(Fault("stall", after=3, times=0)), "incomplete", 200,
                 sets=["server.read_timeout=10", "server.connect_timeout=3"], must_say="incomplete"),
        Scenario("c. stall mid-stream: summarise", "summarise", "notice", proxied(Fault("stall", after=5)),
                 "incomplete", 120, sets=quick, must_say="incomplete"),
        Scenario("c. stall with keep-alives: summarise", "summarise", "notice", proxied(Fault("ping_stall", after=5)),
                 "incomplete", 120, sets=quick, must_say="incomplete"),
        Scenario("c. trickle past the deadline (10 s): summarise", "summarise", "notice",
                 proxied(Fault("trickle", delay=0.7)), "incomplete", 120, sets=[*quick, "server.deadline=10"],
                 must_say="incomplete"),
        Scenario("c. cut mid-stream: summarise", "summarise", "notice", proxied(Fault("cut", after=5)),
                 "incomplete", 120, sets=rt, must_say="incomplete"),
        # (d) misconfigured
        Scenario("d. wrong port (another web service): translate", "translate", "notice",
                 with_ctx(not_an_llm_server), "exit4", 20),
        Scenario("d. wrong port, no model named: summarise", "summarise", "notice",
                 with_ctx(not_an_llm_server), "exit4", 20, model=None, must_say="check the server URL"),
        Scenario("d. wrong port (accepts, never answers): summarise", "summarise", "notice",
                 with_ctx(black_hole), "exit4", 35, sets=quick, must_say="did not answer in time"),
        Scenario("d. wrong model name: translate", "translate", "notice", main_url, "exit4", 20, model="nope",
                 must_say="nope"),
        Scenario("d. wrong model name: summarise", "summarise", "notice", main_url, "exit4", 20, model="nope",
                 must_say="nope"),
        Scenario("d. wrong key: translate", "translate", "notice", lambda: server("key", "--n_ctx", "4096", key=KEY).url,
                 "exit4", 20, key="wrong-key", must_say="refused the API key"),
        Scenario("d. no key: summarise", "summarise", "notice", lambda: server("key", "--n_ctx", "4096", key=KEY).url,
                 "exit4", 20, key="", must_say="refused the API key"),
        Scenario("d. right key: summarise", "summarise", "notice", lambda: server("key", "--n_ctx", "4096", key=KEY).url,
                 "ok", 120, key=KEY),
        Scenario("d. n_ctx 512, long document: summarise", "summarise", "long",
                 lambda: server("tiny", "--n_ctx", "512").url, "exit4", 60, sets=rt, must_say="too small"),
        Scenario("d. n_ctx 512, long document: translate", "translate", "report",
                 lambda: server("tiny", "--n_ctx", "512").url, "ok", 400, sets=rt),
        Scenario("d. n_ctx 1024 (not declared), long document: summarise", "summarise", "long",
                 lambda: server("small", "--n_ctx", "1024").url, "ok", 600, sets=rt),
        Scenario("d. n_ctx 1024 declared, long document: summarise", "summarise", "long",
                 lambda: server("small", "--n_ctx", "1024").url, "ok", 600, sets=[*rt, "server.context_window=1024"]),
        Scenario("d. URL without /v1: translate", "translate", "notice", main_url, "ok", 150),
        Scenario("d. URL with /v1/: translate", "translate", "notice", lambda: main_url() + "/v1/", "ok", 150),
        Scenario("d. URL with /v1, no model named: summarise", "summarise", "notice", lambda: main_url() + "/v1", "ok",
                 120, model=None),
        Scenario("d. URL without scheme: summarise", "summarise", "notice", lambda: main_url()[len("http://"):], "ok", 120),
        Scenario("d. https to an http port: translate", "translate", "notice",
                 lambda: main_url().replace("http://", "https://"), "exit4", 20, must_say="plain HTTP"),
        Scenario("d. https to an http port: summarise", "summarise", "notice",
                 lambda: main_url().replace("http://", "https://"), "exit4", 20, must_say="plain HTTP"),
    ]
    if args.only:
        scenarios = [s for s in scenarios if args.only.lower() in s.name.lower()]

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; model {args.model.name}; "
          f"work folder {work}")
    rows: list[tuple[str, str, int, float, str, list[str]]] = []
    try:
        for sc in scenarios:
            o = run_cli(sc, docs, work, env)
            while stack:
                stack.pop()()
            while proxies:
                proxies.pop().stop()
            problems = judge(sc, o)
            rows.append((sc.name, sc.expect, o.rc, o.seconds, telling_line(o), problems))
            mark = "ok  " if not problems else "FAIL"
            print(f"{mark} {sc.name:55} rc={o.rc:<3} {o.seconds:6.1f} s  {telling_line(o)[:150]}", flush=True)
            for p in problems:
                print(f"       ! {p}", flush=True)
            if problems or args.verbose:
                (work / f"{re.sub(r'[^a-z0-9]+', '-', sc.name.lower())}.stderr").write_text(o.stderr, encoding="utf-8")
    finally:
        for s in servers.values():
            s.stop()
    failed = [r for r in rows if r[5]]
    print("\n| scenario | expected | rc | s | stderr |\n|---|---|---|---|---|")
    for name, expect, rc, secs, line, problems in rows:
        flag = " **FAIL: " + "; ".join(problems) + "**" if problems else ""
        print(f"| {name} | {expect} | {rc} | {secs:.1f} | {line[:160]}{flag} |")
    print(f"\n{len(rows) - len(failed)}/{len(rows)} scenarios as expected; load average {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
