"""Run HKPilot under a Python audit hook that records every network attempt (used by the offline tests).

    python netwatch.py OUT.json -m hkpilot ARGS...      the CLI
    python netwatch.py OUT.json SCRIPT.py ARGS...       a script (the offscreen window session)

OUT.json gets one record per ``socket.connect``/``sendto``/``sendmsg`` (family, address) and
per host lookup (``getaddrinfo``, ``gethostbyname``, ``gethostbyaddr``), from every thread.
"""

from __future__ import annotations

import atexit
import json
import runpy
import sys
from typing import Any

_SEEN: list[dict[str, Any]] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        family = getattr(sock, "family", None)
        host = address[0] if isinstance(address, tuple) and address else None
        _SEEN.append({"event": event, "family": int(family) if family is not None else -1,
                      "host": None if host is None else str(host), "address": repr(address)[:200]})
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        _SEEN.append({"event": event, "host": None if not args or args[0] is None else str(args[0])})


def _dump(path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(_SEEN, f)


if __name__ == "__main__":
    out = sys.argv[1]
    atexit.register(_dump, out)
    sys.addaudithook(_hook)
    if sys.argv[2] == "-m":
        sys.argv = [sys.argv[3], *sys.argv[4:]]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        script = sys.argv[2]
        sys.argv = sys.argv[2:]
        runpy.run_path(script, run_name="__main__")
