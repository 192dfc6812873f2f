"""What is kept on disk for recovery: the person's own work, in known places, and nothing when policy says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hkpilot.app import recovery
from hkpilot.app.autosave import Autosave
from hkpilot.config.settings import Settings


@pytest.fixture(autouse=True)
def _default_recovery() -> Iterator[None]:
    yield
    recovery._enabled = True


def test_crash_copies_and_working_files(_temp_home: Path) -> None:
    recovery.configure(Settings())
    folder = recovery.save_outputs({"draft": "My draft", "summary": "  "})
    assert folder and [p.name.split("-")[-1] for p in recovery.pending()] == ["draft.txt"]
    recovery.discard()
    assert recovery.pending() == []
    work = recovery.working_dir() / "report.zh-HK.docx"
    work.parent.mkdir(parents=True, exist_ok=True)
    work.write_bytes(b"x")
    assert recovery.clean_working_files() == 1 and not work.exists()


def test_policy_can_forbid_any_copy(_temp_home: Path) -> None:
    (_temp_home / "policy.toml").write_text("recovery = false\n", encoding="utf-8")
    assert recovery.configure(Settings()) is False
    assert recovery.save_outputs({"draft": "My draft"}) == ""
    Autosave().save("draft", {"points": "key points"})
    assert not any(p.is_file() for p in _temp_home.rglob("*") if "recovery" in p.parts or "autosave" in p.parts)
