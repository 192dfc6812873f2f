#!/usr/bin/env python3
"""Build everything an IT department deploys: ``make package`` runs this.

    python tools/package.py [--out dist] [--work build/package] [--steps all|prepare,freeze,sbom,deb,msi,sign,sums]

Steps (each prints its time):
  prepare  compile the Qt catalogue, regenerate the Group Policy templates, render the icons
  freeze   PyInstaller onedir ``dist/hkpilot`` (installer/pyinstaller/hkpilot.spec)
  sbom     CycloneDX SBOM of the bundle and THIRD-PARTY-NOTICES.txt inside it
  deb      ``hkpilot_<version>_amd64.deb`` (Linux), checked with lintian when installed
  msi      ``HKPilot-<version>-x64.msi`` (wixl here, WiX 5 on Windows), Authenticode-signed when a key is set
  sums     ``SHA256SUMS`` of the release files, GPG-signed (with the .deb) when HKPILOT_GPG_KEY is set

Release files land in ``dist/release/``. Without signing keys (see installer/sign.py) the
build is unsigned and says so: the .msi and .deb names end in ``-unsigned`` and
``UNSIGNED.txt`` lists what was not signed. Nothing here downloads anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "installer"))
sys.path.insert(0, str(ROOT / "installer" / "linux"))
sys.path.insert(0, str(ROOT / "installer" / "windows"))

from hkpilot import __version__  # noqa: E402

STEPS = ("prepare", "freeze", "sbom", "deb", "msi", "sums")
IS_WIN = sys.platform == "win32"


def say(msg: str) -> None:
    print(f"[package] {msg}", flush=True)


def run(cmd: list[str], **kw: object) -> None:
    say("$ " + " ".join(str(c) for c in cmd[:8]) + (" ..." if len(cmd) > 8 else ""))
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


class Build:
    def __init__(self, out: Path, work: Path, deb_compress: str, lintian: bool) -> None:
        self.out, self.work = out.resolve(), work.resolve()
        self.release = self.out / "release"
        self.onedir = self.out / "hkpilot"
        self.icons = self.work / "icons"
        self.deb_compress = deb_compress
        self.lintian = lintian
        self.timings: dict[str, float] = {}
        self.unsigned: list[str] = []
        self.info: dict[str, object] = {"version": __version__, "platform": sys.platform}

    def step(self, name: str) -> None:
        t0 = time.monotonic()
        say(f"== {name}")
        getattr(self, name)()
        self.timings[name] = round(time.monotonic() - t0, 1)
        say(f"== {name} done in {self.timings[name]} s")

    # -- steps --------------------------------------------------------------------------

    def prepare(self) -> None:
        py = sys.executable
        run([py, ROOT / "tools" / "qt_translations.py", "release"])
        run([py, ROOT / "tools" / "policy_templates.py"])
        run([py, ROOT / "tools" / "render_icons.py", self.icons], stdout=subprocess.DEVNULL)

    def freeze(self) -> None:
        env = dict(os.environ, HKPILOT_ICON=str(self.icons / "hkpilot.ico"))
        run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "--distpath", self.out,
             "--workpath", self.work / "pyinstaller", ROOT / "installer" / "pyinstaller" / "hkpilot.spec"],
            env=env,
        )
        files = [p for p in self.onedir.rglob("*") if p.is_file() and not p.is_symlink()]
        self.info["onedir_bytes"] = sum(p.stat().st_size for p in files)
        self.info["onedir_files"] = len(files)
        if IS_WIN:
            self._sign_executables()

    def sbom(self) -> None:
        self.release.mkdir(parents=True, exist_ok=True)
        run([sys.executable, ROOT / "tools" / "sbom.py", "--strict", "--work", self.work / "pyinstaller" / "hkpilot",
             "--onedir", self.onedir, "--sbom", self.release / f"hkpilot-{__version__}.cdx.json",
             "--notices", self.onedir / "THIRD-PARTY-NOTICES.txt"])
        shutil.copyfile(self.onedir / "THIRD-PARTY-NOTICES.txt", self.release / "THIRD-PARTY-NOTICES.txt")

    def deb(self) -> None:
        if IS_WIN:
            say("no .deb on Windows")
            return
        import build_deb

        docs = [ROOT / "docs" / "DEPLOYMENT.md"]
        deb = build_deb.build(self.onedir, self.icons, self.work / "deb", __version__, self.deb_compress, docs, self.work)
        if self.lintian and shutil.which("lintian"):
            proc = subprocess.run(["lintian", "--fail-on", "error,warning", str(deb)], text=True, capture_output=True)
            report = proc.stdout + proc.stderr
            (self.work / "lintian.txt").write_text(report, encoding="utf-8")
            self.info["lintian"] = "clean (errors and warnings)" if proc.returncode == 0 else "FAILED"
            if proc.returncode != 0:
                raise SystemExit("lintian found errors or warnings:\n" + report[-3000:])
        signed = self._gpg_key() is not None
        name = deb.name if signed else deb.name.replace(".deb", "-unsigned.deb")
        self.release.mkdir(parents=True, exist_ok=True)
        for old in self.release.glob("hkpilot_*.deb*"):
            old.unlink()
        target = self.release / name
        shutil.copyfile(deb, target)
        self.info["deb_bytes"] = target.stat().st_size
        if signed:
            from sign import gpg_detach

            gpg_detach(target, self._gpg_key() or "")
        else:
            self.unsigned.append(f"{name}: no detached GPG signature (set HKPILOT_GPG_KEY)")

    def msi(self) -> None:
        import build_msi
        from sign import Signer, authenticode

        unsigned = self.work / "HKPilot.msi"
        build_msi.build(self.onedir, self.icons / "hkpilot.ico", unsigned, __version__, "wix" if IS_WIN else "wixl")
        for old in self.release.glob("HKPilot-*.msi"):
            old.unlink()
        signer = Signer.from_env()
        base = f"HKPilot-{__version__}-x64"
        if signer is not None:
            target = authenticode(signer, unsigned, self.release / f"{base}.msi")
        else:
            target = self.release / f"{base}-unsigned.msi"
            shutil.copyfile(unsigned, target)
            self.unsigned.append(f"{target.name}: no Authenticode signature (set HKPILOT_SIGN_PKCS12 or HKPILOT_SIGN_PKCS11_*)")
        self.info["msi_bytes"] = target.stat().st_size
        policy = self.release / "policy"
        if policy.exists():
            shutil.rmtree(policy)
        shutil.copytree(ROOT / "installer" / "windows" / "policy", policy)

    def sums(self) -> None:
        for old in [*self.release.glob("SHA256SUMS*"), self.release / "UNSIGNED.txt"]:
            old.unlink(missing_ok=True)
        key = self._gpg_key()
        if key is None:
            self.unsigned.append("SHA256SUMS: no detached GPG signature (set HKPILOT_GPG_KEY)")
        if self.unsigned:
            text = "UNSIGNED BUILD: do not deploy outside testing.\n" + "\n".join(self.unsigned) + "\n"
            (self.release / "UNSIGNED.txt").write_text(text, encoding="utf-8")
        files = sorted(p for p in self.release.rglob("*") if p.is_file() and not p.name.startswith("SHA256SUMS"))
        sums = self.release / "SHA256SUMS"
        sums.write_text("".join(f"{sha256(p)}  {p.relative_to(self.release).as_posix()}\n" for p in files), encoding="utf-8")
        if key is not None:
            from sign import gpg_detach

            gpg_detach(sums, key)

    # -- helpers ------------------------------------------------------------------------

    def _gpg_key(self) -> str | None:
        from sign import gpg_key

        return gpg_key()

    def _sign_executables(self) -> None:
        from sign import Signer, authenticode

        signer = Signer.from_env()
        exes = [self.onedir / "HKPilot.exe", self.onedir / "hkpilot.com"]
        if signer is None:
            self.unsigned += [f"{p.name}: no Authenticode signature" for p in exes]
            return
        for exe in exes:
            signed = exe.with_name(exe.name + ".signed")
            authenticode(signer, exe, signed)
            signed.replace(exe)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "dist")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "package")
    ap.add_argument("--steps", default="all", help="comma-separated: " + ",".join(STEPS))
    ap.add_argument("--deb-compress", choices=("xz", "zstd", "gzip"), default=os.environ.get("HKPILOT_DEB_COMPRESS", "xz"))
    ap.add_argument("--no-lintian", action="store_true")
    args = ap.parse_args(argv)
    steps = STEPS if args.steps == "all" else tuple(s.strip() for s in args.steps.split(","))
    unknown = set(steps) - set(STEPS)
    if unknown:
        ap.error(f"unknown steps: {', '.join(sorted(unknown))}")
    build = Build(args.out, args.work, args.deb_compress, not args.no_lintian)
    t0 = time.monotonic()
    for step in STEPS:
        if step in steps:
            build.step(step)
    build.info["seconds"] = build.timings | {"total": round(time.monotonic() - t0, 1)}
    build.release.mkdir(parents=True, exist_ok=True)
    (build.work / "build-info.json").write_text(json.dumps(build.info, indent=1) + "\n", encoding="utf-8")
    say(f"release files in {build.release}:")
    for p in sorted(build.release.rglob("*")):
        if p.is_file():
            say(f"  {p.relative_to(build.release)}  {p.stat().st_size / 2**20:.1f} MB")
    if build.unsigned:
        say("UNSIGNED BUILD: " + "; ".join(build.unsigned))
    say(json.dumps(build.info["seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
