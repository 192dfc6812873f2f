"""Machine-wide configuration written by administrators: installer defaults and policy.

Where each comes from:

- **Installer defaults** (users may change them): on Windows the MSI writes
  ``HKLM\\SOFTWARE\\HKPilot\\Defaults`` from its public properties (``ENGINE=server``...);
  on Linux the .deb ships ``/etc/hkpilot/defaults.toml`` as a conffile. ``HKPILOT_DEFAULTS``
  names the file directly; under ``HKPILOT_HOME`` it is ``defaults.toml`` there.
- **Group Policy** (Windows): ``HKLM\\SOFTWARE\\Policies\\HKPilot`` holds locked values and
  its ``Recommended`` subkey administrator defaults, as Chrome's policies do. The policy
  file (``settings.Policy``) does the same elsewhere; registry values win over it.

Registry value names are the setting keys themselves (``engine.kind``), so a value means
the same in the registry, the TOML files and ``--set``. This module only reads raw
values; ``settings.py`` checks and converts them. Nothing here imports Qt.
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import platformdirs

from hkpilot import paths
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

POLICY_KEY = r"SOFTWARE\Policies\HKPilot"
RECOMMENDED_KEY = POLICY_KEY + r"\Recommended"
DEFAULTS_KEY = r"SOFTWARE\HKPilot\Defaults"


@dataclass(frozen=True)
class MachineKey:
    """A key that only administrators set (not a user setting): policy or installer."""

    key: str
    type: type
    label: str
    explain: str


MACHINE_KEYS: tuple[MachineKey, ...] = (
    MachineKey(
        "models.shared_dir",
        str,
        N_("Machine-wide models folder"),
        N_("Folder readable by all users where administrators put models (hkpilot models import --machine)."),
    ),
    MachineKey(
        "update.url",
        str,
        N_("Update check address (internal)"),
        N_("Internal web address of a JSON file naming the latest version. Empty: no update check."),
    ),
    MachineKey(
        "update.disabled",
        bool,
        N_("Turn off the update check"),
        N_("No update check even when an address is set (the MSI property DISABLEUPDATECHECK=1)."),
    ),
    # Keys other features read from policy (app/model_list.py, tasks/glossary.py, engines/http_client.py);
    # listed here so that the Group Policy templates offer them too.
    MachineKey(
        "models.allowed",
        str,
        N_("Allowed models"),
        N_("File names or SHA-256 digests of the models users may choose, separated by commas. Empty: any model."),
    ),
    MachineKey(
        "allowed_model_sha256",
        str,
        N_("Allowed model digests (checked before loading)"),
        N_("SHA-256 digests, separated by commas, that a model file must match before it is loaded."),
    ),
    MachineKey(
        "glossary.default",
        str,
        N_("Department glossary"),
        N_("Glossary file (.xlsx, .csv, .tbx or .tmx) every translation uses unless the user chooses another."),
    ),
    MachineKey(
        "server.max_parallel",
        int,
        N_("Most requests sent to the server at once"),
        N_("Upper limit for the users' setting of parallel requests to the inference server."),
    ),
)
MACHINE_BY_KEY: dict[str, MachineKey] = {k.key: k for k in MACHINE_KEYS}

# MSI public property -> value name under HKLM\SOFTWARE\HKPilot\Defaults.
MSI_PROPERTIES: dict[str, str] = {
    "ENGINE": "engine.kind",
    "SERVERURL": "server.url",
    "SERVERMODEL": "server.model",
    "MODEL": "local.model_path",
    "MODELDIR": "models.shared_dir",
    "UILANGUAGE": "ui.language",
    "DISABLEUPDATECHECK": "update.disabled",
}


def read_registry_values(key: str, winreg: ModuleType | None = None) -> dict[str, Any]:
    """Values of ``HKLM\\<key>`` (64-bit view) by name; {} off Windows or when the key is absent.

    Empty strings are dropped: an MSI property left unset is written as an empty value.
    """
    if winreg is None:
        if sys.platform != "win32":
            return {}
        import winreg as _winreg

        winreg = _winreg
    try:
        handle = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)
    except OSError:
        return {}
    values: dict[str, Any] = {}
    try:
        index = 0
        while True:
            try:
                name, value, _kind = winreg.EnumValue(handle, index)
            except OSError:
                break  # no more values
            index += 1
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            values[str(name)] = value
    finally:
        winreg.CloseKey(handle)
    return values


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("ignoring unreadable defaults file %s: %s", path, type(exc).__name__)
        return {}
    flat: dict[str, Any] = {}

    def walk(table: dict[str, Any], prefix: str) -> None:
        for k, v in table.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}{k}.")
            elif not (isinstance(v, str) and not v.strip()):
                flat[f"{prefix}{k}"] = v

    walk(data, "")
    return flat


def defaults_file() -> Path | None:
    """The installer-defaults file for this platform (None on Windows, which uses the registry)."""
    explicit = os.environ.get("HKPILOT_DEFAULTS")
    if explicit:
        return Path(explicit)
    home = os.environ.get("HKPILOT_HOME")
    if home:
        return Path(home) / "defaults.toml"
    if sys.platform == "win32":
        return None
    if sys.platform.startswith("linux"):
        return Path("/etc/hkpilot/defaults.toml")
    return Path(platformdirs.site_config_dir(paths.APP, False)) / "defaults.toml"


def installer_defaults_raw(winreg: ModuleType | None = None) -> tuple[dict[str, Any], str]:
    """Raw installer defaults and where they were read from ("" when none)."""
    path = defaults_file()
    if path is not None:
        values = _read_toml(path)
        return values, str(path) if values else ""
    values = read_registry_values(DEFAULTS_KEY, winreg)
    return values, ("HKLM\\" + DEFAULTS_KEY) if values else ""


def registry_policy_raw(winreg: ModuleType | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Group Policy values: (locked, recommended); both {} off Windows or under ``HKPILOT_HOME``."""
    if winreg is None and os.environ.get("HKPILOT_HOME"):
        return {}, {}  # tests and portable runs (one base folder for everything) never read the machine's policy
    return read_registry_values(POLICY_KEY, winreg), read_registry_values(RECOMMENDED_KEY, winreg)


def as_bool(value: Any) -> bool:
    """A policy flag from TOML (true), the registry (1) or text ("yes")."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def shared_models_dir(policy_extra: dict[str, Any], installer_extra: dict[str, Any]) -> Path:
    """The machine-wide models folder: policy, else installer default, else the platform's."""
    for source in (policy_extra, installer_extra):
        value = str(source.get("models.shared_dir") or "").strip()
        if value:
            return Path(os.path.expandvars(value)).expanduser()
    home = os.environ.get("HKPILOT_HOME")
    if home:
        return Path(home) / "machine" / "models"
    if sys.platform == "win32":
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / "HKPilot" / "models"
    if sys.platform.startswith("linux"):
        return Path("/var/lib/hkpilot/models")
    return Path(platformdirs.site_data_dir(paths.APP, False)) / "models"
