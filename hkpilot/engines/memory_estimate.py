"""How much memory a GGUF model needs for a context size and a number of GPU layers,
how much this computer has free, and whether a load is safe.

The estimate reads only the GGUF header: weights are the file's size (the tensors are
almost all of it); the KV cache is ``n_layers * n_ctx * n_kv_heads * (key_len +
value_len) * 2 bytes`` (f16), i.e. the usual ``2 * n_layers * n_ctx * n_kv_heads *
head_dim * bytes``; llama.cpp's compute buffers and the runtime add a little more.
Measured with the starter model (Qwen2.5 0.5B Q4_K_M, CPU): 599 MiB resident at
4,096 tokens of context, 936 MiB at 32,768; this module says 636 and 972, a few per
cent over, which is the side to err on. Layers offloaded to a GPU take their share of
the weights and of the KV cache with them; a GPU build also holds the CUDA context and
its compute buffers on the card even with no layer there. On an H100
(``../shared/GPU.md``) that came to 1,427 MiB for the 0.5B model fully offloaded at 4,096
tokens (weights and cache: 517) and 5,417 MiB for a 7B one (4,690): about 0.7-0.9 GB
more, counted here as ``GPU_RUNTIME``.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hkpilot.engines.gguf import read_gguf_metadata

log = logging.getLogger(__name__)

MIB = 1 << 20
KV_BYTES = 2  # f16 K and V, llama.cpp's default cache type
BASE_OVERHEAD = 96 * MIB  # compute buffers, the runtime, the tokenizer
WEIGHT_OVERHEAD = 0.05  # scratch that grows with the model
GPU_RUNTIME = 900 * MIB  # CUDA context and compute buffers on the card (measured, see above)
WARN_SHARE = 0.8  # warn when the load would take more than this share of what is free

OK, WARN, REFUSE = "ok", "warn", "refuse"


@dataclass(frozen=True)
class ModelShape:
    """What the estimate needs from a GGUF header."""

    weights: int  # bytes (file size)
    n_layers: int
    n_kv_heads: int
    key_length: int
    value_length: int
    trained_context: int

    @property
    def kv_bytes_per_token(self) -> int:
        return self.n_layers * self.n_kv_heads * (self.key_length + self.value_length) * KV_BYTES


def model_shape(path: Path) -> ModelShape:
    """Read the shape of ``path`` from its header (ModelLoadError for a bad file)."""
    meta = read_gguf_metadata(path)
    arch = str(meta.get("general.architecture", ""))

    def num(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}")
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    heads = num("attention.head_count", 1) or 1
    kv_heads = num("attention.head_count_kv", heads) or heads
    head_dim = (num("embedding_length") // heads) if heads else 0
    return ModelShape(
        weights=Path(path).stat().st_size,
        n_layers=num("block_count"),
        n_kv_heads=kv_heads,
        key_length=num("attention.key_length", head_dim) or head_dim,
        value_length=num("attention.value_length", head_dim) or head_dim,
        trained_context=num("context_length"),
    )


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a load needs, split between the computer's memory and the GPU's."""

    weights: int
    kv_cache: int
    overhead: int
    n_ctx: int
    gpu_layers: int  # layers offloaded (0 on a CPU-only build)
    n_layers: int
    ram: int  # needed in the computer's memory
    vram: int  # needed on the GPU

    @property
    def total(self) -> int:
        return self.ram + self.vram


def estimate(shape: ModelShape, n_ctx: int, n_gpu_layers: int = 0, gpu: bool = False) -> MemoryEstimate:
    """Memory for ``shape`` at ``n_ctx`` tokens with ``n_gpu_layers`` layers on the GPU (-1: all).

    The context is capped at the trained one, as LocalEngine does.
    """
    if shape.trained_context:
        n_ctx = min(n_ctx, shape.trained_context)
    layers = max(shape.n_layers, 1)
    on_gpu = 0 if not gpu else layers if n_gpu_layers < 0 else min(max(n_gpu_layers, 0), layers)
    share = on_gpu / layers
    kv = shape.kv_bytes_per_token * max(n_ctx, 0)
    overhead = BASE_OVERHEAD + int(shape.weights * WEIGHT_OVERHEAD)
    weights_gpu, kv_gpu = int(shape.weights * share), int(kv * share)
    # A GPU build takes room on the card even with no layer offloaded (CUDA context, buffers).
    vram = weights_gpu + kv_gpu + (GPU_RUNTIME if gpu else 0)
    ram = shape.weights - weights_gpu + kv - kv_gpu + overhead
    return MemoryEstimate(shape.weights, kv, overhead, n_ctx, on_gpu, shape.n_layers, ram, vram)


# --- what this computer has -------------------------------------------------------------


def available_ram() -> int | None:
    """Bytes of memory free for a new program now (None when it cannot be told)."""
    try:
        if sys.platform.startswith("linux"):
            with open("/proc/meminfo", encoding="ascii") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        if sys.platform == "win32":
            return _windows_available()
        if hasattr(os, "sysconf") and "SC_AVPHYS_PAGES" in os.sysconf_names:
            return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
        if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
            # macOS reports no "available" figure here; half the memory is a cautious guess.
            return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE")) // 2
    except (OSError, ValueError):
        log.debug("free memory unknown", exc_info=True)
    return None


def _windows_available() -> int | None:
    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("dwLength", ctypes.c_ulong),
            ("dwMemoryLoad", ctypes.c_ulong),
            ("ullTotalPhys", ctypes.c_ulonglong),
            ("ullAvailPhys", ctypes.c_ulonglong),
            ("ullTotalPageFile", ctypes.c_ulonglong),
            ("ullAvailPageFile", ctypes.c_ulonglong),
            ("ullTotalVirtual", ctypes.c_ulonglong),
            ("ullAvailVirtual", ctypes.c_ulonglong),
            ("ullAvailExtendedVirtual", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.dwLength = ctypes.sizeof(MemoryStatus)
    if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
        return None
    return int(status.ullAvailPhys)


def available_vram(timeout: float = 3.0) -> int | None:
    """Free memory of the first NVIDIA GPU (nvidia-smi), None when unknown or absent."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return None
    try:
        out = subprocess.run(
            [tool, "--query-gpu=memory.free", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=timeout, check=True,
        ).stdout
        return int(out.split()[0]) * MIB
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


# --- the verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadVerdict:
    """Whether a load is safe: ``level`` is ok, warn or refuse; ``reason`` an N_ template."""

    level: str
    reason: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def render(self) -> str:
        from hkpilot.i18n import gettext

        return gettext(self.reason).format(**dict(self.params)) if self.reason else ""


def gib(n: int) -> str:
    """Bytes as GB with one decimal (what people read on their computer's own panels)."""
    return f"{n / 2**30:.1f}"


def judge(est: MemoryEstimate, ram_free: int | None, vram_free: int | None) -> LoadVerdict:
    """Refuse a load that cannot fit, warn about one that leaves little room."""
    from hkpilot.i18n import N_

    if ram_free is not None and est.ram > ram_free:
        return LoadVerdict(REFUSE, N_("Needs about {need} GB of memory but only {free} GB is free. "
                                      "Choose a smaller context or model, or close other programs."),
                           (("need", gib(est.ram)), ("free", gib(ram_free))))
    if vram_free is not None and est.vram > vram_free:
        return LoadVerdict(REFUSE, N_("Needs about {need} GB on the graphics card but only {free} GB is free. "
                                      "Put fewer layers on the GPU."),
                           (("need", gib(est.vram)), ("free", gib(vram_free))))
    if ram_free is not None and est.ram > ram_free * WARN_SHARE:
        return LoadVerdict(WARN, N_("This takes most of the free memory ({need} of {free} GB); "
                                    "the computer may slow down."),
                           (("need", gib(est.ram)), ("free", gib(ram_free))))
    if vram_free is not None and est.vram > vram_free * WARN_SHARE:
        return LoadVerdict(WARN, N_("This takes most of the free GPU memory ({need} of {free} GB)."),
                           (("need", gib(est.vram)), ("free", gib(vram_free))))
    if ram_free is None:
        return LoadVerdict(WARN, N_("The free memory of this computer could not be read; the load is not checked."))
    return LoadVerdict(OK)


def check_load(path: Path, n_ctx: int, n_gpu_layers: int, gpu: bool) -> tuple[MemoryEstimate, LoadVerdict]:
    """Estimate and judge a load of ``path`` against this computer's free memory now."""
    est = estimate(model_shape(path), n_ctx, n_gpu_layers, gpu)
    vram = available_vram() if est.vram else None
    return est, judge(est, available_ram(), vram)


def refuse_unsafe_load(path: Path, n_ctx: int, n_gpu_layers: int) -> LoadVerdict:
    """Raise EngineError when ``path`` cannot fit in this computer's free memory now.

    Called before every local load: llama.cpp would otherwise fail late, or the computer
    would start swapping with the person's documents open.
    """
    from hkpilot.engines.local import gpu_offload_supported
    from hkpilot.errors import EngineError

    _est, verdict = check_load(path, n_ctx, n_gpu_layers, gpu_offload_supported())
    if verdict.level == REFUSE:
        log.warning("load of %s refused: needs more memory than is free", Path(path).name)
        raise EngineError(verdict.reason, **dict(verdict.params))
    return verdict
