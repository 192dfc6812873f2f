"""``hkpilot bench [--quick] [--json FILE]``: every speed figure HKPilot promises, as ratios taken side by side.

Each section compares HKPilot with the thing underneath it (llama.cpp's own timers,
llama-cpp-python, a bare HTTP client, a bare PySide6 window, a naive loop) in the same
run, so the ratios hold on a busy machine even when the absolute figures do not.
``--quick`` shrinks the documents (not the reply lengths or the job count) so that the
whole run takes a few minutes on two cores. A section that fails is reported as such
and the others still run.
"""

from __future__ import annotations

import json
import logging
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hkpilot.i18n import gettext

_ = gettext
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    lengths: tuple[int, ...] = (256, 1024)
    overhead_repeats: int = 3
    remote_tokens: int = 256
    remote_repeats: int = 3
    translate_pages: float = 20
    eval_segments: int | None = None  # None: the whole evaluation set
    summarise_pages: int = 100
    startup_repeats: int = 5
    memory_jobs: int = 20
    pdf_pages: int = 100
    docx_pages: int = 100


FULL = Plan()
QUICK = Plan(overhead_repeats=1, remote_tokens=128, remote_repeats=3, translate_pages=3.0, eval_segments=None,
             summarise_pages=3, startup_repeats=3, pdf_pages=20, docx_pages=20)
SECTIONS = ("overhead", "remote", "translation", "summarise", "startup", "memory", "extraction")


def machine() -> dict[str, Any]:
    """What the figures were taken on."""
    import llama_cpp

    from hkpilot import __version__
    from hkpilot.engines.local import default_threads

    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        import os

        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = -1.0
    return {
        "hkpilot": __version__, "python": platform.python_version(), "platform": platform.platform(),
        "cpu": cpu, "cores": default_threads(), "load_average_1m": load,
        "llama_cpp_python": getattr(llama_cpp, "__version__", "?"),
        "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
        "system_info": llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def run_bench(model: Path, quick: bool, threads: int, parallel: int, n_ctx: int, sections: tuple[str, ...],
              progress: Callable[[str], None]) -> dict[str, Any]:
    """Run the chosen sections; return everything measured (the JSON written by ``--json``)."""
    from hkpilot.bench import overhead, remote_bench, startup, throughput, translation

    plan = QUICK if quick else FULL
    report: dict[str, Any] = {"mode": "quick" if quick else "full", "model": model.name, "threads": threads,
                              "parallel": parallel, "n_ctx": n_ctx, "machine": machine(), "sections": {}}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hkpilot-bench-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        steps: dict[str, Callable[[], dict[str, Any]]] = {
            "overhead": lambda: overhead.run_overhead(model, plan.lengths, n_ctx, threads, parallel, plan.overhead_repeats),
            "remote": lambda: remote_bench.run_remote(model, plan.remote_tokens, n_ctx, threads, work, plan.remote_repeats),
            "translation": lambda: translation.run_translation(model, work, plan.translate_pages, plan.eval_segments,
                                                               n_ctx, threads, parallel),
            "summarise": lambda: throughput.run_summarise(model, work, plan.summarise_pages, n_ctx, threads),
            "startup": lambda: startup.run_startup(model, work, n_ctx, threads, plan.startup_repeats),
            "memory": lambda: startup.run_memory(model, work, n_ctx, threads, plan.memory_jobs, parallel),
            "extraction": lambda: throughput.run_extraction(work, plan.pdf_pages, plan.docx_pages),
        }
        for name in sections:
            progress(name)
            t0 = time.perf_counter()
            try:
                result = steps[name]()
            except Exception as exc:
                log.warning("bench section %s failed", name, exc_info=True)
                result = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc(limit=3)}
            result["section_s"] = time.perf_counter() - t0
            report["sections"][name] = result
    report["total_s"] = time.perf_counter() - started
    return report


def write_json(report: dict[str, Any], path: Path) -> None:
    from hkpilot.atomic import atomic_write_text

    atomic_write_text(Path(path), json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def main(args: Any) -> int:
    """The ``hkpilot bench`` command."""
    from hkpilot.bench.table import render
    from hkpilot.config.settings import Settings
    from hkpilot.engines.factory import local_model_path
    from hkpilot.engines.local import default_threads
    from hkpilot.errors import ModelNotFound

    settings = Settings()
    model = Path(args.model).expanduser() if args.model else local_model_path(settings)
    if not model.is_file():
        raise ModelNotFound(path=str(model))
    threads = args.threads or int(settings.get("local.n_threads")) or default_threads()
    parallel = args.parallel or _setting_int(settings, "local.parallel", 8)
    sections = tuple(args.only) if args.only else SECTIONS

    def progress(name: str) -> None:
        sys.stderr.write(_("Measuring: {section}").format(section=name) + "\n")
        sys.stderr.flush()

    report = run_bench(model, args.quick, threads, parallel, args.n_ctx, sections, progress)
    print(render(report))
    if args.json:
        write_json(report, args.json)
        print(args.json)
    return 0


def _setting_int(settings: Any, key: str, fallback: int) -> int:
    try:
        return int(settings.get(key))
    except KeyError:
        return fallback
