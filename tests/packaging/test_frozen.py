"""The PyInstaller onedir: what it holds, and ``hkpilot --selftest`` run on it, offline."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.packaging, pytest.mark.slow]


def test_onedir_holds_what_the_app_needs_and_not_more(onedir: Path) -> None:
    internal = onedir / "_internal"
    for rel in ("llama_cpp/lib/libllama.so", "translations/hkpilot_zh_HK.qm", "translations/hkpilot_zh_HK.po",
                "resources/templates/memo.toml", "resources/icons/hkpilot.svg", "PySide6/Qt/translations/qtbase_zh_TW.qm",
                "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
                "fpdf/__init__.py"):  # fpdf2 (LGPL) ships as replaceable source
        assert (internal / rel).is_file(), rel
    assert (onedir / "hkpilot").is_file() and os.access(onedir / "hkpilot", os.X_OK)
    assert "LGPL" in (onedir / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    names = [p.relative_to(internal).as_posix() for p in internal.rglob("*")]
    for unwanted in (r"libQt6Qml", r"libQt6Quick", r"libQt6WebEngine", r"qt_help_", r"libqgtk3", r"assistant_", r"_pytest/",
                     r"PyInstaller/", r"designer_", r"qtbase_de\.qm"):
        assert not [n for n in names if re.search(unwanted, n)], unwanted
    assert not [p for p in onedir.rglob("*") if p.is_symlink() and not p.exists()], "dangling symlinks"
    size = sum(p.stat().st_size for p in onedir.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 320 * 2**20, f"the onedir grew to {size / 2**20:.0f} MB"


def _frozen_env(tmp_path: Path, model: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "defaults.toml").write_text(f'"local.model_path" = "{model}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HKPILOT_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def test_frozen_selftest_passes_without_network(onedir: Path, starter_model: Path, tmp_path: Path) -> None:
    """The frozen app works with no network at all and opens no internet connection."""
    cmd = [str(onedir / "hkpilot"), "--selftest"]
    trace = tmp_path / "connect.log"
    if shutil.which("strace"):
        cmd = ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *cmd]
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-rn", *cmd]  # a network namespace with nothing in it
    proc = subprocess.run(cmd, env=_frozen_env(tmp_path, starter_model), capture_output=True, text=True, timeout=300)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "(frozen," in out and "Self-test passed." in out
    for label in ("imports", "write and read a .docx", "open the window offscreen", "one completion with the local model"):
        assert f"ok    {label}" in out, label
    assert "[installer default]" in out
    if trace.is_file():
        inet = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
        assert not inet, inet


def test_frozen_cli_reports_errors_with_exit_codes(onedir: Path, tmp_path: Path, starter_model: Path) -> None:
    env = _frozen_env(tmp_path, starter_model)
    version = subprocess.run([str(onedir / "hkpilot"), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("HKPilot ")
    missing = subprocess.run([str(onedir / "hkpilot"), "--lang", "zh-HK", "summarise", str(tmp_path / "none.docx")],
                             env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 3 and "找不到" in missing.stderr
