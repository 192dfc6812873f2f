#!/usr/bin/env python3
"""CycloneDX SBOM and third-party notices of what the frozen app really contains.

    python tools/sbom.py --work build/package/pyinstaller/hkpilot --onedir dist/hkpilot \\
        --sbom dist/release/hkpilot-0.1.0.cdx.json --notices dist/hkpilot/THIRD-PARTY-NOTICES.txt

Not a scan of the build environment (which lists PyInstaller and misses native code):
every file PyInstaller put into the bundle (``COLLECT-00.toc``) and every module in its
archive (``PYZ-00.toc``) is traced back to where it came from: a Python distribution
(by its RECORD), CPython itself, a Debian package on the build host (``dpkg -S``),
PyInstaller's bootloader, or HKPilot. Native libraries (Qt, ICU, OpenBLAS, ggml/llama,
the wheels' vendored libraries, host libraries) are components of their own, with
SHA-256, version and licence. A file nothing claims is listed as unattributed, and
``--strict`` fails on it. Run with the Python that built the bundle.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.metadata as md
import json
import re
import subprocess
import sys
import sysconfig
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPDX_IDS = {
    "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "MIT", "MIT-CMU", "MPL-2.0", "PSF-2.0", "LGPL-3.0-only",
    "LGPL-2.1-or-later", "GPL-2.0-only", "GPL-3.0-only", "Unicode-3.0", "0BSD", "Zlib", "ISC", "FTL", "libpng-2.0",
    "libtiff", "IJG", "CC0-1.0", "Unlicense", "HPND", "X11", "curl", "blessing",
}
CLASSIFIER_SPDX = {
    "MIT License": "MIT",
    "BSD License": "BSD-3-Clause",
    "Apache Software License": "Apache-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "ISC License (ISCL)": "ISC",
}
LICENSE_ALIASES = {"Apache License 2.0": "Apache-2.0", "Apache 2.0": "Apache-2.0", "PSFL": "PSF-2.0", "BSD": "BSD-3-Clause"}

# Native libraries -> (component name, licence). Versions come from the owning package.
# File names as Linux (lib*.so) and Windows (*.dll, matched without case) builds have them.
NATIVE_RULES: list[tuple[str, str, str]] = [
    (r"^libQt6|/Qt/plugins/|^PySide6/plugins/|(?i:^Qt6\w*\.dll$)", "Qt", "LGPL-3.0-only"),
    (r"^libicu", "ICU", "Unicode-3.0"),
    (r"^libscipy_openblas", "OpenBLAS", "BSD-3-Clause"),
    (r"^libgfortran", "GCC runtime (libgfortran)", "GPL-3.0-or-later WITH GCC-exception-3.1"),
    (r"^libquadmath", "GCC runtime (libquadmath)", "LGPL-2.1-or-later"),
    (r"^(lib)?(llama|mtmd)\.", "llama.cpp", "MIT"),
    (r"^(lib)?ggml", "ggml", "MIT"),
    (r"^(lib)?pyside6", "PySide6", "LGPL-3.0-only"),
    (r"^(lib)?shiboken6", "Shiboken6", "LGPL-3.0-only"),
    (r"^libpython|(?i:^python3\d*\.dll$)", "CPython", "PSF-2.0"),
    (r"(?i:^lib(crypto|ssl)-\d)", "OpenSSL", "Apache-2.0"),
    (r"(?i:^libffi-\d)", "libffi", "MIT"),
    (r"(?i:^sqlite3\.dll$)", "SQLite", "blessing"),
    (r"(?i:^(vcruntime|msvcp|concrt)140)", "Microsoft Visual C++ runtime", "LicenseRef-Microsoft-Visual-C-Redistributable"),
    (r"^libavif", "libavif", "BSD-2-Clause"),
    (r"^libjpeg", "libjpeg-turbo", "IJG AND BSD-3-Clause AND Zlib"),
    (r"^libpng", "libpng", "libpng-2.0"),
    (r"^libtiff", "libtiff", "libtiff"),
    (r"^lib(webp|sharpyuv)", "libwebp", "BSD-3-Clause"),
    (r"^libfreetype", "FreeType", "FTL OR GPL-2.0-or-later"),
    (r"^libharfbuzz", "HarfBuzz", "MIT"),
    (r"^liblcms2", "Little CMS", "MIT"),
    (r"^libopenjp2", "OpenJPEG", "BSD-2-Clause"),
    (r"^lib(xcb|Xau)-", "libxcb/libXau (X.Org)", "MIT"),
    (r"^libzstd-", "Zstandard", "BSD-3-Clause OR GPL-2.0-only"),
    (r"^liblzma-", "XZ Utils (liblzma)", "0BSD"),
    (r"^libbrotli", "Brotli", "MIT"),
]
LGPL_NAMES = ("Qt", "PySide6", "Shiboken6", "fpdf2", "GCC runtime (libquadmath)")


@dataclass
class Component:
    ref: str
    name: str
    version: str
    licence: str
    kind: str = "library"
    purl: str = ""
    sha256: str = ""
    group: str = ""
    files: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


def load_toc(path: Path) -> list[tuple[str, str, str]]:
    data = ast.literal_eval(path.read_text(encoding="utf-8"))
    entries = data[0] if isinstance(data, tuple) and len(data) == 1 else data
    if isinstance(entries, tuple) and len(entries) == 2 and isinstance(entries[1], list):
        entries = entries[1]  # PYZ-00.toc: (archive name, entries)
    return [tuple(e) for e in entries]  # type: ignore[misc]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def dist_licence(dist: md.Distribution) -> str:
    meta = dist.metadata
    text = (meta.get("License-Expression") or "").strip()
    if not text:
        raw = (meta.get("License") or "").strip()
        if raw and len(raw) < 60 and "\n" not in raw:
            text = LICENSE_ALIASES.get(raw, raw)
    if not text:
        for c in meta.get_all("Classifier") or []:
            if c.startswith("License :: OSI Approved :: "):
                text = CLASSIFIER_SPDX.get(c.rsplit(" :: ", 1)[1], c.rsplit(" :: ", 1)[1])
                break
    return text or "NOASSERTION"


def dist_index() -> dict[str, md.Distribution]:
    """Every installed file (resolved path) -> its distribution."""
    index: dict[str, md.Distribution] = {}
    for dist in md.distributions():
        for f in dist.files or []:
            try:
                index[str(Path(dist.locate_file(f)).resolve())] = dist
            except OSError:
                continue
    return index


def deb_package(path: str) -> tuple[str, str] | None:
    """(package, version) owning a host file, via dpkg; None off Debian or for unowned files."""
    candidates = {path, str(Path(path).resolve())}
    candidates |= {c.replace("/usr/lib/", "/lib/", 1) for c in list(candidates)}  # merged /usr: dpkg knows one of them
    candidates |= {c.replace("/lib/", "/usr/lib/", 1) for c in list(candidates)}
    for candidate in candidates:
        try:
            proc = subprocess.run(["dpkg", "-S", candidate], text=True, capture_output=True)
        except OSError:
            return None
        if proc.returncode == 0:
            pkg = proc.stdout.split(":")[0].strip()
            ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], text=True, capture_output=True).stdout.strip()
            return pkg, ver
    return None


def deb_licence(pkg: str) -> str:
    """The licences a DEP-5 copyright file names (short names joined by AND), or NOASSERTION."""
    path = Path("/usr/share/doc") / pkg.split(":")[0] / "copyright"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "NOASSERTION"
    names = []
    for m in re.finditer(r"^License:\s*(\S[^\n]*)$", text, re.M):
        name = m.group(1).strip()
        if name not in names:
            names.append(name)
    return " AND ".join(names[:6]) if names else "NOASSERTION"


def _native_rule(dest: str) -> tuple[str, str] | None:
    dest = dest.replace("\\", "/")  # PyInstaller's Windows TOC uses backslashes
    name = Path(dest).name
    for pattern, comp, licence in NATIVE_RULES:
        if re.search(pattern, name) or ("/" in pattern and re.search(pattern, dest)):
            return comp, licence
    return None


def _soname_version(name: str) -> str:
    m = re.search(r"\.so\.([\d.]+)$", name)
    return m.group(1) if m else ""


def _upstream_versions() -> dict[str, str]:
    versions = {"CPython": sys.version.split()[0]}
    for comp, dist in (("Qt", "PySide6_Essentials"), ("PySide6", "PySide6_Essentials"), ("Shiboken6", "shiboken6"),
                       ("llama.cpp", "llama_cpp_python")):
        try:
            versions[comp] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    try:
        import llama_cpp

        ggml = sorted((Path(llama_cpp.__file__).parent / "lib").glob("libggml.so.*.*.*"))
        if ggml:
            versions["ggml"] = _soname_version(ggml[-1].name)
    except ImportError:
        pass
    try:
        import numpy

        blas = numpy.show_config("dicts")["Build Dependencies"]["blas"]  # type: ignore[index]
        versions["OpenBLAS"] = str(blas.get("version", ""))
    except Exception:  # noqa: BLE001 - numpy absent or its config changed: leave the version blank
        pass
    return versions


def collect(work: Path, onedir: Path) -> tuple[list[Component], list[str]]:
    """Components of the bundle and the bundle files nothing claims."""

    index = dist_index()
    stdlib = {str(Path(p).resolve()) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}}
    if sys.platform == "win32":  # CPython's extension modules and their DLLs (libffi, OpenSSL, SQLite) live beside Lib
        stdlib.add(str((Path(sys.base_prefix) / "DLLs").resolve()))
    pyinstaller_dir = str(Path(__import__("PyInstaller").__file__).resolve().parent)
    upstream = _upstream_versions()
    comps: dict[str, Component] = {}
    unattributed: list[str] = []

    def comp(ref: str, **kw: str) -> Component:
        if ref not in comps:
            comps[ref] = Component(ref=ref, **kw)  # type: ignore[arg-type]
        return comps[ref]

    entries = [(d, s, t) for d, s, t in load_toc(work / "COLLECT-00.toc") if t != "SYMLINK"]
    modules = [(n, s, t) for n, s, t in load_toc(work / "PYZ-00.toc") if s]
    for dest, src, kind in entries + [(f"PYZ:{n}", s, t) for n, s, t in modules]:
        real = str(Path(src).resolve()) if src else ""
        dist = index.get(real)
        native = kind in ("BINARY",) and _native_rule(dest)
        file_path = onedir / "_internal" / dest if not dest.startswith("PYZ:") else None
        if native and file_path and file_path.is_file():
            name, licence = native
            ver = upstream.get(name, "")
            c = comp(f"native:{dest}", name=name, version=ver, licence=licence, sha256=sha256(file_path), group="native")
            c.files.append(dest)
            if not ver:  # a vendored library without a known upstream version: its soname's
                c.version = _soname_version(Path(real).name) or _soname_version(dest)
                c.properties["hkpilot:version-is"] = "soname"
            if dist is not None:
                c.properties["hkpilot:shipped-by"] = f"{dist.metadata['Name']} {dist.version}"
            continue
        if real.startswith(pyinstaller_dir) or kind == "EXECUTABLE" or dest.startswith("PYZ:pyimod") or dest.startswith("pyi_"):
            pyi = md.version("pyinstaller")
            c = comp("pyinstaller", name="PyInstaller bootloader and runtime", version=pyi,
                     licence="GPL-2.0-or-later WITH Bootloader-exception", purl=f"pkg:pypi/pyinstaller@{pyi}")
            c.files.append(dest)
            continue
        if dist is not None:
            name = dist.metadata["Name"]
            if name.lower() == "hkpilot":
                continue  # the application itself (metadata.component)
            c = comp(f"pypi:{name}", name=name, version=dist.version, licence=dist_licence(dist),
                     purl=f"pkg:pypi/{name.lower().replace('_', '-')}@{dist.version}", group="python")
            c.files.append(dest)
            continue
        if real.startswith(str(ROOT)) or dest.startswith(("resources/", "translations/", "PYZ:hkpilot")):
            continue  # HKPilot's own modules and data
        if any(real.startswith(s) for s in stdlib) or dest.startswith("python3") or dest == "base_library.zip":
            c = comp("cpython", name="CPython", version=upstream["CPython"], licence="PSF-2.0",
                     purl=f"pkg:generic/cpython@{upstream['CPython']}", group="python")
            c.files.append(dest)
            continue
        owner = deb_package(real) if real else None
        if owner and file_path and file_path.is_file():
            pkg, ver = owner
            c = comp(f"deb:{dest}", name=pkg, version=ver, licence=deb_licence(pkg), sha256=sha256(file_path),
                     purl=f"pkg:deb/debian/{pkg.split(':')[0]}@{ver}?arch=amd64", group="host")
            c.files.append(dest)
            c.properties["hkpilot:file"] = dest
            continue
        if native and file_path:
            continue  # a native library whose file was pruned after analysis
        unattributed.append(dest)
    return sorted(comps.values(), key=lambda c: (c.group, c.name.lower(), c.ref)), sorted(unattributed)


def _licences(expr: str) -> list[dict[str, object]]:
    if expr in SPDX_IDS:
        return [{"license": {"id": expr}}]
    if re.search(r" (OR|AND|WITH) ", expr) and all(t in SPDX_IDS or t in ("OR", "AND", "WITH") or t.endswith("exception")
                                                    or t.startswith("GCC-") or t.endswith("-or-later") or t.endswith("-only")
                                                    for t in expr.split()):
        return [{"expression": expr}]
    return [{"license": {"name": expr}}]


def cyclonedx(components: list[Component], version: str) -> dict[str, object]:
    out_components = []
    for c in components:
        item: dict[str, object] = {"type": c.kind, "bom-ref": c.ref, "name": c.name, "version": c.version or "unknown",
                                   "licenses": _licences(c.licence)}
        if c.group:
            item["group"] = c.group
        if c.purl:
            item["purl"] = c.purl
        if c.sha256:
            item["hashes"] = [{"alg": "SHA-256", "content": c.sha256}]
        props = [{"name": "hkpilot:files", "value": str(len(c.files))}]
        if c.ref.startswith(("native:", "deb:")):
            props.append({"name": "hkpilot:path", "value": "_internal/" + c.files[0]})
        props += [{"name": k, "value": v} for k, v in c.properties.items() if k != "hkpilot:file"]
        item["properties"] = props
        out_components.append(item)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "tools": {"components": [{"type": "application", "name": "hkpilot tools/sbom.py", "version": version}]},
            "component": {"type": "application", "bom-ref": "hkpilot", "name": "HKPilot", "version": version,
                          "licenses": [{"license": {"id": "Apache-2.0"}}], "purl": f"pkg:generic/hkpilot@{version}"},
        },
        "components": out_components,
        "dependencies": [{"ref": "hkpilot", "dependsOn": [c.ref for c in components]}],
    }


def _dist_licence_texts(name: str) -> list[tuple[str, str]]:
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        return []
    texts = []
    for f in dist.files or []:
        parts = Path(str(f)).parts
        if any(p.endswith(".dist-info") for p in parts) and re.match(r"(LICEN[CS]E|COPYING|NOTICE)", Path(str(f)).name, re.I):
            try:
                texts.append((str(f), Path(f.locate()).read_bytes().decode("utf-8", errors="replace")))
            except OSError:
                continue
    return texts


def _common_licence(name: str) -> str:
    path = Path("/usr/share/common-licenses") / name
    if path.is_file():
        return path.read_text(encoding="utf-8", errors="replace")
    return f"(see https://www.gnu.org/licenses/ for the full text of {name})\n"


def notices(components: list[Component], version: str) -> str:
    versions = {c.name: c.version for c in components}
    qt = versions.get("Qt", "")
    qt_series = ".".join(qt.split(".")[:2])
    lines = [
        f"HKPilot {version}: third-party notices",
        "=" * 40,
        "",
        "HKPilot itself is licensed under the Apache License, Version 2.0. This bundle also",
        "contains the third-party components listed below, each under its own licence.",
        "The CycloneDX SBOM published with each release lists them with SHA-256 hashes.",
        "",
        "LGPL components and your rights",
        "-------------------------------",
        f"Qt {qt}, PySide6 {versions.get('PySide6', '')} and Shiboken6 {versions.get('Shiboken6', '')} (LGPL-3.0-only),",
        f"fpdf2 {versions.get('fpdf2', '')} (LGPL-3.0-only) and the GCC libquadmath runtime (LGPL-2.1-or-later)",
        "are used under the GNU Lesser General Public License:",
        "- They are separate files loaded at run time, not linked into HKPilot's own code:",
        "  Qt in _internal/PySide6/Qt/lib and _internal/PySide6/Qt/plugins (Windows: _internal/PySide6),",
        "  PySide6 and Shiboken6 in _internal/PySide6 and _internal/shiboken6, fpdf2 as Python",
        "  source files in _internal/fpdf. You may replace any of them with a modified version",
        "  built from the corresponding source (same version or a compatible one).",
        "- You may modify HKPilot for your own use and reverse engineer it to debug such changes.",
        "- Corresponding source code:",
        f"  Qt: https://download.qt.io/official_releases/qt/{qt_series}/{qt}/single/",
        "  PySide6/Shiboken6: https://download.qt.io/official_releases/QtForPython/pyside6/",
        f"  fpdf2: https://pypi.org/project/fpdf2/{versions.get('fpdf2', '')}/#files",
        "  libquadmath: https://gcc.gnu.org/ (the GCC release named in numpy's wheel)",
        "- Written offer: for at least three years after you received this copy, the",
        "  distributor of HKPilot (your IT department, or the HKPilot maintainers) will give",
        "  anyone who asks a complete machine-readable copy of the corresponding source code",
        "  of these LGPL components, for no more than the cost of physically distributing it.",
        "- The full texts of the LGPL-3.0 and GPL-3.0 are at the end of this file.",
        "",
        "Components",
        "----------",
    ]
    seen: set[tuple[str, str]] = set()
    for c in components:
        key = (c.name, c.version)
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"- {c.name} {c.version}: {c.licence}" + (f" [{c.group}]" if c.group else ""))
    lines += ["", "Licence texts", "-------------", ""]
    done: set[str] = set()
    for c in components:
        if c.ref.startswith("pypi:"):
            for path, text in _dist_licence_texts(c.name):
                digest = hashlib.sha256(text.encode()).hexdigest()
                if digest not in done:
                    done.add(digest)
                    lines += [f"=== {c.name} {c.version}: {Path(path).name} ===", text.rstrip(), ""]
        elif c.ref.startswith("deb:") and c.name not in done:
            done.add(c.name)
            copyright_file = Path("/usr/share/doc") / c.name.split(":")[0] / "copyright"
            if copyright_file.is_file():
                text = copyright_file.read_text(encoding="utf-8", errors="replace")
                lines += [f"=== Debian package {c.name} {c.version}: copyright ===", text.rstrip(), ""]
    lines += ["=== GNU Lesser General Public License, version 3 ===", _common_licence("LGPL-3").rstrip(), ""]
    lines += ["=== GNU General Public License, version 3 ===", _common_licence("GPL-3").rstrip(), ""]
    return "\n".join(lines) + "\n"


def main() -> int:
    from hkpilot import __version__

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True, help="PyInstaller work folder holding COLLECT-00.toc")
    ap.add_argument("--onedir", type=Path, required=True)
    ap.add_argument("--sbom", type=Path, required=True)
    ap.add_argument("--notices", type=Path)
    ap.add_argument("--strict", action="store_true", help="fail when a bundled file cannot be attributed")
    args = ap.parse_args()
    components, unattributed = collect(args.work, args.onedir)
    bom = cyclonedx(components, __version__)
    args.sbom.parent.mkdir(parents=True, exist_ok=True)
    args.sbom.write_text(json.dumps(bom, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.notices:
        args.notices.write_text(notices(components, __version__), encoding="utf-8")
    print(f"{args.sbom}: {len(components)} components, {len(unattributed)} unattributed files")
    for dest in unattributed[:20]:
        print(f"  unattributed: {dest}")
    return 1 if args.strict and unattributed else 0


if __name__ == "__main__":
    sys.exit(main())
