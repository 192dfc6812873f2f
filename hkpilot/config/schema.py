"""Every setting, declared once: key, type, default, policy lock, label, choices.

The settings dialog builds its widgets from this table and greys the locked ones;
the CLI reads its defaults from it. Bump ``SCHEMA_VERSION`` and add a migration in
``settings.py`` when a key is renamed or its meaning changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hkpilot.i18n import N_

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    label: str
    lockable: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    secret: bool = False


OPTIONS: tuple[Option, ...] = (
    Option("ui.language", str, "", N_("Interface language"), choices=("", "en", "zh-HK")),
    Option("engine.kind", str, "local", N_("Engine"), choices=("local", "server")),
    Option("local.model_path", str, "", N_("Local model file (empty: starter model)")),
    Option("local.n_gpu_layers", int, -1, N_("GPU layers (-1: all when a GPU is available)"), minimum=-1, maximum=1000),
    Option("local.n_ctx", int, 8192, N_("Context size (tokens)"), minimum=512, maximum=262144),
    Option("local.n_threads", int, 0, N_("CPU threads (0: automatic)"), minimum=0, maximum=256),
    # engines/local_batch.py: blocks of one job decoded together (1: one at a time)
    Option("local.parallel", int, 16, N_("Blocks the local model writes at once"), minimum=1, maximum=32),
    Option("server.url", str, "", N_("Server URL")),
    Option("server.model", str, "", N_("Server model")),
    Option("server.connect_timeout", float, 10.0, N_("Connect timeout (s)"), minimum=1, maximum=300),
    Option("server.read_timeout", float, 120.0, N_("Read timeout (s)"), minimum=1, maximum=3600),
    Option("server.context_window", int, 0, N_("Server context window (0: ask the server)"), minimum=0, maximum=10_000_000),
    Option("server.deadline", float, 900.0, N_("Time limit for one answer (s)"), minimum=5, maximum=7200),
    Option("server.max_retries", int, 3, N_("Retries when the server is busy"), minimum=0, maximum=10),
    Option("server.parallel_requests", int, 4, N_("Requests sent at once (capped by policy)"), minimum=1, maximum=16),
    Option("server.ca_bundle", str, "", N_("Extra CA certificates (PEM file)")),
    Option("server.proxy", str, "", N_("Proxy (empty: system settings; direct: none)")),
    Option("server.extra_headers", str, "", N_("Extra HTTP headers (Name: value; ...)")),
    Option("generation.temperature", float, 0.2, N_("Temperature"), minimum=0, maximum=2),
    Option("generation.max_tokens", int, 1024, N_("Maximum tokens per answer"), minimum=16, maximum=32768),
    # History (app/history.py): jobs are always listed; their text only with this opt-in.
    Option("history.store_content", bool, False, N_("Keep the text of outputs in the history")),
    Option("ui.text_size", int, 0, N_("Text size in points (0: the system's)"), minimum=0, maximum=40),
)

BY_KEY: dict[str, Option] = {o.key: o for o in OPTIONS}
