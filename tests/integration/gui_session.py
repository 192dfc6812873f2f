"""An offscreen window session over the real model, as a person would drive it (used by the offline tests).

    python gui_session.py DOCUMENT OUTPUT.docx

Starts the application through ``run_gui`` (network guard, recovery rules, crash path, the
real Session), opens DOCUMENT on the Translate tab, translates it into Traditional Chinese,
saves the text as OUTPUT.docx and quits. Exit status 0 when OUTPUT exists; 3 on a timeout.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HKPILOT_NO_MODAL", "1")

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hkpilot.gui.app import run_gui

TIMEOUT_MS = 400_000


def _drive(document: Path, output: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    pane = window.translate_pane  # type: ignore[attr-defined]
    window.tabs.setCurrentWidget(pane)  # type: ignore[attr-defined]
    pane.open_path(document)

    def opened() -> None:
        if pane.document is None:
            QTimer.singleShot(100, opened)
            return
        pane.target_combo.setCurrentIndex(pane.target_combo.findData("zh-HK"))
        pane.run()
        QTimer.singleShot(200, finished)

    def finished() -> None:
        if pane.handle is None or pane.busy:
            QTimer.singleShot(200, finished)
            return
        pane.save_text_to(output, pane.output_view.toPlainText(), done=lambda _p: window.close())

    opened()


def main() -> int:
    document, output = Path(sys.argv[1]), Path(sys.argv[2])
    QApplication(sys.argv[:1])
    QTimer.singleShot(0, lambda: _drive(document, output))
    QTimer.singleShot(TIMEOUT_MS, lambda: QApplication.exit(3))
    code = run_gui(sys.argv[:1])
    return code if code else (0 if output.is_file() else 4)


if __name__ == "__main__":
    sys.exit(main())
