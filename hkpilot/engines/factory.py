"""Build the engine the settings ask for; the faces never construct engines themselves."""

from __future__ import annotations

from pathlib import Path

from hkpilot.config.security import SecurityPolicy
from hkpilot.config.settings import Settings
from hkpilot.engines.base import Engine
from hkpilot.engines.catalogue import starter_path
from hkpilot.errors import ModelNotFound


def local_model_path(settings: Settings) -> Path:
    configured = str(settings.get("local.model_path") or "")
    return Path(configured).expanduser() if configured else starter_path()


def engine_label(settings: Settings) -> str:
    """A short description of the configured engine, without loading anything."""
    if settings.get("engine.kind") == "server":
        return f"{settings.get('server.url') or '?'} · {settings.get('server.model') or '?'}"
    return local_model_path(settings).name


def create_engine(settings: Settings) -> Engine:
    """Load the local model or connect to the server, as configured (blocking)."""
    if settings.get("engine.kind") == "server":
        from hkpilot.engines.http_client import config_from_settings
        from hkpilot.engines.remote import RemoteEngine

        return RemoteEngine.from_config(config_from_settings(settings))
    from hkpilot.engines.local import LocalEngine

    path = local_model_path(settings)
    if not path.is_file():
        raise ModelNotFound(path=str(path))
    from hkpilot.engines.catalogue import check_pinned
    from hkpilot.engines.memory_estimate import refuse_unsafe_load

    allowed = SecurityPolicy.of(settings).allowed_model_sha256
    check_pinned(path, allowed)  # policy pin first: an unlisted file is not even parsed
    refuse_unsafe_load(path, int(settings.get("local.n_ctx")), int(settings.get("local.n_gpu_layers")))
    return LocalEngine(
        path,
        n_ctx=int(settings.get("local.n_ctx")),
        n_gpu_layers=int(settings.get("local.n_gpu_layers")),
        n_threads=int(settings.get("local.n_threads")),
        parallel=int(settings.get("local.parallel")),
        allowed_sha256=allowed,
    )
