"""Fixtures for the packaging tests: one full build per session (or a given one).

The build (PyInstaller onedir, .deb, MSI, SBOM, checksums) takes minutes, and the .deb
test installs and purges a system package, so the tests that need it run only with
``HKPILOT_PACKAGING_TESTS=1``. ``HKPILOT_DIST=dist`` reuses what ``make package`` built
instead of building again. The signing tests build a tiny MSI of their own and always run
where the tools are installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENABLED = os.environ.get("HKPILOT_PACKAGING_TESTS") == "1"


def need_tools(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install msitools wixl lintian osslsigncode gnupg)")


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``hkpilot/`` (the onedir) and ``release/`` (the files to publish)."""
    if not ENABLED:
        pytest.skip("set HKPILOT_PACKAGING_TESTS=1 to build and test the packages (several minutes)")
    given = os.environ.get("HKPILOT_DIST")
    if given:
        return Path(given).resolve()
    need_tools("dpkg-deb", "wixl")
    out = tmp_path_factory.mktemp("dist")
    # gzip keeps the test build quick (xz, the release default, costs about a minute more)
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "package.py"), "--out", str(out), "--work", str(out / "work"),
         "--deb-compress", "gzip"],
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("HKPILOT_SIGN_", "HKPILOT_GPG"))},
    )
    return out


@pytest.fixture(scope="session")
def release(dist: Path) -> Path:
    return dist / "release"


@pytest.fixture(scope="session")
def onedir(dist: Path) -> Path:
    return dist / "hkpilot"
