#!/usr/bin/env python3
"""Signing for release files: Authenticode (osslsigncode) and detached GPG signatures.

Everything works offline. The key material is given at build time through the
environment, never stored in the repository:

    HKPILOT_SIGN_PKCS12=cert.p12  [HKPILOT_SIGN_PASSWORD_FILE=pass.txt]     a PKCS#12 file, or
    HKPILOT_SIGN_PKCS11_MODULE=/usr/lib/.../opensc-pkcs11.so                 a PKCS#11 token:
    HKPILOT_SIGN_PKCS11_KEY='pkcs11:token=...;object=...'  HKPILOT_SIGN_CERT=chain.pem
    [HKPILOT_SIGN_TIMESTAMP_URL=http://tsa.dept.example]   an internal RFC 3161 time-stamping server
    [HKPILOT_SIGN_CAFILE=root.pem]                         to verify against a private root
    HKPILOT_GPG_KEY=<key id>  [GNUPGHOME=...]              detached signatures of the .deb and SHA256SUMS

Without them the build is unsigned and says so (file names carry ``-unsigned``).

    python installer/sign.py authenticode IN OUT      sign a .msi/.exe/.com and verify it
    python installer/sign.py verify FILE [--ca root.pem]
    python installer/sign.py gpg FILE                  write FILE.asc
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Signer:
    pkcs12: str = ""
    password_file: str = ""
    pkcs11_module: str = ""
    pkcs11_key: str = ""
    cert: str = ""
    timestamp_url: str = ""
    cafile: str = ""

    @classmethod
    def from_env(cls) -> Signer | None:
        """The Authenticode signer the environment describes, or None (an unsigned build)."""
        env = os.environ
        signer = cls(
            pkcs12=env.get("HKPILOT_SIGN_PKCS12", ""),
            password_file=env.get("HKPILOT_SIGN_PASSWORD_FILE", ""),
            pkcs11_module=env.get("HKPILOT_SIGN_PKCS11_MODULE", ""),
            pkcs11_key=env.get("HKPILOT_SIGN_PKCS11_KEY", ""),
            cert=env.get("HKPILOT_SIGN_CERT", ""),
            timestamp_url=env.get("HKPILOT_SIGN_TIMESTAMP_URL", ""),
            cafile=env.get("HKPILOT_SIGN_CAFILE", ""),
        )
        if signer.pkcs12 or (signer.pkcs11_module and signer.pkcs11_key and signer.cert):
            return signer
        return None

    def key_args(self) -> list[str]:
        if self.pkcs12:
            args = ["-pkcs12", self.pkcs12]
            if self.password_file:
                args += ["-readpass", self.password_file]
            return args
        return ["-pkcs11module", self.pkcs11_module, "-key", self.pkcs11_key, "-certs", self.cert]


def authenticode(signer: Signer, src: Path, dest: Path, description: str = "HKPilot") -> Path:
    """Sign ``src`` (PE or MSI) into ``dest`` with SHA-256, then verify the signature."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    cmd = ["osslsigncode", "sign", *signer.key_args(), "-h", "sha256", "-n", description, "-in", str(src), "-out", str(dest)]
    if signer.timestamp_url:
        cmd[2:2] = ["-ts", signer.timestamp_url]
    proc = subprocess.run(cmd, text=True, capture_output=True)
    if proc.returncode != 0:
        raise SystemExit(f"osslsigncode sign failed for {src.name}: {(proc.stderr or proc.stdout).strip()[-500:]}")
    verify(dest, signer.cafile or None)
    return dest


def verify(path: Path, cafile: str | None = None) -> str:
    """``osslsigncode verify``; raises SystemExit when the signature does not check out."""
    cmd = ["osslsigncode", "verify", "-in", str(path)]
    if cafile:
        cmd += ["-CAfile", cafile]
    proc = subprocess.run(cmd, text=True, capture_output=True)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or "Signature verification: ok" not in out:
        raise SystemExit(f"signature of {path.name} does not verify:\n{out[-1500:]}")
    return out


def gpg_key() -> str | None:
    return os.environ.get("HKPILOT_GPG_KEY") or None


def gpg_detach(path: Path, key: str) -> Path:
    """Write an ASCII-armoured detached signature ``path.asc`` and check it."""
    asc = path.with_name(path.name + ".asc")
    subprocess.run(
        ["gpg", "--batch", "--yes", "--local-user", key, "--armor", "--detach-sign", "--output", str(asc), str(path)],
        check=True,
        capture_output=True,
    )
    subprocess.run(["gpg", "--batch", "--verify", str(asc), str(path)], check=True, capture_output=True)
    return asc


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "authenticode":
        signer = Signer.from_env()
        if signer is None:
            raise SystemExit("no signing key: set HKPILOT_SIGN_PKCS12 or the HKPILOT_SIGN_PKCS11_* variables")
        print(authenticode(signer, Path(argv[1]), Path(argv[2])))
    elif len(argv) >= 2 and argv[0] == "verify":
        ca = argv[argv.index("--ca") + 1] if "--ca" in argv else None
        print(verify(Path(argv[1]), ca))
    elif len(argv) == 2 and argv[0] == "gpg":
        key = gpg_key()
        if key is None:
            raise SystemExit("set HKPILOT_GPG_KEY")
        print(gpg_detach(Path(argv[1]), key))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    if shutil.which("osslsigncode") is None:
        print("osslsigncode is not installed (apt-get install osslsigncode)", file=sys.stderr)
    sys.exit(main(sys.argv[1:]))
