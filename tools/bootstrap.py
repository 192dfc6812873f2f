#!/usr/bin/env python3
"""Set up everything HKPilot needs, then run the app or the tests.

    python3 tools/bootstrap.py run     # the window, on the starter model
    python3 tools/bootstrap.py test    # the whole test suite

Idempotent: a re-run reuses the virtual environment, the compiled llama-cpp-python
wheel (``.cache/wheels/<variant>/``), the installed packages (skipped when
pyproject.toml has not changed), the compiled translations and the verified model.
llama-cpp-python is compiled from source for this machine: CUDA when ``nvidia-smi``
sees a GPU, Metal on Apple silicon, else the CPU. Only the standard library is used
here, so it runs on a fresh Python 3.11.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("HKPILOT_VENV", ROOT / ".venv"))
CACHE = ROOT / ".cache"
LLAMA_VERSION = "0.3.36"


def say(msg: str) -> None:
    print(f"[bootstrap] {msg}", file=sys.stderr, flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(cmd: list[str], **kw: object) -> None:
    say(" ".join(str(c) for c in cmd[:6]) + (" ..." if len(cmd) > 6 else ""))
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def _has_cublas() -> bool:
    """cuBLAS present (a CUDA build links it; machines with nvcc alone must get the CPU build)."""
    roots = [os.environ.get(v, "") for v in ("CUDA_HOME", "CUDA_PATH")] + ["/usr/local/cuda", "/usr"]
    patterns = ["lib64/libcublas.so*", "lib/x86_64-linux-gnu/libcublas.so*", "lib/libcublas.so*", "bin/cublas64_*.dll"]
    if any(list(Path(root).glob(pat)) for root in roots if root for pat in patterns):
        return True
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "libcublas.so" in out


def gpu_variant() -> str:
    """cuda when nvidia-smi sees a GPU and nvcc and cuBLAS exist; metal on Apple silicon; else cpu."""
    forced = os.environ.get("HKPILOT_LLAMA_VARIANT")
    if forced:
        return forced
    if sys.platform == "darwin" and platform.machine() == "arm64":
        return "metal"
    smi = shutil.which("nvidia-smi")
    if smi and shutil.which("nvcc") and _has_cublas():
        try:
            out = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=20)
            if out.returncode == 0 and "GPU" in out.stdout:
                return "cuda"
        except (OSError, subprocess.TimeoutExpired):
            pass
    return "cpu"


def ensure_venv() -> None:
    if not venv_python().exists():
        if sys.version_info < (3, 11):
            sys.exit("HKPilot needs Python 3.11 or newer")
        run([sys.executable, "-m", "venv", VENV])
        run([venv_python(), "-m", "pip", "install", "-q", "--upgrade", "pip", "wheel", "setuptools"])


def ensure_llama() -> None:
    variant = gpu_variant()
    marker = VENV / f".llama-{LLAMA_VERSION}-{variant}"
    if marker.exists():
        return
    wheels = CACHE / "wheels" / variant
    found = sorted(wheels.glob(f"llama_cpp_python-{LLAMA_VERSION}-*.whl"))
    if not found:
        env = dict(os.environ)
        cmake = {
            "cuda": "-DGGML_CUDA=on -DGGML_NATIVE=off",
            "metal": "-DGGML_METAL=on",
            "cpu": "-DGGML_CUDA=off -DGGML_METAL=off",
        }[variant]
        env["CMAKE_ARGS"] = (env.get("CMAKE_ARGS", "") + " " + cmake + " -DLLAMA_BUILD_TESTS=off -DLLAVA_BUILD=off").strip()
        env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        say(f"compiling llama-cpp-python {LLAMA_VERSION} for {variant} (about 5 minutes on 2 cores)")
        t0 = time.time()
        run(
            [
                venv_python(),
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-binary",
                "llama-cpp-python",
                f"llama-cpp-python=={LLAMA_VERSION}",
                "-w",
                wheels,
            ],
            env=env,
        )
        say(f"compiled in {time.time() - t0:.0f} s")
        found = sorted(wheels.glob(f"llama_cpp_python-{LLAMA_VERSION}-*.whl"))
    run([venv_python(), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", found[-1]])
    for old in VENV.glob(".llama-*"):
        old.unlink()
    marker.touch()


def ensure_packages() -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    marker = VENV / f".deps-{digest}"
    if marker.exists():
        return
    run([venv_python(), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"])
    for old in VENV.glob(".deps-*"):
        old.unlink()
    marker.touch()


def ensure_translations() -> None:
    ts = ROOT / "translations" / "hkpilot_zh_HK.ts"
    qm = ts.with_suffix(".qm")
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        run([venv_python(), ROOT / "tools" / "qt_translations.py", "release"])


def ensure_model() -> None:
    run([venv_python(), "-m", "hkpilot", "models", "install-starter"])


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "setup"
    if action not in ("setup", "run", "test"):
        sys.exit("usage: bootstrap.py [setup|run|test] [pytest arguments]")
    ensure_venv()
    ensure_llama()
    ensure_packages()
    ensure_translations()
    ensure_model()
    if action == "run":
        return subprocess.call([str(venv_python()), "-m", "hkpilot", "gui", *argv[1:]])
    if action == "test":
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        return subprocess.call([str(venv_python()), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
