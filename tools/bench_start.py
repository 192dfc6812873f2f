#!/usr/bin/env python3
"""Start-up benchmark of an HKPilot executable (frozen or not): prints figures, asserts nothing.

    python tools/bench_start.py [EXECUTABLE ...] [--runs 5]

Default executable: ``dist/hkpilot/hkpilot``. Measures, per run, ``--version`` (process
start to exit) and the window (process start until the log says "GUI started", offscreen),
and prints the median and best of each. Uses a temporary HKPILOT_HOME.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_version(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([*cmd, "--version"], env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def time_window(cmd: list[str], env: dict[str, str], home: Path, timeout: float = 60.0) -> float:
    log = home / "logs" / "hkpilot.log"
    log.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*cmd, "gui"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < timeout:
            if log.is_file() and "GUI started" in log.read_text(encoding="utf-8", errors="replace"):
                return time.perf_counter() - t0
            if proc.poll() is not None:
                raise SystemExit(f"{cmd[0]} exited ({proc.returncode}) before its window showed")
            time.sleep(0.01)
        raise SystemExit("no window within the timeout")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("executables", nargs="*", default=[str(ROOT / "dist" / "hkpilot" / "hkpilot")])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for exe in args.executables:
        cmd = [sys.executable, "-m", "hkpilot"] if exe == "source" else [exe]
        with tempfile.TemporaryDirectory(prefix="hkpilot-bench-") as tmp:
            env = dict(os.environ, HKPILOT_HOME=tmp, QT_QPA_PLATFORM="offscreen")
            version = [time_version(cmd, env) for _ in range(args.runs)]
            window = [time_window(cmd, env, Path(tmp)) for _ in range(args.runs)]
        print(f"{exe}: --version median {statistics.median(version):.2f} s (best {min(version):.2f} s); "
              f"window shown median {statistics.median(window):.2f} s (best {min(window):.2f} s); {args.runs} runs, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
