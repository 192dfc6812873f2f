"""The models a person may choose: the starter, the models folders, the file in use,
each checked against the administrator's catalogue (policy).

Policy keys (``settings.policy.extra``), read here and never written:

- ``models.allowed``: file names or SHA-256 digests of the models that may be chosen;
- ``allowed_model_sha256``: SHA-256 digests the engine itself also pins (the same key
  the engine checks before a load, so the list and the engine agree).

A list may be a TOML array or, from the Windows registry, one string separated by
commas, semicolons or spaces. When both keys are set a model must pass both. Digests
are cached by path, size and modification time so a big model is hashed once.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hkpilot import paths
from hkpilot.atomic import atomic_write_text
from hkpilot.config.security import SecurityPolicy
from hkpilot.engines import catalogue
from hkpilot.engines.gguf import GGUFInfo, gguf_info
from hkpilot.errors import ModelLoadError
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

ALLOWED_KEY = "models.allowed"
SHA_KEY = "allowed_model_sha256"
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")

STARTER, USER, MACHINE, CHOSEN = "starter", "user", "machine", "chosen"


@dataclass
class ModelEntry:
    """One model file as the model manager lists it."""

    path: Path
    origin: str  # starter, user (models folder), machine (shared folder), chosen (a file elsewhere)
    info: GGUFInfo | None = None
    problem: str = ""  # why the header could not be read
    installed: bool = True
    allowed: bool = True
    refusal: str = ""  # an N_ template when not allowed

    @property
    def name(self) -> str:
        return self.info.name if self.info is not None else self.path.stem


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,;\s]+", value) if v]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


@dataclass(frozen=True)
class ModelPolicy:
    """The administrator's catalogue: names and digests allowed (empty: anything goes)."""

    names: frozenset[str] = frozenset()
    digests: frozenset[str] = frozenset()  # from models.allowed
    pinned: frozenset[str] = frozenset()  # allowed_model_sha256

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> ModelPolicy:
        listed = _as_list(extra.get(ALLOWED_KEY))
        return cls(
            names=frozenset(v for v in listed if not _HEX64.match(v)),
            digests=frozenset(v.lower() for v in listed if _HEX64.match(v)),
            pinned=SecurityPolicy.from_extra(extra).allowed_model_sha256,  # parsed as the engine parses it
        )

    @property
    def active(self) -> bool:
        return bool(self.names or self.digests or self.pinned)

    @property
    def needs_digest(self) -> bool:
        return bool(self.digests or self.pinned)

    def allows(self, path: Path, digest: Callable[[Path], str]) -> bool:
        """Whether ``path`` may be loaded; ``digest`` is called only when a hash decides."""
        if not self.active:
            return True
        listed = not (self.names or self.digests) or Path(path).name in self.names
        if not listed and self.digests:
            listed = digest(path) in self.digests
        if listed and self.pinned:
            listed = digest(path) in self.pinned
        return listed


# --- digests, cached -----------------------------------------------------------------------


def _digest_cache_file() -> Path:
    return paths.cache_dir() / "model_digests.json"


def cached_sha256(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """SHA-256 of ``path``, reusing an earlier result while size and mtime are unchanged."""
    path = Path(path)
    st = path.stat()
    key = str(path.resolve())
    try:
        cache: dict[str, dict[str, Any]] = json.loads(_digest_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    hit = cache.get(key)
    if hit and hit.get("size") == st.st_size and hit.get("mtime_ns") == st.st_mtime_ns:
        return str(hit["sha256"])
    expected = catalogue.known_digest(path)
    if expected and catalogue.is_verified(path, expected):
        digest = expected  # the install stamp already vouches for it
    else:
        digest = catalogue.sha256_file(path, progress)
    cache[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    try:
        atomic_write_text(_digest_cache_file(), json.dumps(cache, indent=1))
    except OSError:
        log.warning("model digest cache not written")
    return digest


# --- the list ------------------------------------------------------------------------------


def _entry(path: Path, origin: str) -> ModelEntry:
    try:
        return ModelEntry(path, origin, info=gguf_info(path))
    except (ModelLoadError, OSError) as exc:
        return ModelEntry(path, origin, problem=str(exc))


def list_entries(extra_dirs: Iterable[Path] = (), chosen: Path | None = None) -> list[ModelEntry]:
    """The starter (installed or not), the models folder, ``extra_dirs``, and ``chosen``."""
    starter = catalogue.starter_path()
    entries = [_entry(starter, STARTER) if starter.is_file() else ModelEntry(starter, STARTER, installed=False)]
    seen = {starter.resolve()}
    folders = [(paths.models_dir(), USER), *((Path(d), MACHINE) for d in extra_dirs)]
    for folder, origin in folders:
        if not folder.is_dir():
            continue
        for path, _info, _problem in catalogue.list_models(folder):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                entries.append(_entry(path, origin))
    if chosen is not None and chosen.is_file() and chosen.resolve() not in seen:
        entries.append(_entry(chosen, CHOSEN))
    return entries


def apply_policy(entries: list[ModelEntry], policy: ModelPolicy,
                 digest: Callable[[Path], str] = cached_sha256) -> list[ModelEntry]:
    """Mark the entries the policy does not allow (hashing only what a digest decides)."""
    for entry in entries:
        if not policy.active or not entry.installed:
            continue
        try:
            entry.allowed = policy.allows(entry.path, digest)
        except OSError:
            entry.allowed = False
        if not entry.allowed:
            entry.refusal = N_("Not in the list of models your administrator allows.")
    return entries


def available_models(settings: Any, chosen: Path | None = None) -> list[ModelEntry]:
    """Every model for the model manager, checked against the settings' policy (slow: a worker)."""
    from hkpilot.config.machine import shared_models_dir
    from hkpilot.engines.factory import local_model_path

    shared = shared_models_dir(settings.policy.extra, settings.installer.extra)
    entries = list_entries([shared], chosen or local_model_path(settings))
    return apply_policy(entries, ModelPolicy.from_extra(settings.policy.extra))
