"""Start-up: ``hkpilot --version``, and the time until the window is shown against a bare PySide6 window.

Each figure is the best of a few fresh processes (the first run also pays for the disk
cache, so one warm-up run is made and dropped). The window is shown on Qt's offscreen
platform; the HKPilot probe then lets the model load in the background and says how long
that took after the window appeared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", HKPILOT_HOME=str(home), HKPILOT_NO_MODAL="1")
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - t0


def _probe(kind: str, env: dict[str, str], extra: list[str]) -> dict[str, Any]:
    env = dict(env, HKPILOT_BENCH_T0=repr(time.time()))
    proc = subprocess.run([sys.executable, "-m", "hkpilot.gui.startup_probe", kind, *extra], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"startup probe {kind} failed: {proc.stderr[-800:]}")
    return dict(json.loads(lines[-1]))


def _home_with_model(workdir: Path, model: Path, n_ctx: int, threads: int) -> Path:
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = _env(home)
    code = (
        "from hkpilot.config.settings import Settings\n"
        "s = Settings()\n"
        f"s.set('local.model_path', {str(model)!r}); s.set('local.n_ctx', {n_ctx}); s.set('local.n_threads', {threads})\n"
        "s.save()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    return home


def _compile_bytecode() -> None:
    """Write hkpilot's .pyc files, as an installation has them (pip and the frozen build do).

    Without them (``PYTHONDONTWRITEBYTECODE``, set on the development machines) every start
    compiles a hundred modules from source, which no user's start does."""
    import compileall

    import hkpilot

    compileall.compile_dir(str(Path(hkpilot.__file__).parent), quiet=1)


def run_startup(model: Path, workdir: Path, n_ctx: int, threads: int, repeats: int = 3) -> dict[str, Any]:
    _compile_bytecode()
    home = _home_with_model(workdir, model, n_ctx, threads)
    env = _env(home)
    version = [sys.executable, "-m", "hkpilot", "--version"]
    python_only = [sys.executable, "-c", "pass"]
    _timed(version, env)  # warm-up
    out: dict[str, Any] = {
        "version_s": min(_timed(version, env) for _ in range(repeats)),
        "python_s": min(_timed(python_only, env) for _ in range(repeats)),
    }
    _probe("bare", env, [])  # warm-up
    bare = min((_probe("bare", env, []) for _ in range(repeats)), key=lambda r: r["shown_s"])
    runs = [_probe("hkpilot", env, ["0"]) for _ in range(repeats)]
    ours = min(runs, key=lambda r: r["shown_s"])
    with_model = _probe("hkpilot", env, ["120"])  # once more, waiting for the background load
    out.update(
        bare_window_s=bare["shown_s"], hkpilot_window_s=ours["shown_s"],
        window_ratio=ours["shown_s"] / bare["shown_s"] if bare["shown_s"] else 0.0,
        model_loaded_at_show=with_model.get("model_loaded_at_show", False),
        model_loaded_after_s=with_model.get("model_loaded_after_s", -1.0),
        bare_window_rss_mb=bare["rss_mb"], hkpilot_window_rss_mb=ours["rss_mb"],
        hkpilot_window_with_model_rss_mb=with_model.get("rss_model_mb", 0.0),
    )
    return out


def run_memory(model: Path, workdir: Path, n_ctx: int, threads: int, jobs: int, parallel: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "hkpilot.bench.memory_probe", str(model), str(n_ctx), str(threads), str(jobs), str(workdir),
         str(parallel)],
        env=_env(workdir / "home"), capture_output=True, text=True, timeout=1800, check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"memory probe failed: {proc.stderr[-800:]}")
    return dict(json.loads(lines[-1]))
