"""Logging to a rotated file in the user's log folder. Never document text or keys:
log calls pass ids, counts, sizes, timings and error codes only."""

from __future__ import annotations

import logging
import logging.handlers

from hkpilot import paths

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(debug: bool = False) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_hkpilot", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_dir() / "hkpilot.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only profile must not stop the app
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._hkpilot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("httpx", "httpcore"):  # they log full URLs and headers at debug level
        logging.getLogger(noisy).setLevel(logging.WARNING)
