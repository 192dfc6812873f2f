"""The security keys of the machine policy, read once and typed.

Administrators set these top-level keys in the policy file (``HKPILOT_POLICY_FILE``, or
the site config folder; see ``docs/SECURITY.md``)::

    network = "none"                       # "none": loopback only; "server" (default); "any"
    server_max_classification = "RESTRICTED"
    local_max_classification = "TOP SECRET"
    classification_allow_lower = false     # may a user lower a detected marking?
    allowed_model_sha256 = ["1d9614..."]   # only these model files are ever loaded
    audit_log = true                       # or a path; hash-chained JSON lines
    output_label = true                    # or the label's own text
    recovery = true                        # false: no crash copies or autosaves on disk

A value that cannot be understood fails closed: the strictest reading is taken and a
warning is logged (never the value itself when it could be a secret).

On Windows the same keys are values under ``HKLM\\SOFTWARE\\Policies\\HKPilot`` (the ADMX
templates offer them): flags and ``audit_log``/``output_label`` as ``REG_DWORD`` 0/1 or
``REG_SZ``; ``allowed_model_sha256`` and ``classification_markings`` as ``REG_MULTI_SZ``
(one digest, or one level ``NAME | Chinese name | marking; marking``, a line).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot import paths

log = logging.getLogger(__name__)

NETWORK_NONE, NETWORK_SERVER, NETWORK_ANY = "none", "server", "any"
NETWORK_MODES = (NETWORK_NONE, NETWORK_SERVER, NETWORK_ANY)


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    return default


def _hashes(value: Any) -> frozenset[str]:
    """Hex digests from a list or a comma/space separated string (the registry's form)."""
    items = value if isinstance(value, list | tuple) else str(value or "").replace(",", " ").split()
    out = set()
    for item in items:
        text = str(item).strip().lower()
        if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
            out.add(text)
        elif text:
            log.warning("ignoring a malformed entry in allowed_model_sha256")
    return frozenset(out)


def _path(value: Any) -> Path | None:
    if value is None or value is False:
        return None
    if value is True or str(value).strip().lower() in ("1", "true", "yes", "on"):
        return paths.data_dir() / "audit" / "audit.jsonl"
    text = str(value).strip()
    if not text or text.lower() in ("0", "false", "no", "off"):
        return None
    return Path(os.path.expandvars(text)).expanduser()


@dataclass(frozen=True)
class SecurityPolicy:
    """What the administrator decided about network, classification, models, audit and labels."""

    network: str = NETWORK_SERVER
    server_max: str | None = None  # a level name; None: no cap
    local_max: str | None = None
    allow_lower: bool = False
    markings: Any = None  # the policy's replacement for resources/classification_markings.toml
    allowed_model_sha256: frozenset[str] = field(default_factory=frozenset)
    audit_log: Path | None = None
    output_label: str = ""  # "": none; "default": the built-in wording; else the administrator's text
    recovery: bool = True

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> SecurityPolicy:
        network = str(extra.get("network", NETWORK_SERVER) or NETWORK_SERVER).strip().lower()
        if network not in NETWORK_MODES:
            log.warning("policy network=%r is not none/server/any: treated as none", network[:20])
            network = NETWORK_NONE
        label = extra.get("output_label")
        if isinstance(label, int) and not isinstance(label, bool):  # a REG_DWORD 0/1 from Group Policy
            label = bool(label)
        if label is True or (isinstance(label, str) and label.strip().lower() in ("1", "true", "yes", "on")):
            label_text = "default"
        elif isinstance(label, str) and label.strip().lower() not in ("", "0", "false", "no", "off"):
            label_text = label.strip()
        else:
            label_text = ""
        return cls(
            network=network,
            server_max=_level_name(extra.get("server_max_classification")),
            local_max=_level_name(extra.get("local_max_classification")),
            allow_lower=_flag(extra.get("classification_allow_lower"), False),
            markings=extra.get("classification_markings"),
            allowed_model_sha256=_hashes(extra.get("allowed_model_sha256")),
            audit_log=_path(extra.get("audit_log")),
            output_label=label_text,
            recovery=_flag(extra.get("recovery"), True),
        )

    @classmethod
    def of(cls, settings: Any) -> SecurityPolicy:
        """The security policy behind ``settings`` (a Settings, or anything with ``policy.extra``)."""
        policy = getattr(settings, "policy", None)
        return cls.from_extra(dict(getattr(policy, "extra", {}) or {}))


def _level_name(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text or text.lower() in ("any", "none-set", "*"):
        return None
    return text
