"""Installer defaults, Group Policy from the registry, machine keys, the update-check switch."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from hkpilot import paths
from hkpilot.app.updates import update_url
from hkpilot.config import machine
from hkpilot.config.settings import InstallerDefaults, Policy, Settings
from hkpilot.errors import PolicyRefused


def _fake_winreg(tree: dict[str, dict[str, Any]]) -> types.SimpleNamespace:
    """A stand-in for the ``winreg`` module over {key path: {value name: value}} (HKLM only)."""

    class Handle:
        def __init__(self, values: dict[str, Any]) -> None:
            self.items = list(values.items())

    def open_key(hive: int, key: str, reserved: int, access: int) -> Handle:
        assert hive == 0x80000002 and access & 0x0100  # HKLM, 64-bit view
        if key not in tree:
            raise FileNotFoundError(key)
        return Handle(tree[key])

    def enum_value(handle: Handle, index: int) -> tuple[str, Any, int]:
        if index >= len(handle.items):
            raise OSError("no more data")
        name, value = handle.items[index]
        return name, value, 1

    return types.SimpleNamespace(
        HKEY_LOCAL_MACHINE=0x80000002, KEY_READ=0x20019, KEY_WOW64_64KEY=0x0100,
        OpenKey=open_key, EnumValue=enum_value, CloseKey=lambda handle: None,
    )


def test_installer_defaults_sit_between_schema_and_user(_temp_home: Path) -> None:
    (_temp_home / "defaults.toml").write_text(
        '"engine.kind" = "server"\n"server.url" = "https://llm.dept.example/v1"\n"local.n_ctx" = 2048\n'
        '"models.shared_dir" = "/srv/models"\n"bogus.key" = 1\n"server.model" = ""\n',
        encoding="utf-8",
    )
    s = Settings()
    assert s.get("engine.kind") == "server" and s.origin("engine.kind") == "installer"
    assert s.get("server.model") == "" and s.origin("server.model") == "default"  # an empty MSI property is no value
    assert s.machine_value("models.shared_dir") == "/srv/models"
    s.set("engine.kind", "local")  # not a lock: the user may change it
    s.save()
    again = Settings()
    assert again.get("engine.kind") == "local" and again.origin("engine.kind") == "user"
    assert again.origin("server.url") == "installer"


def test_policy_beats_installer_defaults(_temp_home: Path) -> None:
    (_temp_home / "defaults.toml").write_text('"local.n_ctx" = 2048\n"generation.temperature" = 0.5\n', encoding="utf-8")
    (_temp_home / "policy.toml").write_text('[defaults]\n"local.n_ctx" = 4096\n[locked]\n"generation.temperature" = 0.1\n',
                                            encoding="utf-8")
    s = Settings()
    assert (s.get("local.n_ctx"), s.origin("local.n_ctx")) == (4096, "policy-default")
    assert (s.get("generation.temperature"), s.origin("generation.temperature")) == (0.1, "policy")


def test_invalid_installer_default_is_ignored(_temp_home: Path) -> None:
    (_temp_home / "defaults.toml").write_text('"engine.kind" = "cloud"\n', encoding="utf-8")
    assert InstallerDefaults.load().values == {}
    assert Settings().get("engine.kind") == "local"


def test_registry_values_read_from_hklm_and_empty_dropped() -> None:
    reg = _fake_winreg({machine.DEFAULTS_KEY: {"engine.kind": "server", "server.url": "  ", "local.n_ctx": 4096}})
    assert machine.read_registry_values(machine.DEFAULTS_KEY, reg) == {"engine.kind": "server", "local.n_ctx": 4096}
    assert machine.read_registry_values(r"SOFTWARE\Nothing", reg) == {}


def test_registry_not_read_off_windows() -> None:
    assert machine.read_registry_values(machine.POLICY_KEY) == {}


def test_group_policy_locks_and_recommends(monkeypatch: pytest.MonkeyPatch, _temp_home: Path) -> None:
    reg = _fake_winreg({
        machine.POLICY_KEY: {"engine.kind": "server", "update.url": "https://intranet/hkpilot.json", "local.n_ctx": 4096},
        machine.RECOMMENDED_KEY: {"generation.max_tokens": 512},
    })
    (_temp_home / "policy.toml").write_text('[locked]\n"engine.kind" = "local"\n"server.model" = "m"\n', encoding="utf-8")
    original = machine.registry_policy_raw
    monkeypatch.setattr(machine, "registry_policy_raw", lambda: original(reg))
    s = Settings()
    assert s.policy.registry
    assert s.get("engine.kind") == "server"  # Group Policy wins over the policy file
    assert s.get("server.model") == "m" and s.is_locked("server.model")  # the file still counts
    assert s.get("local.n_ctx") == 4096 and s.is_locked("local.n_ctx")  # a REG_DWORD
    assert s.get("generation.max_tokens") == 512 and not s.is_locked("generation.max_tokens")
    assert s.policy.extra["update.url"] == "https://intranet/hkpilot.json"
    with pytest.raises(PolicyRefused):
        s.set("engine.kind", "local")


def test_shared_models_dir(_temp_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert machine.shared_models_dir({}, {}) == _temp_home / "machine" / "models"
    assert machine.shared_models_dir({}, {"models.shared_dir": "/opt/m"}) == Path("/opt/m")
    monkeypatch.setenv("MODELROOT", "/data")
    policy, installer = {"models.shared_dir": "$MODELROOT/llm"}, {"models.shared_dir": "/opt/m"}
    assert machine.shared_models_dir(policy, installer) == Path("/data/llm")
    monkeypatch.delenv("HKPILOT_HOME")
    expected = Path("/var/lib/hkpilot/models")
    assert machine.shared_models_dir({}, {}) == expected


def test_update_check_needs_policy_url_and_obeys_the_switch(_temp_home: Path) -> None:
    assert update_url(Settings()) is None  # nothing named: nothing is ever requested
    (_temp_home / "defaults.toml").write_text('"update.url" = "https://installer.example/x.json"\n', encoding="utf-8")
    assert update_url(Settings()) is None  # only policy names the address
    (_temp_home / "policy.toml").write_text('"update.url" = "https://intranet/hkpilot.json"\n', encoding="utf-8")
    assert update_url(Settings()) == "https://intranet/hkpilot.json"
    (_temp_home / "defaults.toml").write_text('"update.disabled" = "1"\n', encoding="utf-8")  # DISABLEUPDATECHECK=1
    assert update_url(Settings()) is None


def test_defaults_file_locations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HKPILOT_DEFAULTS", str(tmp_path / "d.toml"))
    assert machine.defaults_file() == tmp_path / "d.toml"
    monkeypatch.delenv("HKPILOT_DEFAULTS")
    monkeypatch.delenv("HKPILOT_HOME")
    assert machine.defaults_file() == Path("/etc/hkpilot/defaults.toml")
    assert Path("/etc/hkpilot/policy.toml") in paths.policy_files()


def test_policy_load_without_anything_is_empty() -> None:
    p = Policy.load()
    assert (p.locked, p.defaults, p.extra, p.registry) == ({}, {}, {}, False)


def test_security_policy_keys_from_group_policy(monkeypatch: pytest.MonkeyPatch, _temp_home: Path) -> None:
    """The keys of issue 9 in their registry forms: REG_SZ, REG_DWORD 0/1, REG_MULTI_SZ and a subkey table."""
    from hkpilot.app.classification import load_scheme
    from hkpilot.config.security import SecurityPolicy
    from hkpilot.engines.http_client import config_from_settings

    digest = "ab" * 32
    reg = _fake_winreg({
        machine.POLICY_KEY: {
            "network": "none", "server_max_classification": "RESTRICTED", "local_max_classification": "SECRET",
            "classification_allow_lower": 1, "audit_log": 1, "output_label": 1, "recovery": 0,
            "allowed_model_sha256": [digest.upper(), "", "  "],  # REG_MULTI_SZ, blank lines dropped
            "classification_markings": ["OPEN | 公開 |", "", "PROTECTED | 受保護 | PROTECTED; 受保護",
                                        "STAFF IN CONFIDENCE | 人事保密 | STAFF IN CONFIDENCE；人事保密"],
            "server.url": "http://127.0.0.1:9",
        },
        machine.POLICY_KEY + r"\server.headers": {"X-Dept": "EDB"},
    })
    original = machine.registry_policy_raw
    monkeypatch.setattr(machine, "registry_policy_raw", lambda: original(reg))
    s = Settings()
    pol = SecurityPolicy.of(s)
    assert (pol.network, pol.server_max, pol.local_max, pol.allow_lower) == ("none", "RESTRICTED", "SECRET", True)
    assert pol.allowed_model_sha256 == frozenset({digest})
    assert pol.audit_log == paths.data_dir() / "audit" / "audit.jsonl" and pol.output_label == "default"
    assert pol.recovery is False
    scheme = load_scheme(pol)
    assert [lv.name for lv in scheme.levels] == ["OPEN", "PROTECTED", "STAFF IN CONFIDENCE"]
    assert scheme.levels[2].markings == ("STAFF IN CONFIDENCE", "人事保密") and scheme.levels[1].zh == "受保護"
    assert config_from_settings(s).headers.get("X-Dept") == "EDB"  # the subkey is the [server.headers] table
    off = _fake_winreg({machine.POLICY_KEY: {"audit_log": 0, "output_label": 0, "classification_allow_lower": 0}})
    monkeypatch.setattr(machine, "registry_policy_raw", lambda: original(off))
    pol = SecurityPolicy.of(Settings())
    assert (pol.audit_log, pol.output_label, pol.allow_lower) == (None, "", False)
