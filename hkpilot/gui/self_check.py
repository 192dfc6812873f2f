"""The window part of ``hkpilot --selftest`` (hkpilot/selftest.py): the main window opens
and the zh-HK interface catalogue loads. Here because only hkpilot/gui imports Qt."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from hkpilot import i18n
from hkpilot.gui.app import build_app, create_main_window
from hkpilot.gui.session_api import SessionLike


def check_main_window(session: SessionLike) -> str:
    """Show the main window (offscreen when the caller set it), switch it to zh-HK and back;
    a line saying what was shown, or RuntimeError."""
    language = i18n.current_language()  # the window switches the core catalogue too: put it back after
    app = build_app(["hkpilot"])
    window = create_main_window(session, app)
    try:
        window.show()
        QApplication.processEvents()
        if not window.isVisible():
            raise RuntimeError("the window did not show")
        window.language.apply("zh-HK")
        QApplication.processEvents()
        if window.language.missing_catalogue:
            raise RuntimeError("the zh-HK interface catalogue did not load")
        title = window.windowTitle()
        return f"{app.platformName()}, {window.width()}x{window.height()}, {title}"
    finally:
        window.language.apply(language)
        window.close()
        window.runner.shutdown(wait=True)
        QApplication.processEvents()
