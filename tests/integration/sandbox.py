"""Helpers for the security tests: run in a network namespace under strace, and look for canaries.

``unshare -rn`` (a user and network namespace; ``unshare -n`` as root) leaves the process
no network interface at all, so anything that tries the network fails; ``strace -f -e
trace=connect`` records every connect(2) of every thread and child, Qt's own included,
which a Python audit hook cannot see (RELIABILITY.md).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

NETWATCH = Path(__file__).with_name("netwatch.py")


@functools.cache
def netns_prefix() -> tuple[list[str], str]:
    """The command prefix for a namespace without network, or [] and why it is unavailable."""
    if not shutil.which("unshare"):
        return [], "unshare is not installed (util-linux)"
    for prefix in (["unshare", "-rn"], ["unshare", "-n"]):
        if prefix == ["unshare", "-n"] and os.geteuid() != 0:
            continue
        probe = subprocess.run([*prefix, sys.executable, "-c", "import socket; print(socket.if_nameindex())"],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            return prefix, ""
    return [], "network namespaces are not permitted here (unprivileged user namespaces disabled, not root)"


def strace_prefix(trace: Path) -> tuple[list[str], str]:
    if not shutil.which("strace"):
        return [], "strace is not installed (apt-get install strace)"
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect", "-o", os.devnull, "true"], capture_output=True)
    if probe.returncode != 0:
        return [], "strace cannot trace here (ptrace not permitted)"
    return ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace)], ""


_ADDR4 = re.compile(r'sin_addr=inet_addr\("([^"]+)"\)')
_ADDR6 = re.compile(r'inet_pton\(AF_INET6, "([^"]+)"')
_FAMILY = re.compile(r"sa_family=(AF_[A-Z0-9]+)")
LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}


def remote_connects(trace_text: str) -> list[str]:
    """The connect(2) lines of an strace log that go anywhere but this computer."""
    bad = []
    for line in trace_text.splitlines():
        if "connect(" not in line:
            continue
        family = _FAMILY.search(line)
        if family and family.group(1) in LOCAL_FAMILIES:
            continue
        v4, v6 = _ADDR4.search(line), _ADDR6.search(line)
        if v4 and v4.group(1).startswith("127."):
            continue
        if v6 and v6.group(1) in ("::1", "::ffff:127.0.0.1"):
            continue
        bad.append(line.strip())
    return bad


def remote_attempts(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """Audit-hook records (netwatch.py) that are not loopback or a local socket."""
    from hkpilot.net_guard import is_loopback

    bad = []
    for rec in records:
        if rec.get("event", "").startswith("socket.connect") or rec.get("event") in ("socket.sendto", "socket.sendmsg"):  # type: ignore[union-attr]
            if rec.get("family") not in (2, 10):  # only AF_INET/AF_INET6 can leave the computer
                continue
        if not is_loopback(None if rec.get("host") is None else str(rec.get("host"))):
            bad.append(rec)
    return bad


def files_with(roots: list[Path], needles: list[bytes], skip: set[Path] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every file under ``roots`` (zip members read inside) holding one of ``needles``, in UTF-8 or UTF-16."""
    forms = [f for n in needles for f in (n, n.decode().encode("utf-16-le"))]
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if not path.is_file() or path.resolve() in skip:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            blobs = [data]
            if data[:2] == b"PK":
                try:
                    with zipfile.ZipFile(path) as zf:
                        blobs += [zf.read(i) for i in zf.infolist() if i.file_size < 50_000_000]
                except (zipfile.BadZipFile, OSError, RuntimeError):
                    pass
            if any(f in blob for blob in blobs for f in forms):
                found.append(str(path))
    return found
