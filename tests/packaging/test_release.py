"""The release folder: checksums, the SBOM, notices, policy templates, the unsigned marking."""

from __future__ import annotations

import filecmp
import json
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, need_tools

pytestmark = [pytest.mark.packaging, pytest.mark.slow]


def test_checksums_cover_every_release_file(release: Path) -> None:
    need_tools("sha256sum")
    proc = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = {line.split("  ", 1)[1] for line in (release / "SHA256SUMS").read_text().splitlines()}
    present = {p.relative_to(release).as_posix() for p in release.rglob("*")
               if p.is_file() and not p.name.startswith("SHA256SUMS")}
    assert listed == present


def test_unsigned_build_says_so(release: Path) -> None:
    names = [p.name for p in release.iterdir()]
    assert any(n.endswith("-x64-unsigned.msi") for n in names) and any(n.endswith("-unsigned.deb") for n in names)
    text = (release / "UNSIGNED.txt").read_text(encoding="utf-8")
    assert text.startswith("UNSIGNED BUILD") and "Authenticode" in text and "GPG" in text


def test_sbom_lists_what_the_bundle_really_holds(release: Path) -> None:
    (path,) = release.glob("hkpilot-*.cdx.json")
    bom = json.loads(path.read_text(encoding="utf-8"))
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["name"] == "HKPilot"
    comps = bom["components"]
    names = {c["name"] for c in comps}
    for native in ("Qt", "ICU", "OpenBLAS", "llama.cpp", "ggml", "CPython", "PyInstaller bootloader and runtime"):
        assert native in names, native
    for dist in ("PySide6_Essentials", "llama_cpp_python", "numpy", "python-docx", "fpdf2", "openpyxl", "pypdf"):
        assert dist in names, dist
    for build_only in ("pytest", "pyinstaller", "ruff", "mypy", "uvicorn", "fastapi"):
        assert build_only not in names, build_only
    for c in comps:
        assert c["licenses"], c["name"]
        if c.get("group") in ("native", "host"):
            assert len(c["hashes"][0]["content"]) == 64 and c["version"], c["name"]
    qt = next(c for c in comps if c["name"] == "Qt")
    assert qt["licenses"] == [{"license": {"id": "LGPL-3.0-only"}}]
    refs = {c["bom-ref"] for c in comps}
    assert set(bom["dependencies"][0]["dependsOn"]) == refs


def test_notices_carry_the_lgpl_obligations(release: Path, onedir: Path) -> None:
    text = (release / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    assert text == (onedir / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    for needle in ("LGPL components and your rights", "Written offer", "download.qt.io", "GNU LESSER GENERAL PUBLIC LICENSE",
                   "python-docx"):
        assert needle in text, needle


def test_policy_templates_published(release: Path) -> None:
    policy = ROOT / "installer" / "windows" / "policy"
    for rel in ("hkpilot.admx", "en-US/hkpilot.adml", "zh-HK/hkpilot.adml"):
        assert filecmp.cmp(policy / rel, release / "policy" / rel, shallow=False), rel
