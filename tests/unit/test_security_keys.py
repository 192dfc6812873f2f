"""API keys: only in the OS keyring, read from a prompt or stdin, never from argv or settings files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

from hkpilot.cli import build_parser, main
from hkpilot.config import secrets

KEY = "sk-canary-5e1f0c"
URL = "http://127.0.0.1:9"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)
    secrets._session_keys.clear()


def _set_key(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))
    return main(["server", "set-key", "--server-url", URL])


def _files(home: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in home.rglob("*") if p.is_file())


def test_set_key_goes_to_the_keyring_only(restore_keyring: None, monkeypatch: pytest.MonkeyPatch, _temp_home: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    assert _set_key(monkeypatch, KEY) == 0
    assert backend.store == {("hkpilot", URL): KEY}
    assert secrets.get_api_key(URL) == KEY
    assert KEY not in capsys.readouterr().out
    assert KEY not in _files(_temp_home)  # settings, logs: nowhere on disk
    assert _set_key(monkeypatch, "") == 0 and backend.store == {}  # an empty key removes it


def test_no_keyring_names_the_environment_route(restore_keyring: None, monkeypatch: pytest.MonkeyPatch,
                                                _temp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keyring.set_keyring(fail.Keyring())  # what headless Linux gets
    assert _set_key(monkeypatch, KEY) == 4
    err = capsys.readouterr().err
    assert "HKPILOT_API_KEY" in err and "keyring" in err and KEY not in err
    assert KEY not in _files(_temp_home)


def test_no_key_on_the_command_line() -> None:
    parser = build_parser()
    dests = {a.dest for sub in parser._subparsers._group_actions for p in sub.choices.values() for a in p._actions}  # type: ignore[union-attr]
    assert dests and not any("key" in d or "token" in d for d in dests)
    assert main(["server", "check", "--api-key", KEY]) == 2
    assert main(["server", "check", "--set", f"server.api_key={KEY}"]) == 2  # no such setting either
