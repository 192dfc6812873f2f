"""The CLI with ``--engine server`` against a real llama_cpp.server behind the fault proxy: the
server is up, down, slow, stalled or misconfigured; the CLI gives a result, a marked partial
result, or exit 4 with one clear line, and never hangs."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as Docx

from tests.integration.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.server


def hkpilot(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hkpilot", *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return cli_env | {"HKPILOT_POLICY": str(Path(cli_env["HKPILOT_HOME"]) / "none.toml")}


@pytest.fixture
def proxy(llama_server: str) -> Iterator[FaultProxy]:
    with FaultProxy(llama_server) as p:
        yield p


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    d = Docx()
    d.add_paragraph("The office will be closed on Monday.")
    d.add_paragraph("Enquiries should be directed to our hotline.")
    path = tmp_path / "notice.docx"
    d.save(str(path))
    return path


def _server_args(proxy: FaultProxy, *extra: str) -> list[str]:
    return ["--engine", "server", "--server-url", proxy.url, "--server-model", "starter", *extra]


def test_server_check(proxy: FaultProxy, env: dict[str, str]) -> None:
    r = hkpilot("server", "check", "--server-url", proxy.url, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "llama-cpp-python" in r.stdout and "2048" in r.stdout and "1-token answer" in r.stdout
    r = hkpilot("server", "check", "--server-url", proxy.url, "--server-model", "nope", env=env)
    assert r.returncode == 4 and "[FAIL]" in r.stdout and "nope" in r.stdout


def test_translate_and_summarise_through_the_server(proxy: FaultProxy, notice: Path, tmp_path: Path,
                                                     env: dict[str, str]) -> None:
    proxy.add(Fault("status", status=503, headers={"Retry-After": "0"}))  # one busy answer, retried
    out = tmp_path / "out.docx"
    r = hkpilot("translate", str(notice), "--to", "zh-HK", "-o", str(out), *_server_args(proxy), env=env)
    assert r.returncode == 0, r.stderr
    paras = [p.text for p in Docx(str(out)).paragraphs if p.text.strip()]
    assert len(paras) == 2 and all(any("\u4e00" <= ch <= "\u9fff" for ch in p) for p in paras)
    assert "Warning" not in r.stderr
    r = hkpilot("summarise", str(notice), "--length", "short", *_server_args(proxy), env=env)
    assert r.returncode == 0 and r.stdout.strip() and "100%" in r.stderr, r.stderr


def test_a_stalled_answer_is_kept_and_marked(proxy: FaultProxy, notice: Path, env: dict[str, str]) -> None:
    proxy.add(Fault("stall", after=4))
    t = time.monotonic()
    r = hkpilot("summarise", str(notice), "--length", "short",
                *_server_args(proxy, "--set", "server.read_timeout=3"), env=env)
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - t < 60
    assert r.stdout.strip()  # the partial summary is there
    assert "cut off" in r.stderr and "incomplete" in r.stderr  # and is not passed off as complete


@pytest.mark.parametrize(
    ("fault", "sets", "expect"),
    [
        (Fault("status", status=401, path="", times=0), [], "refused the API key"),
        (Fault("status", status=503, times=0), ["server.max_retries=1"], "busy"),
        (Fault("slow", delay=30), ["server.read_timeout=2"], "did not answer in time"),
        (Fault("status", status=500, body=b'{"error": "CUDA out of memory"}'), [], "CUDA out of memory"),
        (None, [], "Cannot reach"),  # the server is down
    ],
)
def test_failures_exit_4_with_one_line(proxy: FaultProxy, notice: Path, env: dict[str, str], fault: Fault | None,
                                       sets: list[str], expect: str) -> None:
    if fault is None:
        proxy.refuse()
    else:
        proxy.add(fault)
    extra = [a for s in sets for a in ("--set", s)]
    t = time.monotonic()
    r = hkpilot("translate", str(notice), "--to", "zh-HK", *_server_args(proxy, *extra), env=env)
    assert r.returncode == 4, r.stderr
    assert time.monotonic() - t < 30
    lines = [line for line in r.stderr.splitlines() if line.strip() and "Translating" not in line]
    assert len(lines) == 1 and lines[0].startswith("Error:") and expect in lines[0], r.stderr
    assert not (notice.parent / "notice.zh-HK.docx").exists()


@pytest.fixture
def web_page_server() -> Iterator[str]:
    """A port with some other web service on it: every path is a 404 page."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404, "File not found")

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_misconfigured_addresses_exit_4_with_one_line(llama_server: str, web_page_server: str, notice: Path,
                                                       env: dict[str, str]) -> None:
    cases = [
        (["--server-url", llama_server.replace("http://", "https://"), "--server-model", "starter"], "plain HTTP"),
        (["--server-url", web_page_server], "check the server URL"),  # the wrong port, no model named
    ]
    for args, expect in cases:
        t = time.monotonic()
        r = hkpilot("summarise", str(notice), "--engine", "server", *args, env=env)
        assert r.returncode == 4 and time.monotonic() - t < 30, r.stderr
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error:") and expect in lines[0], r.stderr
