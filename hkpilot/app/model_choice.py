"""What the model manager works with, off the GUI thread: a snapshot of the models and
of this computer's free memory, and storing a choice then loading that model.

Both run on the job runner's workers; neither touches Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot.app.model_list import ModelEntry, available_models
from hkpilot.engines import memory_estimate as mem
from hkpilot.engines.memory_estimate import ModelShape
from hkpilot.errors import HKPilotError
from hkpilot.tasks.events import Event, Progress, Result

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """What the listing job found: models, their shapes, this computer's free memory."""

    entries: list[ModelEntry]
    shapes: dict[Path, ModelShape] = field(default_factory=dict)
    gpu: bool = False
    ram_free: int | None = None
    vram_free: int | None = None


def take_snapshot(settings: Any, chosen: Path | None = None) -> Snapshot:
    """Worker side: list, read each header, ask the OS for free memory."""
    entries = available_models(settings, chosen)
    shapes: dict[Path, ModelShape] = {}
    for entry in entries:
        if entry.info is not None:
            try:
                shapes[entry.path] = mem.model_shape(entry.path)
            except (HKPilotError, OSError):
                log.info("no shape for %s", entry.path.name)
    try:
        from hkpilot.engines.local import gpu_offload_supported

        gpu = gpu_offload_supported()
    except (ImportError, OSError, AttributeError):
        gpu = False
    return Snapshot(entries, shapes, gpu, mem.available_ram(), mem.available_vram() if gpu else None)


def load_model(session: Any, model: Path, is_starter: bool, n_ctx: int, n_gpu_layers: int) -> Iterator[Event]:
    """Worker side, a streaming job: store the choice, drop the old engine, load the new one."""
    settings = session.settings
    yield Progress(0, 3)
    for key, value in (("engine.kind", "local"), ("local.model_path", "" if is_starter else str(model)),
                       ("local.n_ctx", n_ctx), ("local.n_gpu_layers", n_gpu_layers)):
        if not settings.is_locked(key) and settings.get(key) != value:
            settings.set(key, value)
    settings.save()
    session.reset_engine()
    yield Progress(1, 3)  # the checks (header, checksum when known) and the load itself
    engine = session.engine()
    yield Progress(3, 3)
    yield Result(stats={"info": engine.info()})
