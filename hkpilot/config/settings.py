"""User settings in a TOML file, with a machine-wide policy that overrides and locks keys.

Policy file (``/etc/hkpilot/policy.toml`` or the platform's site config folder)::

    [locked]            # values users cannot change
    engine.kind = "local"
    [defaults]          # administrator defaults users may change
    "local.n_ctx" = 4096

Top-level keys outside those tables are treated as locked too. On Windows, Group Policy
(``HKLM\\SOFTWARE\\Policies\\HKPilot``) adds to the file and wins over it; installer defaults
(MSI properties, ``/etc/hkpilot/defaults.toml``) come before the user's own values.
See ``config/machine.py``.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot import paths
from hkpilot.atomic import atomic_write_text
from hkpilot.config import machine
from hkpilot.config.schema import BY_KEY, OPTIONS, SCHEMA_VERSION, Option
from hkpilot.errors import PolicyRefused, UsageError
from hkpilot.i18n import N_

log = logging.getLogger(__name__)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, v in table.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            flat.update(_flatten(v, key + "."))
        else:
            flat[key] = v
    return flat


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("ignoring unreadable settings file %s: %s", path, type(exc).__name__)
        return {}


def coerce(option: Option, value: Any) -> Any:
    """``value`` converted to the option's type and checked, or UsageError."""
    try:
        if option.type is bool:
            v: Any = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
        elif option.type is int:
            v = int(value)
        elif option.type is float:
            v = float(value)
        else:
            v = str(value)
    except (TypeError, ValueError) as exc:
        raise UsageError(detail=f"{option.key}={value!r}") from exc
    if option.choices and v not in option.choices:
        raise UsageError(detail=f"{option.key}={v!r} ({'/'.join(c or '-' for c in option.choices)})")
    if option.minimum is not None and v < option.minimum:
        raise UsageError(detail=f"{option.key} < {option.minimum}")
    if option.maximum is not None and v > option.maximum:
        raise UsageError(detail=f"{option.key} > {option.maximum}")
    return v


@dataclass
class Policy:
    locked: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys later features read (catalogue, caps)
    source: Path | None = None
    registry: bool = False  # Group Policy values were found (Windows)

    @classmethod
    def load(cls) -> Policy:
        pol = cls()
        for path in paths.policy_files():
            if path.is_file():
                data = _read_toml(path)
                pol.source = path
                pol._add(_flatten(data.pop("locked", {})), _flatten(data.pop("defaults", {})), _flatten(data))
                log.info("policy loaded from %s (%d locked keys)", path, len(pol.locked))
                break
        locked, recommended = machine.registry_policy_raw()
        if locked or recommended:  # Group Policy wins over the file, key by key
            pol.registry = True
            pol._add(locked, recommended, {})
            log.info("Group Policy: %d values, %d recommended", len(locked), len(recommended))
        return pol

    def _add(self, locked: dict[str, Any], defaults: dict[str, Any], loose: dict[str, Any]) -> None:
        locked = dict(locked)
        for k, v in loose.items():
            (locked if k in BY_KEY else self.extra)[k] = v
        for k, v in locked.items():
            if k in BY_KEY:
                self.locked[k] = coerce(BY_KEY[k], v)
            else:
                self.extra[k] = v  # machine keys (config/machine.py) and those other features read
        for k, v in defaults.items():
            if k in BY_KEY:
                self.defaults[k] = coerce(BY_KEY[k], v)


@dataclass
class InstallerDefaults:
    """Values the installer wrote (MSI properties, the .deb's defaults.toml); users may change them."""

    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # machine keys (models.shared_dir, update.*)
    source: str = ""

    @classmethod
    def load(cls) -> InstallerDefaults:
        raw, source = machine.installer_defaults_raw()
        out = cls(source=source)
        for k, v in raw.items():
            if k in BY_KEY:
                try:
                    out.values[k] = coerce(BY_KEY[k], v)
                except UsageError:
                    log.warning("ignoring invalid installer default %s", k)
            elif k in machine.MACHINE_BY_KEY:
                out.extra[k] = v
        return out


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older settings file up to SCHEMA_VERSION (ordered migrations go here)."""
    data["schema_version"] = SCHEMA_VERSION
    return data


class Settings:
    """Effective settings: schema defaults < installer defaults < policy defaults < user file < policy locks."""

    def __init__(
        self, path: Path | None = None, policy: Policy | None = None, installer: InstallerDefaults | None = None
    ) -> None:
        self.path = path or paths.settings_file()
        self.policy = policy if policy is not None else Policy.load()
        self.installer = installer if installer is not None else InstallerDefaults.load()
        raw = _migrate(_flatten(_read_toml(self.path)))
        self._user: dict[str, Any] = {}
        for k, v in raw.items():
            if k in BY_KEY:
                try:
                    self._user[k] = coerce(BY_KEY[k], v)
                except UsageError:
                    log.warning("ignoring invalid setting %s", k)

    def get(self, key: str) -> Any:
        if key in self.policy.locked:
            return self.policy.locked[key]
        if key in self._user:
            return self._user[key]
        if key in self.policy.defaults:
            return self.policy.defaults[key]
        if key in self.installer.values:
            return self.installer.values[key]
        return BY_KEY[key].default

    def origin(self, key: str) -> str:
        """Where ``get(key)`` comes from: policy, user, policy-default, installer or default."""
        for name, table in (
            ("policy", self.policy.locked),
            ("user", self._user),
            ("policy-default", self.policy.defaults),
            ("installer", self.installer.values),
        ):
            if key in table:
                return name
        return "default"

    def machine_value(self, key: str) -> Any:
        """A machine key (``config/machine.py``): policy first, then the installer's value."""
        for table in (self.policy.extra, self.installer.extra):
            if key in table:
                return table[key]
        return None

    def is_locked(self, key: str) -> bool:
        return key in self.policy.locked

    def set(self, key: str, value: Any) -> None:
        option = BY_KEY.get(key)
        if option is None:
            raise UsageError(detail=key)
        if self.is_locked(key):
            raise PolicyRefused(N_("The setting {key} is set by your administrator."), key=key)
        self._user[key] = coerce(option, value)

    def as_dict(self) -> dict[str, Any]:
        return {o.key: self.get(o.key) for o in OPTIONS}

    def save(self) -> None:
        """Write the user's own values (not policy ones) atomically."""
        tables: dict[str, dict[str, Any]] = {}
        for key, value in sorted(self._user.items()):
            section, _, name = key.partition(".")
            tables.setdefault(section, {})[name] = value
        lines = [f"schema_version = {SCHEMA_VERSION}", ""]
        for section, values in tables.items():
            lines.append(f"[{section}]")
            lines.extend(f"{name} = {_toml_value(v)}" for name, v in values.items())
            lines.append("")
        atomic_write_text(self.path, "\n".join(lines))


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'
