"""Time until a window is shown, for ``hkpilot bench``: HKPilot's main window or a bare one.

Run as ``python -m hkpilot.gui.startup_probe hkpilot|bare`` with ``QT_QPA_PLATFORM=offscreen``
and ``HKPILOT_BENCH_T0`` (the parent's ``time.time()`` just before it started this
process). Prints one JSON line: seconds from T0 to the shown window, the resident memory
then, and for HKPilot whether the model was still unloaded when the window appeared and
how long after that it finished loading in the background.
"""

from __future__ import annotations

import json
import os
import sys
import time


def rss_mb() -> float:
    """Resident memory of this process in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def bare() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit, QTabWidget

    app = QApplication(["bare"])
    window = QMainWindow()
    tabs = QTabWidget(window)
    for name in ("Draft", "Translate", "Summarise"):
        tabs.addTab(QPlainTextEdit(tabs), name)
    window.setCentralWidget(tabs)
    window.show()
    app.processEvents()
    return {"shown_s": time.time() - float(os.environ["HKPILOT_BENCH_T0"]), "rss_mb": rss_mb()}


def hkpilot(wait_model_s: float) -> dict[str, float | bool]:
    from PySide6.QtCore import QCoreApplication

    from hkpilot.gui.app import build_app, create_main_window
    from hkpilot.gui.preload import preload_engine
    from hkpilot.gui.session_api import default_session

    app = build_app(["hkpilot"])
    session = default_session()
    window = create_main_window(session, app)
    window.show()
    app.processEvents()
    shown = time.time()
    out: dict[str, float | bool] = {"shown_s": shown - float(os.environ["HKPILOT_BENCH_T0"]), "rss_mb": rss_mb(),
                                    "model_loaded_at_show": bool(getattr(session, "engine_loaded", False))}
    handle = preload_engine(session, window.runner)
    if handle is not None:
        end = time.time() + wait_model_s
        while handle.running and time.time() < end:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        out["model_loaded_after_s"] = time.time() - shown if handle.outcome == "succeeded" else -1.0
        out["rss_model_mb"] = rss_mb()
    window.runner.shutdown(wait=True)
    close = getattr(session, "close", None)
    if callable(close):
        close()
    return out


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "bare"
    result = bare() if kind == "bare" else hkpilot(float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip Qt's teardown: the figure is taken


if __name__ == "__main__":
    main()
