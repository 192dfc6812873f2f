#!/usr/bin/env python3
"""Build the HKPilot .deb from the PyInstaller onedir with dpkg-deb (no debhelper needed).

    python installer/linux/build_deb.py --onedir dist/hkpilot --icons build/package/icons \\
        --out dist/release [--version 0.1.0] [--compress xz|zstd|gzip]

Layout: the onedir in ``/opt/hkpilot``; ``/usr/bin/hkpilot`` -> ``/opt/hkpilot/hkpilot``;
the .desktop file, hicolor icons, AppStream metainfo, man page, ``copyright``, the
lintian overrides (each with its reason); ``/etc/hkpilot/policy.toml`` and
``defaults.toml`` as conffiles; the machine-wide models folder ``/var/lib/hkpilot/models``.

Depends is computed, not guessed: every shared library some bundled ELF file needs and
the bundle does not hold (Qt's xcb and GL stack, libc) is mapped to its Debian package
with ``dpkg -S``; a library nobody can map fails the build. Prints the .deb's path.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKAGE = "hkpilot"
MAINTAINER = "HKPilot maintainers <hkpilot@example.org>"

# Libraries Qt needs that the build host may lack (so dpkg -S cannot name them).
KNOWN_PACKAGES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libxcb.so.1": "libxcb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
# Needed by a library only when an optional Qt plugin loads; Recommends, not Depends.
RECOMMENDS = ["fonts-noto-cjk"]

DESCRIPTION = """\
document copilot for Hong Kong civil servants
 HKPilot opens Word, PDF, Excel and text files and drafts, translates
 (English and Traditional Chinese for Hong Kong) or summarises them with a
 language model that runs on this computer (a GGUF model through llama.cpp)
 or on the department's OpenAI-compatible inference server. Nothing is sent
 to the internet.
 .
 This package is a self-contained bundle in /opt/hkpilot. Without a CJK
 font (fonts-noto-cjk) Chinese text shows as empty boxes."""

LINTIAN_OVERRIDES = """\
# A self-contained application bundle lives in /opt by design (Policy 9.1.1: add-on software).
hkpilot: dir-or-file-in-opt [opt/hkpilot/*]
# Qt, Python, zlib... are shipped as the exact versions HKPilot was tested with, not the system's.
hkpilot: embedded-library *
# CPython's own RUNPATH to its build prefix; unused: the bundle loads its libpython first.
hkpilot: custom-library-search-path *
# Not stripped on purpose: stripping broke NumPy's bundled OpenBLAS (load commands misaligned).
hkpilot: unstripped-binary-or-object *
# Private libraries in /opt that no other package links to: no shlibs, symbols or ldconfig.
hkpilot: shared-library-lacks-prerequisites *
# Prebuilt wheel libraries (Pillow's) were linked by their upstream; they load and work.
hkpilot: library-not-linked-against-libc *
# PyInstaller's prebuilt bootloader is not a PIE; rebuild it from source to change that.
hkpilot: hardening-no-pie [opt/hkpilot/hkpilot]
"""


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed_libraries(onedir: Path) -> tuple[set[str], str]:
    """Shared libraries the bundle needs from the system, and the highest GLIBC_ version used."""
    bundled = {p.name for p in onedir.rglob("*")}
    needed: set[str] = set()
    glibc = (2, 17)
    for path in onedir.rglob("*"):
        if path.is_symlink() or not path.is_file() or not is_elf(path):
            continue
        out = subprocess.run(["readelf", "-dW", str(path)], text=True, capture_output=True).stdout
        needed |= {m for m in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out) if m not in bundled}
        for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", path.read_bytes()):
            glibc = max(glibc, (int(major), int(minor)))
    return needed, f"{glibc[0]}.{glibc[1]}"


def _ldconfig() -> dict[str, str]:
    out = run(["/sbin/ldconfig", "-p"]).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if m and "64" in m.group(2):
            found.setdefault(m.group(1), m.group(3))
    return found


def package_of(soname: str, paths: dict[str, str]) -> str | None:
    if soname in KNOWN_PACKAGES:
        return KNOWN_PACKAGES[soname]
    path = paths.get(soname)
    if path is None:
        return None
    for candidate in {path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/"), path.replace("/lib/", "/usr/lib/", 1)}:
        proc = subprocess.run(["dpkg", "-S", candidate], text=True, capture_output=True)
        if proc.returncode == 0:
            return proc.stdout.split(":")[0].strip()
    return None


def depends(onedir: Path) -> str:
    needed, glibc = needed_libraries(onedir)
    paths = _ldconfig()
    packages: set[str] = set()
    unknown: list[str] = []
    for soname in sorted(needed):
        if soname.startswith(("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "libutil.so", "ld-linux")):
            continue  # libc6, versioned below
        pkg = package_of(soname, paths)
        if pkg is None:
            unknown.append(soname)
        else:
            packages.add(pkg)
    if unknown:
        sys.exit("cannot map to a Debian package (add to KNOWN_PACKAGES): " + ", ".join(unknown))
    packages.discard("libc6")
    return ", ".join([f"libc6 (>= {glibc})", *sorted(packages)])


def _date() -> tuple[str, str]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    t = time.gmtime(epoch)
    return time.strftime("%Y-%m-%d", t), time.strftime("%a, %d %b %Y %H:%M:%S +0000", t)


def _gzip(src_text: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9, filename="") as f:
        f.write(src_text.encode("utf-8"))


def stage(onedir: Path, icons: Path, version: str, docs: list[Path], stage_dir: Path) -> Path:
    """Lay out the package tree in ``stage_dir`` and return it."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    day, stamp = _date()
    opt = stage_dir / "opt" / PACKAGE
    shutil.copytree(onedir, opt, symlinks=True)
    (stage_dir / "usr" / "bin").mkdir(parents=True)
    os.symlink(f"/opt/{PACKAGE}/hkpilot", stage_dir / "usr" / "bin" / "hkpilot")  # absolute: another top-level dir
    share = stage_dir / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(HERE / "hkpilot.desktop", share / "applications" / "hkpilot.desktop")
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    meta = (HERE / "hkpilot.metainfo.xml").read_text(encoding="utf-8").replace("@VERSION@", version).replace("@DATE@", day)
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / "org.hkpilot.HKPilot.metainfo.xml").write_text(meta, encoding="utf-8")
    man = (HERE / "hkpilot.1").read_text(encoding="utf-8").replace("@VERSION@", version).replace("@DATE@", day)
    _gzip(man, share / "man" / "man1" / "hkpilot.1.gz")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copyfile(HERE / "copyright", doc / "copyright")
    changelog = f"{PACKAGE} ({version}) stable; urgency=medium\n\n  * Release {version}.\n\n -- {MAINTAINER}  {stamp}\n"
    _gzip(changelog, doc / "changelog.gz")
    for d in docs:
        if d.is_file():
            shutil.copyfile(d, doc / d.name)
    (share / "lintian" / "overrides").mkdir(parents=True)
    (share / "lintian" / "overrides" / PACKAGE).write_text(LINTIAN_OVERRIDES, encoding="utf-8")
    etc = stage_dir / "etc" / PACKAGE
    etc.mkdir(parents=True)
    for name in ("policy.toml", "defaults.toml"):
        shutil.copyfile(HERE / name, etc / name)
    (stage_dir / "var" / "lib" / PACKAGE / "models").mkdir(parents=True)
    _normalise_modes(stage_dir)
    return stage_dir


def _normalise_modes(tree: Path) -> None:
    """0755 for folders and executables, 0644 for the rest (umask-independent)."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        library = path.suffix == ".so" or ".so." in path.name
        executable = path.is_file() and not library and (bool(path.stat().st_mode & 0o111) or is_elf(path))
        path.chmod(0o755 if path.is_dir() or executable else 0o644)  # shared libraries need not be executable


def control(stage_dir: Path, version: str, onedir: Path) -> None:
    debian = stage_dir / "DEBIAN"
    debian.mkdir()
    size_kib = sum(p.lstat().st_size for p in stage_dir.rglob("*") if not p.is_dir()) // 1024 + 1
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": "amd64",
        "Maintainer": MAINTAINER,
        "Installed-Size": str(size_kib),
        "Depends": depends(onedir),
        "Recommends": ", ".join(RECOMMENDS),
        "Section": "text",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    (debian / "control").write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
    (debian / "conffiles").write_text(f"/etc/{PACKAGE}/policy.toml\n/etc/{PACKAGE}/defaults.toml\n", encoding="utf-8")
    shutil.copyfile(HERE / "postrm", debian / "postrm")
    (debian / "postrm").chmod(0o755)
    sums = []
    for path in sorted(stage_dir.rglob("*")):
        rel = path.relative_to(stage_dir)
        if rel.parts[0] in ("DEBIAN", "etc") or path.is_symlink() or not path.is_file():
            continue
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    for name in ("control", "conffiles", "md5sums"):
        (debian / name).chmod(0o644)


def build(onedir: Path, icons: Path, out: Path, version: str, compress: str, docs: list[Path], work: Path) -> Path:
    stage_dir = stage(onedir, icons, version, docs, work / "deb-root")
    control(stage_dir, version, onedir)
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{version}_amd64.deb"
    level = {"xz": "6", "zstd": "9", "gzip": "6"}[compress]
    run(["dpkg-deb", "--root-owner-group", f"-Z{compress}", f"-z{level}", "--build", str(stage_dir), str(deb)])
    return deb


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from hkpilot import __version__

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onedir", type=Path, required=True)
    ap.add_argument("--icons", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "package")
    ap.add_argument("--version", default=__version__)
    ap.add_argument("--compress", choices=("xz", "zstd", "gzip"), default="xz")
    ap.add_argument("--doc", type=Path, action="append", default=[], help="extra file for /usr/share/doc/hkpilot")
    args = ap.parse_args()
    print(build(args.onedir, args.icons, args.out, args.version, args.compress, args.doc, args.work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
