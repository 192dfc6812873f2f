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
the same in the registry, the TOML files and ``--set``. Lists (a TOML array) are
``REG_MULTI_SZ`` values, one item a line; tables (``[server.headers]``) are a subkey of
the same name whose values are the table's entries. This module only reads raw values;
``settings.py`` and the features check and convert them. Nothing here imports Qt.
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
    type: type  # str, bool, int, float; list: REG_MULTI_SZ; dict: a subkey of name = value entries
    label: str
    explain: str
    choices: tuple[str, ...] = ()
    default: Any = None  # what HKPilot does when the key is not set (shown by the templates)


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
        list,
        N_("Allowed models"),
        N_("File names or SHA-256 digests of the models users may choose, one a line (or one string separated by "
           "commas). Empty: any model."),
    ),
    MachineKey(
        "allowed_model_sha256",
        list,
        N_("Allowed model digests (checked before loading)"),
        N_("SHA-256 digests, one a line (or one string separated by commas), that a model file must match before "
           "it is loaded."),
    ),
    MachineKey(
        "glossary.default",
        list,
        N_("Department glossary"),
        N_("Glossary files (.xlsx, .csv, .tbx or .tmx), one a line, every translation uses unless the user chooses "
           "others."),
    ),
    MachineKey(
        "server.max_parallel",
        int,
        N_("Most requests sent to the server at once"),
        N_("Upper limit for the users' setting of parallel requests to the inference server."),
    ),
    MachineKey(
        "server.retry_after_cap",
        float,
        N_("Longest wait a busy server may ask for (s)"),
        N_("A server's Retry-After longer than this many seconds is cut to it."),
        default=30.0,
    ),
    MachineKey(
        "server.headers",
        dict,
        N_("HTTP headers sent to the server"),
        N_("Header names and values added to every request to the inference server (the [server.headers] table "
           "of the policy file)."),
    ),
    # Secure networks (config/security.py, docs/SECURITY.md).
    MachineKey(
        "network",
        str,
        N_("Network use"),
        N_("none: this computer only (loopback), any other connection is refused. server: only the inference "
           "server, its proxy and the update address. any: no restriction."),
        choices=("none", "server", "any"),
        default="server",
    ),
    MachineKey(
        "server_max_classification",
        str,
        N_("Highest classification sent to the server"),
        N_("The highest security level (e.g. RESTRICTED) a document may have to be sent to the inference server. "
           "Empty: no limit."),
    ),
    MachineKey(
        "local_max_classification",
        str,
        N_("Highest classification for the local model"),
        N_("The highest security level a document may have to be given to the local model. Empty: no limit."),
    ),
    MachineKey(
        "classification_allow_lower",
        bool,
        N_("Users may lower a detected classification"),
        N_("Lets users set a lower security level than the marking found on a document. Raising is always "
           "allowed."),
        default=False,
    ),
    MachineKey(
        "classification_markings",
        list,
        N_("Classification levels and markings"),
        N_("Replaces the built-in security levels, lowest first, one a line: NAME | Chinese name | marking; "
           "marking (e.g. RESTRICTED | 限閱文件 | RESTRICTED; 限閱)."),
    ),
    MachineKey(
        "audit_log",
        str,
        N_("Audit trail"),
        N_("1: keep a hash-chained audit log of jobs in the data folder; or the path of the log file. Empty or 0: "
           "no audit log."),
    ),
    MachineKey(
        "output_label",
        str,
        N_("Label on machine-made outputs"),
        N_("1: put the built-in label (\"Machine translation — for reference only\") in the header of every output; "
           "or the label's own text. Empty or 0: no label."),
    ),
    MachineKey(
        "recovery",
        bool,
        N_("Keep crash copies and autosaves"),
        N_("Off: drafts are not autosaved and no crash copies are written to disk."),
        default=True,
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

    Empty strings are dropped: an MSI property left unset is written as an empty value. A
    ``REG_MULTI_SZ`` comes back as a list of its non-blank lines.
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
            elif isinstance(value, list):  # REG_MULTI_SZ: blank lines are no items
                value = [str(v).strip() for v in value if str(v).strip()]
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
    locked = read_registry_values(POLICY_KEY, winreg)
    for m in MACHINE_KEYS:
        if m.type is dict:  # a table: the subkey of that name, e.g. ...\HKPilot\server.headers
            for name, value in read_registry_values(f"{POLICY_KEY}\\{m.key}", winreg).items():
                locked[f"{m.key}.{name}"] = value
    return locked, read_registry_values(RECOMMENDED_KEY, winreg)


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
