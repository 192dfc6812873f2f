"""Offline model bundles: pack, import with hash checks, refuse tampered or odd bundles."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from hkpilot.cli import main
from hkpilot.engines import bundles
from hkpilot.engines.catalogue import sha256_file
from hkpilot.errors import ModelVerifyError
from tests.unit.test_gguf import make_gguf


def _models(tmp_path: Path) -> list[Path]:
    src = tmp_path / "src"
    src.mkdir()
    out = []
    for name, template, filler in (("alpha.gguf", "{{ messages }}", b"A"), ("beta.gguf", None, b"B")):
        path = make_gguf(src / name, template=template)
        with path.open("ab") as f:
            f.write(filler * 300_000)  # tensor data stand-in, so a flipped byte lands in the payload
        out.append(path)
    return out


def test_pack_and_import_round_trip(tmp_path: Path) -> None:
    models = _models(tmp_path)
    bundle = tmp_path / "share" / "models.hkpilot-bundle"
    entries = bundles.pack(models, bundle, licence="apache-2.0")
    assert [e.file for e in entries] == ["alpha.gguf", "beta.gguf"]
    assert entries[0].chat_template and not entries[1].chat_template
    assert entries[0].context_length == 2048 and entries[0].licence == "apache-2.0"
    with tarfile.open(bundle) as tar:  # a plain tar, manifest first
        assert tar.getnames() == ["hkpilot-bundle.json", "models/alpha.gguf", "models/beta.gguf"]
    manifest = bundles.read_manifest(bundle)
    assert manifest[1].sha256 == sha256_file(models[1]) and manifest[1].size == models[1].stat().st_size

    target = tmp_path / "machine"
    results = bundles.import_bundle(bundle, target)
    assert [state for _m, state in results] == ["imported", "imported"]
    for m in models:
        assert (target / m.name).read_bytes() == m.read_bytes()
        assert (target / m.name).stat().st_mode & 0o044 == 0o044  # readable by every user
    assert [state for _m, state in bundles.import_bundle(bundle, target)] == ["present", "present"]


def test_licence_read_from_the_gguf_when_not_given(tmp_path: Path) -> None:
    models = _models(tmp_path)
    assert bundles.describe(models[0]).licence == "unknown"


def test_tampered_model_refused_and_nothing_left(tmp_path: Path) -> None:
    bundle = tmp_path / "b.tar"
    bundles.pack(_models(tmp_path), bundle)
    data = bytearray(bundle.read_bytes())
    data[-100_000] ^= 0xFF  # inside beta.gguf's data
    bundle.write_bytes(bytes(data))
    target = tmp_path / "machine"
    with pytest.raises(ModelVerifyError) as err:
        bundles.import_bundle(bundle, target)
    assert err.value.params["name"] == "beta.gguf" and err.value.exit_code == 4
    assert sorted(p.name for p in target.iterdir()) == ["alpha.gguf"]  # no beta, no temp file


def test_manifest_lie_about_hash_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "b.tar"
    bundles.pack(_models(tmp_path)[:1], bundle)
    with tarfile.open(bundle) as tar:
        manifest = json.loads(tar.extractfile("hkpilot-bundle.json").read())  # type: ignore[union-attr]
        payload = tar.extractfile("models/alpha.gguf").read()  # type: ignore[union-attr]
    manifest["models"][0]["sha256"] = "0" * 64
    forged = tmp_path / "forged.tar"
    _write_tar(forged, [("hkpilot-bundle.json", json.dumps(manifest).encode()), ("models/alpha.gguf", payload)])
    with pytest.raises(ModelVerifyError):
        bundles.import_bundle(forged, tmp_path / "t")
    assert not any((tmp_path / "t").iterdir())


def _write_tar(path: Path, members: list[tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    "members, detail",
    [
        ([("models/a.gguf", b"x")], "no manifest"),
        ([("hkpilot-bundle.json", b"{not json")], "damaged manifest"),
        ([("hkpilot-bundle.json", b'{"format": "other", "version": 1, "models": []}')], "damaged manifest"),
    ],
)
def test_malformed_bundles_refused(tmp_path: Path, members: list[tuple[str, bytes]], detail: str) -> None:
    bad = tmp_path / "bad.tar"
    _write_tar(bad, members)
    with pytest.raises(bundles.BundleInvalid) as err:
        bundles.import_bundle(bad, tmp_path / "t")
    assert err.value.params["detail"] == detail


def test_path_traversal_and_extra_members_refused(tmp_path: Path) -> None:
    entry = {"file": "../evil.gguf", "name": "x", "licence": "", "size": 1, "sha256": "0" * 64, "context_length": 0,
             "chat_template": False, "architecture": "", "quantization": ""}
    manifest = {"format": bundles.FORMAT, "version": 1, "models": [entry]}
    bad = tmp_path / "bad.tar"
    _write_tar(bad, [("hkpilot-bundle.json", json.dumps(manifest).encode()), ("models/../evil.gguf", b"x")])
    with pytest.raises(bundles.BundleInvalid):
        bundles.import_bundle(bad, tmp_path / "t")
    entry["file"] = "ok.gguf"
    _write_tar(bad, [("hkpilot-bundle.json", json.dumps(manifest).encode()), ("models/other.gguf", b"x")])
    with pytest.raises(bundles.BundleInvalid) as err:
        bundles.import_bundle(bad, tmp_path / "t")
    assert "unexpected member" in err.value.params["detail"]
    assert not (tmp_path / "evil.gguf").exists()


def test_truncated_bundle_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "b.tar"
    bundles.pack(_models(tmp_path), bundle)
    bundle.write_bytes(bundle.read_bytes()[:400_000])
    with pytest.raises((bundles.BundleInvalid, ModelVerifyError)):
        bundles.import_bundle(bundle, tmp_path / "t")
    assert not [p for p in (tmp_path / "t").iterdir() if p.name.startswith("beta") or p.suffix == ".tmp"]


def test_not_a_gguf_refused_when_packing(tmp_path: Path) -> None:
    fake = tmp_path / "x.gguf"
    fake.write_bytes(b"not a model")
    with pytest.raises(Exception) as err:
        bundles.pack([fake], tmp_path / "b.tar")
    assert getattr(err.value, "exit_code", None) == 4


def test_cli_pack_import_list(tmp_path: Path, capsys: pytest.CaptureFixture[str], _temp_home: Path) -> None:
    models = _models(tmp_path)
    bundle = tmp_path / "models.bundle"
    assert main(["models", "pack", *map(str, models), "-o", str(bundle)]) == 0
    assert main(["models", "import", str(bundle), "--machine"]) == 0
    out = capsys.readouterr().out
    shared = _temp_home / "machine" / "models"
    assert str(shared) in out and (shared / "alpha.gguf").is_file()
    assert main(["models", "list"]) == 0
    assert "alpha.gguf" in capsys.readouterr().out  # the machine-wide folder is listed
    assert main(["models", "import", str(bundle)]) == 0
    assert (_temp_home / "data" / "models" / "beta.gguf").is_file()
    data = bytearray(bundle.read_bytes())
    data[-50_000] ^= 1
    bundle.write_bytes(bytes(data))
    (_temp_home / "data" / "models" / "beta.gguf").unlink()
    assert main(["models", "import", str(bundle)]) == 4
    assert "integrity" in capsys.readouterr().err
    assert main(["models", "pack"]) == 2
