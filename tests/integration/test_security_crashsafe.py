"""Crash-safe saves: 40 CLI runs killed with SIGKILL at random moments, and a full disk.

The document needs no model call (English into English: numbers and codes), so each run is
the real ``hkpilot translate`` path — read, the local model loaded, the translated copy
written through ``atomic.py`` — in about two seconds; a picture of noise makes each save
write some megabytes. Kills are aimed at the write: three in four come a random moment
after the temp file appears, the rest anywhere in the run.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import docx
import pytest

pytestmark = [pytest.mark.model, pytest.mark.slow]

PARAGRAPHS = 400
RUNS = 40


def _noise_png(side: int) -> bytes:
    """A valid PNG of random pixels: it does not compress, so writing the output takes a while."""
    raw = b"".join(b"\0" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def _source(path: Path) -> Path:
    d = docx.Document()
    for i in range(PARAGRAPHS):
        d.add_paragraph(f"Item {i:05d} - 2024-{i % 12 + 1:02d}-01 - HKD {i * 37}.00 - ref ABC-{i}")
    d.add_picture(io.BytesIO(_noise_png(1300)))  # about 5 MB that every save must write
    d.save(str(path))
    return path


def _cmd(src: Path, out: Path, model: Path) -> list[str]:
    return [sys.executable, "-m", "hkpilot", "translate", str(src), "--to", "en", "-o", str(out), "--force",
            "--model", str(model), "--set", "local.n_ctx=512"]


def _complete(path: Path) -> bool:
    """A valid .docx with every paragraph and the picture."""
    try:
        d = docx.Document(str(path))
        items = [p for p in d.paragraphs if p.text.startswith("Item ")]
        return len(items) == PARAGRAPHS and len(d.inline_shapes) == 1 and d.inline_shapes[0]._inline is not None
    except Exception:  # noqa: BLE001 - a damaged file is exactly what must never be found
        return False


def _temps(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


def test_forty_killed_saves_leave_no_corrupt_output(starter_model: Path, cli_env: dict[str, str], tmp_path: Path) -> None:
    src = _source(tmp_path / "ledger.docx")
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    old = tmp_path / "old.docx"
    d = docx.Document()
    d.add_paragraph("An earlier, complete output.")
    d.save(str(old))
    # One run to time it: when the temp file appears, and when the run ends.
    t0 = time.monotonic()
    probe = subprocess.Popen(_cmd(src, out_dir / "probe.docx", starter_model), env=cli_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t_write = t_done = None
    while probe.poll() is None:
        writing = bool(_temps(out_dir, "probe.docx"))
        if t_write is None and writing:
            t_write = time.monotonic() - t0
        elif t_write is not None and t_done is None and not writing:
            t_done = time.monotonic() - t0
        time.sleep(0.001)
    total = time.monotonic() - t0
    assert probe.returncode == 0 and _complete(out_dir / "probe.docx")
    window = (t_done or total) - (t_write or 0.0)  # how long the temp file exists

    rng = random.Random(9)
    outcomes = {"absent": 0, "old": 0, "new": 0, "killed_mid_write": 0}
    for i in range(RUNS):
        out = out_dir / f"run{i}.docx"
        if i % 2:
            shutil.copyfile(old, out)  # an existing output: replaced only by a complete new one
        proc = subprocess.Popen(_cmd(src, out, starter_model), env=cli_env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        start = time.monotonic()
        if i % 4 == 0:  # anywhere in the run
            time.sleep(rng.uniform(0, total))
        else:  # aimed at the write: a random moment after the temp file appears
            while proc.poll() is None and not _temps(out_dir, out.name) and time.monotonic() - start < 60:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, window * 1.3))
        mid_write = bool(_temps(out_dir, out.name)) and proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes["killed_mid_write"] += mid_write
        if not out.exists():
            outcomes["absent"] += 1
            assert i % 2 == 0, f"run {i}: the existing output was removed"
        elif out.read_bytes() == old.read_bytes():
            outcomes["old"] += 1
        else:
            assert _complete(out), f"run {i}: a corrupt or partial output"
            outcomes["new"] += 1
    print(f"40 killed saves: {outcomes}; write window {window:.2f} s of {total:.2f} s")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest  # the source is byte-identical
    assert outcomes["killed_mid_write"] >= 10, outcomes  # the kills did land inside writes
    # The next save sweeps the temp files the killed writers left (their processes are gone).
    final = subprocess.run(_cmd(src, out_dir / "run0.docx", starter_model), env=cli_env, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert _temps(out_dir, "run0.docx") == []


def _mount_prefix() -> tuple[list[str], str]:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return [], "unshare/mount not installed"
    for prefix in (["unshare", "-rm"], ["unshare", "-m"]):
        probe = subprocess.run([*prefix, "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d"],
                               capture_output=True)
        if probe.returncode == 0:
            return prefix, ""
    return [], "cannot mount a tmpfs here (no root, unprivileged user namespaces disabled)"


def test_full_disk_gives_a_clear_error_and_keeps_the_existing_output(
    starter_model: Path, cli_env: dict[str, str], tmp_path: Path
) -> None:
    prefix, why = _mount_prefix()
    if not prefix:
        pytest.skip(why)
    src = _source(tmp_path / "ledger.docx")
    disk = tmp_path / "disk"
    disk.mkdir()
    old = tmp_path / "old.docx"
    d = docx.Document()
    d.add_paragraph("An earlier, complete output.")
    d.save(str(old))
    size_kb = old.stat().st_size // 1024 + 24  # room for the old file, not for the new one beside it
    script = (f'mount -t tmpfs -o size={size_kb}k tmpfs "{disk}" && cp "{old}" "{disk}/out.docx" && '
              f'"$@"; code=$?; sha256sum "{disk}/out.docx" > "{tmp_path}/after.sha"; ls -a "{disk}" > "{tmp_path}/ls.txt"; '
              "exit $code")
    proc = subprocess.run([*prefix, "sh", "-c", script, "sh", *_cmd(src, disk / "out.docx", starter_model)],
                          env=cli_env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "No space left on device" in proc.stderr and "out.docx" in proc.stderr
    assert (tmp_path / "after.sha").read_text().split()[0] == hashlib.sha256(old.read_bytes()).hexdigest()
    assert sorted((tmp_path / "ls.txt").read_text().split()) == [".", "..", "out.docx"]  # no temp file left
    assert os.path.getsize(src) > 0
