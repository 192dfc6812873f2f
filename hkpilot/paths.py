"""Per-user and machine-wide folders (platformdirs), overridable for tests.

``HKPILOT_HOME`` puts every per-user folder under one base folder (the tests' temp
base dir, a portable install); ``HKPILOT_POLICY_FILE`` (or its older name
``HKPILOT_POLICY``) names the policy file directly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP = "hkpilot"


def _home() -> Path | None:
    base = os.environ.get("HKPILOT_HOME")
    return Path(base) if base else None


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def config_dir() -> Path:
    home = _home()
    return _ensure(home / "config" if home else Path(platformdirs.user_config_dir(APP, False)))


def data_dir() -> Path:
    home = _home()
    return _ensure(home / "data" if home else Path(platformdirs.user_data_dir(APP, False)))


def models_dir() -> Path:
    return _ensure(data_dir() / "models")


def cache_dir() -> Path:
    home = _home()
    return _ensure(home / "cache" if home else Path(platformdirs.user_cache_dir(APP, False)))


def log_dir() -> Path:
    home = _home()
    return _ensure(home / "logs" if home else Path(platformdirs.user_log_dir(APP, False)))


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def policy_files() -> list[Path]:
    """Candidate machine-wide policy files, the first existing one wins."""
    explicit = policy_file_override()
    if explicit:
        return [Path(explicit)]
    if _home():
        return [_home() / "policy.toml"]  # type: ignore[operator]
    candidates = [Path(platformdirs.site_config_dir(APP, False)) / "policy.toml"]
    if sys.platform.startswith("linux"):
        candidates.insert(0, Path("/etc/hkpilot/policy.toml"))
    return candidates


def policy_file_override() -> str:
    """The policy file named by ``HKPILOT_POLICY_FILE`` (or ``HKPILOT_POLICY``), "" when none."""
    return os.environ.get("HKPILOT_POLICY_FILE") or os.environ.get("HKPILOT_POLICY") or ""
