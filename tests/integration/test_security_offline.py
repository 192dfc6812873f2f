"""Offline, proven; nothing sensitive left behind.

Every command that reads a document, a passage or a key runs once, with the real starter
model where it needs one: CLI translate, summarise, draft, rewrite, inspect, compare,
check-bilingual, check-format, review, audit verify, server set-key and server check, the
ones that touch no document (models list, check-update, doctor), and an offscreen window
session. The policy asks for the audit trail and the output label, so those files are
scanned too. Only ``eval`` and ``bench`` are left out: they read their own shipped texts,
never the person's documents. Each run is

- inside a network namespace with no interface (``unshare -rn``; ``unshare -n`` as root),
- under ``strace -f -e trace=connect`` (every thread and child, Qt's own code included),
- under a Python audit hook recording every connect and host lookup (``netwatch.py``),
- on documents carrying a canary string, with an API key that is another canary.

Then each property is its own test: the commands succeeded, strace and the hook saw nothing
but loopback and local sockets, and no file written outside the chosen outputs (config,
data, cache, log, temp folders and the home folder) holds either canary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.integration.sandbox import NETWATCH, files_with, netns_prefix, remote_attempts, remote_connects, strace_prefix

ROOT = Path(__file__).resolve().parents[2]
DOC_CANARY = "9d41c7e2b5"
KEY_CANARY = "sk-canary-3a7f0b61"

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _docs(folder: Path) -> tuple[Path, Path]:
    txt = folder / "notice.txt"
    txt.write_text(f"Staff notice {DOC_CANARY}.\n\nThe office opens at nine on Monday.\n", encoding="utf-8")
    word = folder / "minutes.docx"
    d = docx.Document()
    d.add_paragraph(f"Minutes of meeting {DOC_CANARY}")
    d.add_paragraph("The committee agreed to extend the opening hours of the library.")
    d.add_paragraph("The chairman thanked members for their work.")
    d.save(str(word))
    return txt, word


@pytest.fixture(scope="module")
def offline(starter_model: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("offline")
    inputs, out, logs = base / "inputs", base / "out", base / "logs"
    home, temp, hk = base / "userhome", base / "tmp", base / "hkpilot"
    for d in (inputs, out, logs, home, temp, hk / "config"):
        d.mkdir(parents=True)
    txt, word = _docs(inputs)
    (hk / "config" / "settings.toml").write_text(
        f'[local]\nmodel_path = "{starter_model.as_posix()}"\nn_ctx = 768\n', encoding="utf-8")
    (hk / "policy.toml").write_text("audit_log = true\noutput_label = true\n", encoding="utf-8")  # both scanned
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HKPILOT_", "XDG_"))}
    env.update(HOME=str(home), TMPDIR=str(temp), HKPILOT_HOME=str(hk), HKPILOT_API_KEY=KEY_CANARY,
               PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               QT_QPA_PLATFORM="offscreen", HKPILOT_NO_MODAL="1", LC_ALL="C.UTF-8")
    netns, why_no_netns = netns_prefix()
    model = ["--model", str(starter_model), "--set", "local.n_ctx=768"]
    commands: dict[str, tuple[list[str], str]] = {
        "translate": (["-m", "hkpilot", "translate", str(txt), "--to", "zh-HK", "-o", str(out / "translated.docx"), *model], ""),
        "summarise": (["-m", "hkpilot", "summarise", str(word), "--length", "short", "-o", str(out / "summary.docx"), *model],
                      ""),
        "draft": (["-m", "hkpilot", "draft", "--type", "memo", "--points", "Library hours are extended from Monday.",
                   "--reference", str(txt), "-o", str(out / "draft.docx"), *model], ""),
        "rewrite": (["-m", "hkpilot", "rewrite", "formal", f"The office {DOC_CANARY} opens at nine.", *model], ""),
        "inspect": (["-m", "hkpilot", "inspect", str(out / "translated.docx")], ""),
        "compare": (["-m", "hkpilot", "compare", str(word), str(out / "summary.docx")], ""),
        "check-bilingual": (["-m", "hkpilot", "check-bilingual", str(txt), str(out / "translated.docx"),
                             "--report", str(out / "bilingual.txt")], ""),
        "check-format": (["-m", "hkpilot", "check-format", "--type", "memo", str(out / "draft.docx")], ""),
        "review": (["-m", "hkpilot", "review", str(out / "translated.docx"), "--by", "Reviewer"], ""),
        "set-key": (["-m", "hkpilot", "server", "set-key", "--server-url", "http://127.0.0.1:9"], KEY_CANARY + "\n"),
        "server-check": (["-m", "hkpilot", "server", "check", "--server-url", "http://127.0.0.1:9"], ""),
        "models": (["-m", "hkpilot", "models", "list"], ""),
        "check-update": (["-m", "hkpilot", "check-update"], ""),
        "doctor": (["-m", "hkpilot", "doctor"], ""),
        "gui": ([str(Path(__file__).with_name("gui_session.py")), str(word), str(out / "gui.docx")], ""),
        "audit": (["-m", "hkpilot", "audit", "verify"], ""),
    }
    runs: dict[str, Any] = {}
    strace_available = ""
    for name, (args, stdin) in commands.items():
        trace = logs / f"{name}.strace"
        strace, why_no_strace = strace_prefix(trace)
        strace_available = why_no_strace
        hook_log = logs / f"{name}.json"
        cmd = [*netns, *strace, sys.executable, str(NETWATCH), str(hook_log), *args]
        proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, timeout=900)
        runs[name] = {
            "proc": proc,
            "trace": trace.read_text(errors="replace") if trace.is_file() else None,
            "hook": json.loads(hook_log.read_text()) if hook_log.is_file() else None,
        }
    return {"runs": runs, "netns": netns, "why_no_netns": why_no_netns, "why_no_strace": strace_available,
            "roots": [hk, home, temp, out, inputs], "outputs": out, "env": env}


EXPECTED_RC = {"set-key": 4, "server-check": 4}  # no keyring here; nothing listens on 127.0.0.1:9


def test_namespace_has_no_network(offline: dict[str, Any]) -> None:
    if not offline["netns"]:
        pytest.skip(offline["why_no_netns"])
    probe = subprocess.run([*offline["netns"], sys.executable, "-c",
                            "import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)"],
                           capture_output=True, text=True)
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower()


def test_every_command_succeeds_without_network(offline: dict[str, Any]) -> None:
    if not offline["netns"]:
        pytest.skip(offline["why_no_netns"])
    for name, run in offline["runs"].items():
        proc = run["proc"]
        assert proc.returncode == EXPECTED_RC.get(name, 0), f"{name}: {proc.stderr[-2000:]}"
    for name in ("translated", "summary", "draft", "gui"):
        assert docx.Document(str(offline["outputs"] / f"{name}.docx")).paragraphs, name
    assert "HKPILOT_API_KEY" in offline["runs"]["set-key"]["proc"].stderr  # no keyring: the env route is named
    assert sorted(p.name for p in offline["outputs"].iterdir()) == [
        "bilingual.txt", "draft.docx", "gui.docx", "summary.docx", "translated.docx"]  # no temp file left beside them
    assert offline["runs"]["rewrite"]["proc"].stdout.strip()
    hk = offline["roots"][0]
    assert len(list((hk / "data" / "audit").glob("*.jsonl"))) == 1  # the audit trail was written (and scanned)


def test_strace_sees_no_connection_beyond_this_computer(offline: dict[str, Any]) -> None:
    if offline["why_no_strace"]:
        pytest.skip(offline["why_no_strace"])
    for name, run in offline["runs"].items():
        assert run["trace"] is not None, name
        assert remote_connects(run["trace"]) == [], name


def test_audit_hook_sees_only_loopback_and_local_sockets(offline: dict[str, Any]) -> None:
    for name, run in offline["runs"].items():
        assert run["hook"] is not None, f"{name}: {run['proc'].stderr[-1000:]}"
        assert remote_attempts(run["hook"]) == [], name


def test_no_canary_left_outside_the_outputs(offline: dict[str, Any]) -> None:
    outputs = {p.resolve() for p in offline["outputs"].iterdir()}
    inputs = {p.resolve() for p in (offline["roots"][4]).iterdir()}
    leaks = files_with(offline["roots"], [DOC_CANARY.encode(), KEY_CANARY.encode()], skip=outputs | inputs)
    assert leaks == []
    hk = offline["roots"][0]
    assert list((hk / "logs").glob("*.log")), "the commands logged nothing: the scan would prove nothing"
    assert not (hk / "cache" / "outputs").exists() or not any((hk / "cache" / "outputs").iterdir())


def test_the_scan_finds_a_planted_canary(tmp_path: Path) -> None:
    """The scanner itself works: plain, UTF-16 and inside a compressed .docx."""
    (tmp_path / "a.log").write_text(f"x {DOC_CANARY} y")
    (tmp_path / "b.bin").write_bytes(KEY_CANARY.encode("utf-16-le"))
    d = docx.Document()
    d.add_paragraph(DOC_CANARY)
    d.save(str(tmp_path / "c.docx"))
    (tmp_path / "clean.txt").write_text("nothing here")
    found = files_with([tmp_path], [DOC_CANARY.encode(), KEY_CANARY.encode()])
    assert sorted(Path(f).name for f in found) == ["a.log", "b.bin", "c.docx"]


def test_the_watchers_see_an_attempt(tmp_path: Path) -> None:
    """strace and the audit hook do report a connection when one is tried (so silence means none)."""
    strace, why = strace_prefix(tmp_path / "t.strace")
    netns, _ = netns_prefix()
    code = "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=0.5)\nexcept OSError:\n    pass\n"
    script = tmp_path / "try.py"
    script.write_text(code)
    subprocess.run([*netns, *strace, sys.executable, str(NETWATCH), str(tmp_path / "h.json"), str(script)],
                   capture_output=True, timeout=60)
    assert remote_attempts(json.loads((tmp_path / "h.json").read_text()))
    if why:
        pytest.skip(why)
    assert any("192.0.2.1" in line for line in remote_connects((tmp_path / "t.strace").read_text()))
