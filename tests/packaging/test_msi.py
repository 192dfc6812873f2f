"""The MSI (built here with wixl from the Linux payload, as a stand-in): tables and a round trip."""

from __future__ import annotations

import filecmp
import subprocess
from pathlib import Path

import pytest

from hkpilot.config.machine import MSI_PROPERTIES
from tests.packaging.conftest import need_tools

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

UPGRADE_CODE = "{5B0E7C3A-2F64-4B8E-9C1D-7A3E2D9F4B61}"  # fixed forever: major upgrades find older versions by it


def _msi(release: Path) -> Path:
    (msi,) = release.glob("HKPilot-*-x64*.msi")
    return msi


def table(msi: Path, name: str) -> list[list[str]]:
    out = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()[3:]]  # skip the three header lines


def test_properties_upgrade_and_arp(release: Path) -> None:
    need_tools("msiinfo")
    props = dict((r[0], r[1]) for r in table(_msi(release), "Property"))
    assert props["UpgradeCode"] == UPGRADE_CODE and props["ProductName"] == "HKPilot"
    assert props["ALLUSERS"] == "1"  # per-machine: works when SCCM/Intune run it as SYSTEM
    assert props["ARPPRODUCTICON"] == "hkpilot.ico" and props["ARPNOMODIFY"] == "1"
    # restricted public properties: a command-line value reaches the installing service (wixl needs msibuild for it)
    secure = props["SecureCustomProperties"].split(";")
    assert set(MSI_PROPERTIES) | {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"} <= set(secure), secure
    upgrade = table(_msi(release), "Upgrade")
    assert {r[0] for r in upgrade} == {UPGRADE_CODE} and any(r[-1] == "WIX_UPGRADE_DETECTED" for r in upgrade)


def test_public_properties_are_remembered_and_the_command_line_wins(release: Path) -> None:
    need_tools("msiinfo")
    msi = _msi(release)
    locators = {r[0]: r for r in table(msi, "RegLocator")}
    searches = dict((r[0], r[1]) for r in table(msi, "AppSearch"))
    actions = {r[0]: r for r in table(msi, "CustomAction")}
    for sequence in ("InstallExecuteSequence", "InstallUISequence"):
        order = {r[0]: int(r[2]) for r in table(msi, sequence)}
        conditions = {r[0]: r[1] for r in table(msi, sequence)}
        for prop, key in MSI_PROPERTIES.items():
            loc = locators[searches[prop]]
            assert (loc[1], loc[2], loc[3]) == ("2", r"SOFTWARE\HKPilot\Defaults", key)  # remembered from the last install
            assert actions[f"SaveCmdLine.{prop}"][2:4] == [f"CMDLINE_{prop}", f"[{prop}]"]
            assert actions[f"UseCmdLine.{prop}"][2:4] == [prop, f"[CMDLINE_{prop}]"]
            assert order[f"SaveCmdLine.{prop}"] < order["AppSearch"] < order[f"UseCmdLine.{prop}"] < order["LaunchConditions"]
            assert conditions[f"UseCmdLine.{prop}"] == f"CMDLINE_{prop}"


def test_registry_is_per_machine_and_never_touches_policies(release: Path) -> None:
    need_tools("msiinfo")
    rows = table(_msi(release), "Registry")
    assert rows and all(r[1] == "2" for r in rows)  # HKLM only: nothing registered per user
    assert not [r for r in rows if "Policies" in r[2]]  # Group Policy's key is the administrator's
    defaults = {r[3]: r[4] for r in rows if r[2] == r"SOFTWARE\HKPilot\Defaults"}
    assert defaults == {key: f"[{prop}]" for prop, key in MSI_PROPERTIES.items()}


def test_shortcut_and_folders(release: Path) -> None:
    need_tools("msiinfo")
    msi = _msi(release)
    (shortcut,) = table(msi, "Shortcut")
    assert shortcut[1] == "ProgramMenuFolder" and shortcut[4] == "[INSTALLDIR]HKPilot.exe"
    dirs = {r[0]: r for r in table(msi, "Directory")}
    assert dirs["INSTALLDIR"][1] == "ProgramFiles64Folder" and dirs["INSTALLDIR"][2] == "HKPilot"
    assert dirs["MODELSDIR"][2] == "models"
    files = table(msi, "File")
    assert files and not [f for f in files if f[2].lower().endswith(".gguf")]  # models never go in the MSI


def test_msiextract_round_trip_is_byte_identical(release: Path, onedir: Path, tmp_path: Path) -> None:
    need_tools("msiextract")
    out = tmp_path / "x"
    subprocess.run(["msiextract", "-C", str(out), str(_msi(release))], check=True, capture_output=True)
    (root,) = [p for p in out.rglob("HKPilot") if p.is_dir()]
    expected = sorted(p.relative_to(onedir) for p in onedir.rglob("*") if p.is_file() and not p.is_symlink())
    got = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert got == expected
    match, mismatch, errors = filecmp.cmpfiles(onedir, root, [str(p) for p in expected], shallow=False)
    assert not mismatch and not errors and len(match) == len(expected)
