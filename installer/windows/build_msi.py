#!/usr/bin/env python3
"""Build the HKPilot MSI from the PyInstaller onedir.

    python installer/windows/build_msi.py --onedir dist/hkpilot --icon build/package/icons/hkpilot.ico \\
        --out build/package/HKPilot.msi [--toolset wixl|wix]

``wixl`` (msitools, a WiX 3 subset) builds it on Linux: the tests use it on the Linux
payload as a stand-in. ``wix`` is WiX 5 on the Windows runner (pinned: later versions
carry the OSMF maintenance-fee licence): the WiX 3 sources are converted with
``wix convert`` first. The payload fragment (one component per file, stable ids from the
relative path, the way heat makes them) is generated here for both, from the files only:
symlinks in a Linux onedir have no MSI equivalent and are left out. Models never go in
the MSI (a cabinet holds at most 2 GB); they are pushed with model bundles.

wixl ignores ``Secure="yes"``: after it, the properties marked so are added to the
``SecureCustomProperties`` row with msitools' ``msibuild`` (WiX 5 writes them itself), so a
command-line value reaches the installing service even when a standard user elevates.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WXS = HERE / "hkpilot.wxs"
WIX3_NS = "{http://schemas.microsoft.com/wix/2006/wi}"


def _id(prefix: str, rel: str) -> str:
    return prefix + hashlib.md5(rel.encode("utf-8")).hexdigest().upper()


def payload_files(onedir: Path) -> list[Path]:
    """The regular files of the onedir (relative), in a stable order."""
    return sorted(p.relative_to(onedir) for p in onedir.rglob("*") if p.is_file() and not p.is_symlink())


def payload_wxs(onedir: Path, source_var: str = "var.SourceDir") -> str:
    """A WiX 3 fragment: ComponentGroup CG.Payload under INSTALLDIR, one component per file."""
    tree: dict[str, dict] = {}
    for rel in payload_files(onedir):
        node = tree
        for part in rel.parts[:-1]:
            node = node.setdefault(part + "/", {})
        node[rel.name] = rel.as_posix()
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">', "  <Fragment>"]
    refs: list[str] = []

    def walk(node: dict, indent: str, folder: str) -> None:
        for name, value in sorted(node.items()):
            if isinstance(value, dict):
                sub = f"{folder}{name}"
                lines.append(f"{indent}<Directory Id={quoteattr(_id('dir', sub))} Name={quoteattr(name[:-1])}>")
                walk(value, indent + "  ", sub)
                lines.append(f"{indent}</Directory>")
            else:
                cid = _id("cmp", value)
                refs.append(cid)
                lines.append(f'{indent}<Component Id="{cid}" Guid="*" Win64="yes">')
                source = f"$({source_var})/{value}"
                lines.append(f'{indent}  <File Id={quoteattr(_id("fil", value))} KeyPath="yes" Source={quoteattr(source)}/>')
                lines.append(f"{indent}</Component>")

    lines.append('    <DirectoryRef Id="INSTALLDIR">')
    walk(tree, "      ", "")
    lines += ["    </DirectoryRef>", "  </Fragment>", "  <Fragment>", '    <ComponentGroup Id="CG.Payload">']
    lines += [f'      <ComponentRef Id="{c}"/>' for c in refs]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def msi_version(version: str) -> str:
    """An MSI ProductVersion (major.minor.build, numbers only) from a Python version."""
    nums = re.findall(r"\d+", version)[:3]
    return ".".join([*nums, "0", "0", "0"][:3])


def secure_properties(wxs: Path = WXS) -> list[str]:
    """The public properties the sources mark ``Secure="yes"`` (passed to the installing service)."""
    root = ElementTree.parse(wxs).getroot()
    return [p.get("Id", "") for p in root.iter(WIX3_NS + "Property") if p.get("Secure") == "yes"]


def _add_secure_properties(msi: Path, names: list[str]) -> None:
    """Merge ``names`` into the Property table's SecureCustomProperties (wixl drops Secure="yes")."""
    if not names:
        return
    for tool in ("msiinfo", "msibuild"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: install msitools (apt-get install msitools wixl)")
    exported = subprocess.run(["msiinfo", "export", str(msi), "Property"], check=True, text=True, capture_output=True).stdout
    rows = dict(line.split("\t", 1) for line in exported.splitlines()[3:] if "\t" in line)
    current = [v for v in rows.get("SecureCustomProperties", "").split(";") if v]
    value = ";".join([*names, *[v for v in current if v not in names]])
    if not re.fullmatch(r"[A-Z0-9_;.]+", value):
        raise SystemExit(f"unexpected property names for SecureCustomProperties: {value}")
    if "SecureCustomProperties" in rows:
        query = f"UPDATE `Property` SET `Value` = '{value}' WHERE `Property` = 'SecureCustomProperties'"
    else:
        query = f"INSERT INTO `Property` (`Property`, `Value`) VALUES ('SecureCustomProperties', '{value}')"
    subprocess.run(["msibuild", str(msi), "-q", query], check=True, text=True, capture_output=True)


def build(onedir: Path, icon: Path, out: Path, version: str, toolset: str = "wixl") -> Path:
    """Build ``out`` from ``onedir``; sources are given relative to the onedir's parent (wixl needs that)."""
    onedir, icon, out = onedir.resolve(), icon.resolve(), out.resolve()
    work = out.parent / "msi-src"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    base = onedir.parent
    (work / "payload.wxs").write_text(payload_wxs(onedir), encoding="utf-8")
    shutil.copyfile(WXS, work / "hkpilot.wxs")
    defines = {
        "Version": msi_version(version),
        "SourceDir": onedir.name,
        "IconFile": os.path.relpath(icon, base).replace(os.sep, "/"),  # wixl refuses absolute paths
        "Win64": "yes",
        "Toolset": toolset,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    if toolset == "wixl":
        cmd = ["wixl", "-a", "x64", *[a for k, v in defines.items() for a in ("-D", f"{k}={v}")], "-o", str(out)]
        cmd += [str(work / "hkpilot.wxs"), str(work / "payload.wxs")]
    else:
        for name in ("hkpilot.wxs", "payload.wxs"):
            subprocess.run(["wix", "convert", str(work / name)], check=False)  # exit 1 just means "converted"
        cmd = ["wix", "build", "-arch", "x64", *[a for k, v in defines.items() for a in ("-d", f"{k}={v}")], "-o", str(out)]
        cmd += [str(work / "hkpilot.wxs"), str(work / "payload.wxs")]
    proc = subprocess.run(cmd, cwd=base, text=True, capture_output=True)
    if proc.returncode != 0 or not out.is_file():
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode})")
    if toolset == "wixl":
        _add_secure_properties(out, secure_properties(work / "hkpilot.wxs"))
    return out


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from hkpilot import __version__

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--onedir", type=Path, required=True)
    ap.add_argument("--icon", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--version", default=__version__)
    ap.add_argument("--toolset", choices=("wixl", "wix"), default="wixl" if sys.platform != "win32" else "wix")
    args = ap.parse_args()
    print(build(args.onedir, args.icon, args.out, args.version, args.toolset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
