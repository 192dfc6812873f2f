"""Parallel requests against llama.cpp's own ``llama-server --parallel 4`` (real slots).

llama-cpp-python's server answers one request at a time, so these tests need llama-server,
built from the llama.cpp sources in the llama-cpp-python sdist (docs/SERVERS.md). They are
skipped where it has not been built (set HKPILOT_LLAMA_SERVER, or build it into
.cache/llama-build/bin/); tests/unit/test_tasks_parallel.py covers the scheduling everywhere.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.engines.base import CancelToken
from hkpilot.engines.remote import RemoteEngine
from hkpilot.errors import Cancelled
from hkpilot.tasks.events import Progress, Result, Token
from hkpilot.tasks.translate import translate_document
from tests.conftest import ROOT, free_port
from tests.integration.fault_proxy import FaultProxy

pytestmark = [pytest.mark.server, pytest.mark.slow]

BINARY = Path(os.environ.get("HKPILOT_LLAMA_SERVER", ROOT / ".cache/llama-build/bin/llama-server"))


@pytest.fixture(scope="module")
def slots_server(starter_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not BINARY.is_file():
        pytest.skip(f"llama.cpp's llama-server is not built ({BINARY}); see docs/SERVERS.md")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(BINARY), "-m", str(starter_model), "--host", "127.0.0.1", "--port", str(port),
                                 "-c", "8192", "--parallel", "4", "-t", "2", "--alias", "starter"],
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _doc(tmp_path: Path, n: int) -> Document:
    texts = ["The office is closed on Monday.", "Call the hotline for enquiries.", "Libraries open at nine.",
             "Fees will rise next year.", "Parks close at eleven.", "Pools reopen in April."]
    blocks = [Block(f"para:{i + 1}", BlockKind.PARAGRAPH, texts[i % len(texts)]) for i in range(n)]
    return Document(path=tmp_path / "notice.txt", format="txt", blocks=blocks)


def test_server_facts(slots_server: str) -> None:
    engine = RemoteEngine(slots_server, api_key="", parallel_requests=8)
    facts = engine.facts()
    assert (facts.kind, facts.slots, facts.context) == ("llama.cpp", 4, 2048)  # 8192 shared by 4 slots
    assert engine.parallel_requests == 4 and engine.counter.exact


def test_translation_uses_the_slots_and_keeps_order(slots_server: str, tmp_path: Path) -> None:
    with FaultProxy(slots_server) as proxy:
        engine = RemoteEngine(proxy.url, api_key="", parallel_requests=4)
        events = list(translate_document(_doc(tmp_path, 6), engine, "zh-HK", tmp_path / "out.docx", CancelToken()))
        assert proxy.peak >= 2  # requests really overlapped
    anchors = [e.anchor for e in events if isinstance(e, Token)]
    assert anchors == sorted(anchors, key=lambda a: int(a.split(":")[1]))  # blocks stream in document order
    assert [e.done for e in events if isinstance(e, Progress)] == list(range(7))
    assert isinstance(events[-1], Result) and (tmp_path / "out.docx").is_file()


def test_one_cancel_stops_every_request(slots_server: str, tmp_path: Path) -> None:
    with FaultProxy(slots_server) as proxy:
        engine = RemoteEngine(proxy.url, api_key="", parallel_requests=4)
        cancel = CancelToken()
        doc = _doc(tmp_path, 8)
        outcome: list[BaseException] = []

        def run() -> None:
            try:
                list(translate_document(doc, engine, "zh-HK", tmp_path / "out.docx", cancel))
            except Cancelled as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 60
        while proxy.in_flight < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proxy.in_flight >= 2
        t = time.monotonic()
        cancel.cancel()
        worker.join(10)
        assert not worker.is_alive() and outcome and time.monotonic() - t < 2
        end = time.monotonic() + 5
        while proxy.in_flight and time.monotonic() < end:
            time.sleep(0.05)
        assert proxy.in_flight == 0  # every request was dropped, none left generating
        assert not (tmp_path / "out.docx").exists()
