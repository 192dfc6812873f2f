"""Offline model bundles: one file an administrator copies to a file share.

A bundle is a plain POSIX tar (GGUF files do not compress), so ``tar tf`` can look
inside it: first ``hkpilot-bundle.json``, the manifest (name, licence, size, SHA-256,
context length, chat template present, for each model), then ``models/<file>.gguf``.
Importing streams each model into place through a temporary file while hashing it and
keeps it only when size and SHA-256 match the manifest: a tampered or truncated bundle
is refused and leaves nothing behind. Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from hkpilot import __version__
from hkpilot.atomic import atomic_open
from hkpilot.engines.catalogue import sha256_file
from hkpilot.engines.gguf import gguf_info, read_gguf_metadata
from hkpilot.errors import EngineError, ModelNotFound, ModelVerifyError, OutputError
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

MANIFEST = "hkpilot-bundle.json"
FORMAT = "hkpilot-model-bundle"
FORMAT_VERSION = 1
_BLOCK = 8 << 20
MAX_MANIFEST = 1 << 20  # a manifest is a few hundred bytes a model

Progress = Callable[[int, int], None]


class BundleInvalid(EngineError):
    code = "bundle.invalid"
    template = N_("The model bundle {name} cannot be used: {detail}")


@dataclass(frozen=True)
class BundledModel:
    file: str
    name: str
    licence: str
    size: int
    sha256: str
    context_length: int
    chat_template: bool
    architecture: str
    quantization: str


def describe(path: Path, licence: str = "") -> BundledModel:
    """A manifest entry for ``path`` (reads its GGUF header and hashes it)."""
    path = Path(path)
    if not path.is_file():
        raise ModelNotFound(path=str(path))
    info = gguf_info(path)  # refuses a file that is not a GGUF
    meta = read_gguf_metadata(path)
    return BundledModel(
        file=path.name,
        name=info.name,
        licence=licence or str(meta.get("general.license") or "unknown"),
        size=info.size,
        sha256=sha256_file(path),
        context_length=info.context_length,
        chat_template=info.has_chat_template,
        architecture=info.architecture,
        quantization=info.quantization,
    )


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return len(p.parts) == 1 and not name.startswith(".") and name.endswith(".gguf") and "\\" not in name and ":" not in name


def pack(models: list[Path], output: Path, licence: str = "", progress: Progress | None = None) -> list[BundledModel]:
    """Write the bundle ``output`` (atomically) holding ``models``; return the manifest entries."""
    if not models:
        raise BundleInvalid(name=Path(output).name, detail="no models given")
    entries = [describe(Path(m), licence) for m in models]
    names = [e.file for e in entries]
    if len(set(names)) != len(names):
        raise BundleInvalid(name=Path(output).name, detail="two models have the same file name")
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "hkpilot": __version__,
        "models": [asdict(e) for e in entries],
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    total, done = sum(e.size for e in entries), 0
    try:
        with atomic_open(Path(output)) as out, tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, _BytesReader(data))
            for model, entry in zip(models, entries, strict=True):
                info = tarfile.TarInfo(f"models/{entry.file}")
                info.size, info.mtime, info.mode = entry.size, int(Path(model).stat().st_mtime), 0o644
                with Path(model).open("rb") as src:
                    tar.addfile(info, _Counting(src, _offset(progress, done, total)))
                done += entry.size
    except OSError as exc:
        raise OutputError(path=str(output), detail=exc.strerror or type(exc).__name__) from exc
    log.info("packed %d models (%d bytes) into a bundle", len(entries), total)
    return entries


def _offset(progress: Progress | None, done: int, total: int) -> Callable[[int], object]:
    """A per-file byte counter reporting overall progress (or nothing)."""

    def report(n: int) -> None:
        if progress is not None:
            progress(done + n, total)

    return report


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.pos + n
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


class _Counting:
    """A file wrapper that reports how much has been read (tarfile reads in blocks)."""

    def __init__(self, f: IO[bytes], report: Callable[[int], object]) -> None:
        self.f, self.report, self.count = f, report, 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.f.read(n)
        self.count += len(chunk)
        self.report(self.count)
        return chunk


def read_manifest(bundle: Path) -> list[BundledModel]:
    """The manifest of ``bundle`` (checked for shape, not yet for hashes)."""
    with _open(bundle) as tar:
        return _manifest(tar, bundle)[1]


def _open(bundle: Path) -> tarfile.TarFile:
    bundle = Path(bundle)
    if not bundle.is_file():
        raise BundleInvalid(name=bundle.name, detail="file not found")
    try:
        return tarfile.open(bundle, mode="r|")  # a stream: one pass, in order
    except (tarfile.TarError, OSError) as exc:
        raise BundleInvalid(name=bundle.name, detail="not a model bundle") from exc


def _manifest(tar: tarfile.TarFile, bundle: Path) -> tuple[Iterator[tarfile.TarInfo], list[BundledModel]]:
    members = _members(tar, bundle)
    first = next(members, None)
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > MAX_MANIFEST:
        raise BundleInvalid(name=bundle.name, detail="no manifest")
    f = tar.extractfile(first)
    try:
        data = json.loads(f.read() if f else b"")
        if data.get("format") != FORMAT or int(data.get("version", 0)) > FORMAT_VERSION:
            raise ValueError("unknown format")
        models = [BundledModel(**{k: m[k] for k in BundledModel.__dataclass_fields__}) for m in data["models"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BundleInvalid(name=bundle.name, detail="damaged manifest") from exc
    for m in models:
        if not _safe_name(m.file) or len(m.sha256) != 64 or m.size < 0:
            raise BundleInvalid(name=bundle.name, detail=f"bad entry {m.file!r}")
    if len({m.file for m in models}) != len(models):
        raise BundleInvalid(name=bundle.name, detail="duplicate entries")
    return members, models


def _members(tar: tarfile.TarFile, bundle: Path) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BundleInvalid(name=bundle.name, detail="truncated or damaged") from exc


def import_bundle(bundle: Path, target: Path, progress: Progress | None = None) -> list[tuple[BundledModel, str]]:
    """Copy every model of ``bundle`` into ``target`` after checking size and SHA-256.

    Returns (model, "imported" | "present") pairs. Raises ModelVerifyError on a hash
    mismatch and BundleInvalid on anything else wrong; a refused model leaves no file.
    """
    bundle, target = Path(bundle), Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path=str(target), detail=exc.strerror or type(exc).__name__) from exc
    results: list[tuple[BundledModel, str]] = []
    with _open(bundle) as tar:
        members, models = _manifest(tar, bundle)
        expected = {f"models/{m.file}": m for m in models}
        total, done = sum(m.size for m in models), 0
        for member in members:
            model = expected.pop(member.name, None)
            if model is None or not member.isfile():
                raise BundleInvalid(name=bundle.name, detail=f"unexpected member {member.name!r}")
            if member.size != model.size:
                raise ModelVerifyError(name=model.file)
            src = tar.extractfile(member)
            assert src is not None  # a regular file always has data
            try:
                results.append((model, _install(src, target / model.file, model, _offset(progress, done, total))))
            except (tarfile.TarError, EOFError) as exc:  # the stream ended inside a model
                raise BundleInvalid(name=bundle.name, detail="truncated or damaged") from exc
            done += model.size
        if expected:
            raise BundleInvalid(name=bundle.name, detail="missing " + ", ".join(sorted(expected)))
    log.info("imported a bundle of %d models", len(results))
    return results


def _install(src: IO[bytes], dest: Path, model: BundledModel, report: Callable[[int], object]) -> str:
    if dest.is_file() and dest.stat().st_size == model.size and sha256_file(dest) == model.sha256:
        while src.read(_BLOCK):  # the stream must still be read past this member
            pass
        return "present"
    h, n = hashlib.sha256(), 0
    try:
        with atomic_open(dest) as out:
            while block := src.read(_BLOCK):
                out.write(block)
                h.update(block)
                n += len(block)
                report(n)
            if n != model.size or h.hexdigest() != model.sha256:
                raise ModelVerifyError(name=model.file)  # atomic_open drops the temp file
    except OSError as exc:
        raise OutputError(path=str(dest), detail=exc.strerror or type(exc).__name__) from exc
    dest.chmod(0o644)  # readable by every user of a machine-wide folder
    return "imported"


def manifest_summary(models: list[BundledModel]) -> list[dict[str, Any]]:
    """The manifest entries as plain dicts (for printing or JSON)."""
    return [asdict(m) for m in models]
