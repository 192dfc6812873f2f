"""Authenticode (osslsigncode) and detached GPG signatures, with throwaway keys.

These build a tiny MSI of their own with wixl, so they run without the full build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, need_tools

sys.path.insert(0, str(ROOT / "installer"))
sys.path.insert(0, str(ROOT / "installer" / "windows"))

import build_msi
import sign

pytestmark = pytest.mark.packaging


@pytest.fixture
def tiny_msi(tmp_path: Path) -> Path:
    need_tools("wixl", "osslsigncode", "openssl")
    onedir = tmp_path / "hkpilot"
    (onedir / "_internal").mkdir(parents=True)
    (onedir / "hkpilot").write_bytes(b"#!/bin/sh\necho stand-in\n")
    (onedir / "_internal" / "data.txt").write_text("payload\n")
    icon = ROOT / "resources" / "icons" / "hkpilot.svg"  # any file will do for wixl's Icon table
    return build_msi.build(onedir, icon, tmp_path / "HKPilot.msi", "0.1.0")


@pytest.fixture
def p12(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A self-signed code-signing certificate: (PKCS#12 file, its password file, the certificate)."""
    key, cert, p12, password = (tmp_path / n for n in ("k.pem", "c.pem", "c.p12", "pass.txt"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=HKPilot Test",
                    "-addext", "extendedKeyUsage=codeSigning", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    password.write_text("throwaway\n")
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(cert), "-out", str(p12),
                    "-passout", "pass:throwaway"], check=True, capture_output=True)
    return p12, password, cert


def test_authenticode_sign_verify_and_tamper(tiny_msi: Path, p12: tuple[Path, Path, Path], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert sign.Signer.from_env() is None  # no key: an unsigned build
    monkeypatch.setenv("HKPILOT_SIGN_PKCS12", str(p12[0]))
    monkeypatch.setenv("HKPILOT_SIGN_PASSWORD_FILE", str(p12[1]))
    monkeypatch.setenv("HKPILOT_SIGN_CAFILE", str(p12[2]))
    signer = sign.Signer.from_env()
    assert signer is not None
    signed = sign.authenticode(signer, tiny_msi, tmp_path / "signed.msi")
    assert "Signature verification: ok" in sign.verify(signed, str(p12[2]))
    with pytest.raises(SystemExit):
        sign.verify(signed)  # self-signed: not trusted without its root
    with pytest.raises(SystemExit):
        sign.verify(tiny_msi, str(p12[2]))  # an unsigned file does not pass
    data = bytearray(signed.read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered = tmp_path / "tampered.msi"
    tampered.write_bytes(bytes(data))
    with pytest.raises(SystemExit):
        sign.verify(tampered, str(p12[2]))


@pytest.fixture
def gpg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A throwaway GnuPG home with one signing key; its agent is stopped afterwards."""
    need_tools("gpg", "gpgv")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    subprocess.run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "HKPilot Release <rel@example.org>", "ed25519",
                    "sign", "1d"], check=True, capture_output=True)
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)  # else it outlives the test


def test_gpg_detached_signature(gpg_home: Path, tmp_path: Path) -> None:
    sums = tmp_path / "SHA256SUMS"
    sums.write_text("0" * 64 + "  hkpilot_0.1.0_amd64.deb\n")
    asc = sign.gpg_detach(sums, "rel@example.org")
    assert asc.read_text().startswith("-----BEGIN PGP SIGNATURE-----")
    keyring = tmp_path / "pub.gpg"
    subprocess.run(["gpg", "--batch", "--export", "--output", str(keyring), "rel@example.org"], check=True)
    env = dict(os.environ)
    ok = subprocess.run(["gpgv", "--keyring", str(keyring), str(asc), str(sums)], capture_output=True, env=env)
    assert ok.returncode == 0
    sums.write_text("1" * 64 + "  hkpilot_0.1.0_amd64.deb\n")
    bad = subprocess.run(["gpgv", "--keyring", str(keyring), str(asc), str(sums)], capture_output=True, env=env)
    assert bad.returncode != 0




@pytest.mark.slow
def test_signed_release_build(dist: Path, p12: tuple[Path, Path, Path], gpg_home: Path, tmp_path: Path) -> None:
    """tools/package.py with keys: signed names, a verifying MSI, a signed SHA256SUMS, no UNSIGNED.txt."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "hkpilot").symlink_to(dist / "hkpilot")  # reuse the frozen onedir; rebuild only the MSI and the sums
    env = dict(os.environ, HKPILOT_SIGN_PKCS12=str(p12[0]), HKPILOT_SIGN_PASSWORD_FILE=str(p12[1]),
               HKPILOT_SIGN_CAFILE=str(p12[2]), HKPILOT_GPG_KEY="rel@example.org")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--out", str(out), "--work", str(tmp_path / "w"),
                           "--steps", "prepare,msi,sums"], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "UNSIGNED" not in proc.stdout
    release = out / "release"
    (msi,) = release.glob("HKPilot-*.msi")
    assert msi.name.endswith("-x64.msi") and not (release / "UNSIGNED.txt").exists()
    assert "Signature verification: ok" in sign.verify(msi, str(p12[2]))
    keyring = tmp_path / "pub.gpg"
    subprocess.run(["gpg", "--batch", "--export", "--output", str(keyring), "rel@example.org"], check=True)
    check = subprocess.run(["gpgv", "--keyring", str(keyring), str(release / "SHA256SUMS.asc"), str(release / "SHA256SUMS")],
                           capture_output=True)
    assert check.returncode == 0
    assert msi.name in (release / "SHA256SUMS").read_text()
