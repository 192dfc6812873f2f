"""What llama.cpp can run on here: its build variant, its devices (GPU name, VRAM), the CPU.

Read from ggml's own backend registry (``ggml_backend_reg_*``, ``ggml_backend_dev_*`` in
the libraries llama-cpp-python ships), so the answer is what this build will actually use,
not what is installed beside it. ``nvidia-smi`` is asked only to spot a GPU that this build
cannot use (a CPU build on a machine with an NVIDIA GPU). Nothing here touches the network.
"""

from __future__ import annotations

import ctypes
import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEVICE_TYPES = {0: "CPU", 1: "GPU", 2: "iGPU", 3: "accelerator"}


@dataclass
class Device:
    name: str
    description: str
    kind: str  # CPU, GPU, iGPU, accelerator
    memory_total: int = 0  # bytes; 0 when the backend does not say
    memory_free: int = 0


@dataclass
class Hardware:
    offload: bool  # llama_supports_gpu_offload()
    backends: list[str] = field(default_factory=list)  # CPU, CUDA, Metal, Vulkan, BLAS...
    devices: list[Device] = field(default_factory=list)
    system_info: str = ""
    nvidia_smi: list[str] = field(default_factory=list)  # GPUs nvidia-smi lists (empty: none or no tool)

    @property
    def variant(self) -> str:
        """The build: cuda, metal, vulkan, ... or cpu."""
        for name in self.backends:
            if name.upper() not in ("CPU", "BLAS", "RPC"):
                return name.lower()
        return "cpu"

    @property
    def gpus(self) -> list[Device]:
        return [d for d in self.devices if d.kind != "CPU"]

    @property
    def unused_gpu(self) -> bool:
        """nvidia-smi sees a GPU that this build cannot offload to."""
        return bool(self.nvidia_smi) and not self.gpus


def _ggml_libraries(llama_cpp: Any) -> list[ctypes.CDLL]:
    """The ggml libraries llama-cpp-python loaded (already in the process: no second copy)."""
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    libs = []
    for pattern in ("libggml.*", "ggml.dll", "libggml-base.*", "ggml-base.dll"):
        for path in sorted(lib_dir.glob(pattern)):
            try:
                libs.append(ctypes.CDLL(str(path)))
                break
            except OSError:
                continue
    return libs


def _function(libs: list[ctypes.CDLL], name: str, restype: Any, argtypes: list[Any]) -> Any:
    for lib in libs:
        fn = getattr(lib, name, None)
        if fn is not None:
            fn.restype, fn.argtypes = restype, argtypes
            return fn
    raise AttributeError(name)


def _registry(llama_cpp: Any) -> tuple[list[str], list[Device]]:
    libs = _ggml_libraries(llama_cpp)
    vp, sz, cstr = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
    reg_count = _function(libs, "ggml_backend_reg_count", sz, [])
    reg_get = _function(libs, "ggml_backend_reg_get", vp, [sz])
    reg_name = _function(libs, "ggml_backend_reg_name", cstr, [vp])
    dev_count = _function(libs, "ggml_backend_dev_count", sz, [])
    dev_get = _function(libs, "ggml_backend_dev_get", vp, [sz])
    dev_name = _function(libs, "ggml_backend_dev_name", cstr, [vp])
    dev_desc = _function(libs, "ggml_backend_dev_description", cstr, [vp])
    dev_type = _function(libs, "ggml_backend_dev_type", ctypes.c_int, [vp])
    dev_memory = _function(libs, "ggml_backend_dev_memory", None, [vp, ctypes.POINTER(sz), ctypes.POINTER(sz)])
    backends = [(reg_name(reg_get(i)) or b"?").decode("utf-8", "replace") for i in range(reg_count())]
    devices = []
    for i in range(dev_count()):
        dev = dev_get(i)
        free, total = sz(0), sz(0)
        dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        devices.append(Device(
            name=(dev_name(dev) or b"?").decode("utf-8", "replace"),
            description=(dev_desc(dev) or b"").decode("utf-8", "replace"),
            kind=DEVICE_TYPES.get(int(dev_type(dev)), "?"),
            memory_total=int(total.value), memory_free=int(free.value),
        ))
    return backends, devices


def nvidia_gpus(timeout: float = 5.0) -> list[str]:
    """The GPUs ``nvidia-smi -L`` lists; empty without the tool or a GPU."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return []
    try:
        out = subprocess.run([tool, "-L"], capture_output=True, text=True, timeout=timeout, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.splitlines() if line.startswith("GPU")]


def detect() -> Hardware:
    import llama_cpp

    hw = Hardware(offload=bool(llama_cpp.llama_supports_gpu_offload()))
    hw.system_info = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    try:
        hw.backends, hw.devices = _registry(llama_cpp)
    except (AttributeError, OSError) as exc:  # an older or unusual build: say less, do not fail
        log.warning("ggml device registry unavailable: %s", exc)
    hw.nvidia_smi = nvidia_gpus()
    return hw
