"""PyInstaller hook for llama-cpp-python, which ships none.

Its ctypes loader looks for ``libllama``/``libggml*`` in ``llama_cpp/lib`` next to the
module; without collecting them explicitly the frozen app dies with "Shared library with
base name 'llama' not found". The server sub-package (FastAPI, uvicorn) is not used.
"""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("llama_cpp")
excludedimports = ["llama_cpp.server"]
