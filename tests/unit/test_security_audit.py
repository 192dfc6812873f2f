"""The audit trail: hash-chained, content-free, verified link by link; refused when it cannot be written."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import docx
import pytest

from hkpilot.app import audit
from hkpilot.app.session import Session
from hkpilot.cli import main
from hkpilot.config.settings import Settings
from hkpilot.engines.base import CancelToken
from hkpilot.errors import ClassificationRefused, PolicyRefused


def _log(path: Path, n: int = 4) -> list[str]:
    for i in range(n):
        audit.append(path, {"task": "translate", "engine": "local", "documents": [f"{i:064x}"],
                            "classification": "RESTRICTED", "outcome": "succeeded", "error": ""})
    return path.read_text(encoding="utf-8").splitlines()


def test_chain_verifies_and_each_entry_names_its_parent(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    lines = _log(log)
    entries = [json.loads(line) for line in lines]
    assert entries[0]["prev"] == audit.GENESIS
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(entries))
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert {"time", "user", "task", "engine", "documents", "classification", "outcome"} <= set(entries[0])
    result = audit.verify(log)
    assert result.ok and result.entries == 4


@pytest.mark.parametrize(("tamper", "line"), [
    (lambda ls: [ls[0], ls[1].replace("RESTRICTED", "UNCLASSIFIED"), *ls[2:]], 2),  # an edited entry
    (lambda ls: [ls[0], *ls[2:]], 2),  # a removed entry
    (lambda ls: [ls[0], ls[2], ls[1], ls[3]], 2),  # reordered
    (lambda ls: [*ls[:3], ls[2]], 4),  # a copied entry
    (lambda ls: [*ls[:2], "{broken", *ls[2:]], 3),
])
def test_tampering_is_found_at_the_first_broken_link(tmp_path: Path, tamper, line: int) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "audit.jsonl"
    log.write_text("\n".join(tamper(_log(log))) + "\n", encoding="utf-8")
    result = audit.verify(log)
    assert not result.ok and result.broken_line == line and result.entries == line - 1


def test_cli_audit_verify(tmp_path: Path, _temp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "audit.jsonl"
    lines = _log(log, 3)
    assert main(["audit", "verify", str(log)]) == 0
    assert "3 entries" in capsys.readouterr().out
    log.write_text("\n".join([lines[0], lines[1].replace('"local"', '"server"'), lines[2]]) + "\n", encoding="utf-8")
    assert main(["audit", "verify", str(log)]) == 1
    assert "line 2" in capsys.readouterr().out
    (_temp_home / "policy.toml").write_text(f'audit_log = "{log.as_posix()}"\n', encoding="utf-8")
    assert main(["audit", "verify"]) == 1  # the policy's log by default


def _restricted(path: Path) -> Path:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "RESTRICTED"
    d.add_paragraph("Secret-free canary text 4b1d.")
    d.save(str(path))
    return path


def test_jobs_are_audited_without_content(tmp_path: Path, _temp_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit" / "audit.jsonl"
    (_temp_home / "policy.toml").write_text(
        f'audit_log = "{log.as_posix()}"\nserver_max_classification = "UNCLASSIFIED"\n', encoding="utf-8")
    monkeypatch.setattr("hkpilot.app.session.create_engine", lambda s: pytest.fail("engine created"))
    settings = Settings()
    settings.set("engine.kind", "server")
    session = Session(settings)
    doc = session.open_document(_restricted(tmp_path / "r.docx"))
    with pytest.raises(ClassificationRefused):
        list(session.summarise_job(doc, "short", "en", CancelToken()))
    entry = json.loads(log.read_text(encoding="utf-8"))
    assert (entry["task"], entry["engine"], entry["classification"], entry["outcome"]) == (
        "summarise", "server", "RESTRICTED", "refused")
    assert entry["documents"] == [doc.fingerprint] and len(doc.fingerprint) == 64
    assert "canary" not in log.read_text(encoding="utf-8")
    assert audit.verify(log).ok


def test_unwritable_audit_log_refuses_the_job(tmp_path: Path, _temp_home: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    (_temp_home / "policy.toml").write_text(f'audit_log = "{(blocker / "audit.jsonl").as_posix()}"\n', encoding="utf-8")
    session = Session(Settings())
    with pytest.raises(PolicyRefused) as refused:
        next(iter(session.rewrite_job("text", "shorter", "en", CancelToken())))
    assert refused.value.exit_code == 5 and "audit" in refused.value.render()
