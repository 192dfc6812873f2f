"""``hkpilot check-update`` against a real HTTP server on loopback, named by policy."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hkpilot.app.updates import check_for_update
from hkpilot.cli import main
from hkpilot.config.settings import Settings


@pytest.fixture
def announce() -> Iterator[tuple[str, list[str], dict[str, str]]]:
    """A loopback server answering /latest.json with ``state['body']``; yields (base URL, requests seen, state)."""
    seen: list[str] = []
    state = {"body": "{}"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            data = state["body"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen, state
    finally:
        server.shutdown()
        server.server_close()


def test_update_check_only_when_policy_names_the_address(
    announce: tuple[str, list[str], dict[str, str]], _temp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, seen, state = announce
    state["body"] = json.dumps({"version": "9.0.0", "url": "https://intranet/HKPilot-9.0.0.msi"})
    assert main(["check-update"]) == 0
    assert "no update check" in capsys.readouterr().out and seen == []  # nothing named: nothing requested

    (_temp_home / "policy.toml").write_text(f'"update.url" = "{base}/latest.json"\n', encoding="utf-8")
    assert main(["check-update"]) == 0
    out = capsys.readouterr().out
    assert "HKPilot 9.0.0 is available: https://intranet/HKPilot-9.0.0.msi" in out and seen == ["/latest.json"]

    state["body"] = json.dumps({"version": "0.0.1"})
    assert check_for_update(Settings()) is None  # older than this version
    state["body"] = "not json"
    assert check_for_update(Settings()) is None  # a broken answer is no update, not a crash

    (_temp_home / "defaults.toml").write_text('"update.disabled" = "1"\n', encoding="utf-8")  # DISABLEUPDATECHECK=1
    before = len(seen)
    assert main(["check-update"]) == 0
    assert len(seen) == before
