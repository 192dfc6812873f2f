"""The .deb: its fields and contents, lintian, and a real install, CLI run and purge."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as DocxFile

from tests.packaging.conftest import need_tools

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

# Everything the package puts on the system; none of it may survive a purge.
INSTALLED = ("/opt/hkpilot", "/usr/bin/hkpilot", "/etc/hkpilot", "/var/lib/hkpilot", "/usr/share/applications/hkpilot.desktop",
             "/usr/share/doc/hkpilot", "/usr/share/metainfo/org.hkpilot.HKPilot.metainfo.xml",
             "/usr/share/icons/hicolor/256x256/apps/hkpilot.png", "/usr/share/man/man1/hkpilot.1.gz")


def _deb(release: Path) -> Path:
    (deb,) = release.glob("hkpilot_*_amd64*.deb")
    return deb


def _run(*cmd: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def test_fields_and_contents(release: Path) -> None:
    need_tools("dpkg-deb")
    deb = _deb(release)
    assert deb.name.endswith("-unsigned.deb") == (not (deb.parent / (deb.name + ".asc")).exists())
    info = _run("dpkg-deb", "-f", str(deb)).stdout
    fields = dict(re.findall(r"^(\S+): (.*)$", info, re.M))
    assert fields["Package"] == "hkpilot" and fields["Architecture"] == "amd64"
    depends = fields["Depends"]
    # computed from what the bundle needs and lacks: the X11/GL stack PyInstaller leaves to the system
    # (xcb-icccm/keysyms are bundled when the build host has them, else listed here)
    for lib in ("libc6 (>= ", "libxcb1", "libgl1", "libegl1"):
        assert lib in depends
    assert "fonts-noto-cjk" in fields["Recommends"]
    listing = _run("dpkg-deb", "-c", str(deb)).stdout
    for path in ("./opt/hkpilot/hkpilot", "./usr/bin/hkpilot -> /opt/hkpilot/hkpilot", "./usr/share/applications/hkpilot.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/hkpilot.svg", "./usr/share/icons/hicolor/48x48/apps/hkpilot.png",
                 "./usr/share/metainfo/org.hkpilot.HKPilot.metainfo.xml", "./usr/share/doc/hkpilot/copyright",
                 "./usr/share/lintian/overrides/hkpilot", "./etc/hkpilot/policy.toml", "./etc/hkpilot/defaults.toml",
                 "./var/lib/hkpilot/models/", "./opt/hkpilot/THIRD-PARTY-NOTICES.txt", "./usr/share/doc/hkpilot/DEPLOYMENT.md"):
        assert path in listing, path
    assert ".gguf" not in listing  # models travel as bundles, never in the package
    conffiles = _run("dpkg-deb", "--info", str(deb), "conffiles").stdout.split()
    assert conffiles == ["/etc/hkpilot/policy.toml", "/etc/hkpilot/defaults.toml"]


def test_lintian_has_no_errors_or_warnings(release: Path, dist: Path) -> None:
    report = dist / "work" / "lintian.txt"
    if report.is_file():  # the build already ran lintian and would have failed on a finding
        text = report.read_text(encoding="utf-8")
    else:
        need_tools("lintian")
        proc = _run("lintian", "--fail-on", "error,warning", str(_deb(release)), timeout=600)
        assert proc.returncode == 0, proc.stdout
        text = proc.stdout
    assert not re.search(r"^[EW]: ", text, re.M), text


def test_every_lintian_override_has_a_reason(release: Path, tmp_path: Path) -> None:
    need_tools("dpkg-deb")
    subprocess.run(["dpkg-deb", "-x", str(_deb(release)), str(tmp_path)], check=True)
    lines = (tmp_path / "usr/share/lintian/overrides/hkpilot").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("hkpilot:"):
            assert i > 0 and lines[i - 1].startswith("# ") and len(lines[i - 1]) > 20, line


@pytest.fixture
def installed(release: Path) -> object:
    """The .deb installed on this machine (root), purged afterwards whatever happens."""
    need_tools("dpkg", "apt-get")
    if os.geteuid() != 0:
        pytest.skip("installing a .deb needs root")
    if _run("dpkg-query", "-W", "hkpilot").returncode == 0:
        pytest.skip("hkpilot is already installed on this machine; not touching it")
    deb = _deb(release)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    proc = _run("apt-get", "install", "-y", "--no-install-recommends", str(deb), env=env, timeout=600)
    if proc.returncode != 0:  # no package index reachable for the xcb Depends: the CLI does not need them
        proc = _run("dpkg", "--force-depends", "-i", str(deb), env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    try:
        yield deb
    finally:
        _run("dpkg", "--purge", "hkpilot", env=env, timeout=300)


def test_install_translate_and_purge(installed: object, starter_model: Path, tmp_path: Path) -> None:
    assert _run("dpkg", "-V", "hkpilot").stdout == ""  # every installed file as packaged
    for path in INSTALLED:
        assert Path(path).exists(), path
    assert oct(Path("/var/lib/hkpilot/models").stat().st_mode & 0o777) == "0o755"
    source = tmp_path / "notice.docx"
    doc = DocxFile()
    doc.add_paragraph("The office will be closed on Friday.")
    doc.save(str(source))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["HKPILOT_HOME"] = str(tmp_path / "home")
    out = tmp_path / "notice.zh-HK.docx"
    proc = _run("/usr/bin/hkpilot", "translate", str(source), "--to", "zh-HK",
                "--model", str(starter_model), "-o", str(out), env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    text = "".join(p.text for p in DocxFile(str(out)).paragraphs)
    assert re.search(r"[\u4e00-\u9fff]", text), text

    subprocess.run(["dpkg", "--purge", "hkpilot"], check=True, capture_output=True)
    assert _run("dpkg-query", "-W", "-f", "${Status}", "hkpilot").stdout in ("", "unknown ok not-installed")
    left = [p for p in INSTALLED if os.path.lexists(p)]
    assert not left, f"left behind after purge: {left}"
