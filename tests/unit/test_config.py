"""Settings file, policy locks and defaults, secrets fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hkpilot import paths
from hkpilot.config import secrets
from hkpilot.config.settings import Policy, Settings
from hkpilot.errors import PolicyRefused, UsageError


def test_defaults_and_round_trip(tmp_path: Path) -> None:
    s = Settings()
    assert s.get("engine.kind") == "local"
    s.set("local.n_ctx", "4096")
    s.set("server.url", 'http://host:8000/"v1"')
    s.save()
    again = Settings()
    assert again.get("local.n_ctx") == 4096
    assert again.get("server.url") == 'http://host:8000/"v1"'
    assert paths.settings_file().read_text().startswith("schema_version")


def test_invalid_values_refused() -> None:
    s = Settings()
    with pytest.raises(UsageError):
        s.set("engine.kind", "cloud")
    with pytest.raises(UsageError):
        s.set("local.n_ctx", "12")
    with pytest.raises(UsageError):
        s.set("no.such.key", "1")


def test_policy_locks_and_defaults(_temp_home: Path) -> None:
    (_temp_home / "policy.toml").write_text(
        'network = "none"\n'
        '[locked]\n"engine.kind" = "server"\n"server.url" = "https://llm.dept.gov.hk"\n'
        '[defaults]\n"local.n_ctx" = 2048\n',
        encoding="utf-8",
    )
    paths.settings_file().write_text('[engine]\nkind = "local"\n[local]\nn_ctx = 4096\n', encoding="utf-8")
    s = Settings()
    assert s.get("engine.kind") == "server"  # the lock beats the user's file
    assert s.is_locked("engine.kind") and not s.is_locked("local.n_ctx")
    assert s.get("local.n_ctx") == 4096  # the user's value beats an admin default
    with pytest.raises(PolicyRefused) as err:
        s.set("engine.kind", "local")
    assert err.value.exit_code == 5
    assert s.policy.extra == {"network": "none"}


def test_policy_default_applies_without_user_value(_temp_home: Path) -> None:
    (_temp_home / "policy.toml").write_text('[defaults]\n"local.n_ctx" = 2048\n', encoding="utf-8")
    assert Settings().get("local.n_ctx") == 2048


def test_broken_settings_file_is_ignored() -> None:
    paths.settings_file().write_text("this is [not toml", encoding="utf-8")
    assert Settings().get("engine.kind") == "local"


def test_policy_file_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pol = tmp_path / "p.toml"
    pol.write_text('"generation.temperature" = 0.0\n', encoding="utf-8")
    monkeypatch.setenv("HKPILOT_POLICY", str(pol))
    p = Policy.load()
    assert p.locked == {"generation.temperature": 0.0} and p.source == pol


def test_api_key_from_env_and_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HKPILOT_API_KEY", "env-key")
    assert secrets.get_api_key("http://x") == "env-key"
    monkeypatch.delenv("HKPILOT_API_KEY")

    class Failing:
        def __getattr__(self, name: str) -> object:
            raise RuntimeError("no backend")

    monkeypatch.setitem(__import__("sys").modules, "keyring", Failing())
    with pytest.raises(secrets.KeyringUnavailable):
        secrets.set_api_key("http://y", "session-key")
    assert secrets.get_api_key("http://y") == "session-key"
    assert "session-key" not in paths.settings_file().read_text() if paths.settings_file().exists() else True
