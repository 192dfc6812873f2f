"""Start the desktop application: QApplication, translators, crash path, main window.

Switches for tests and scripted runs: ``HKPILOT_HOME`` (a temp base folder, see
``hkpilot/paths.py``) and ``HKPILOT_NO_MODAL=1`` (no modal error windows).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

import hkpilot
from hkpilot.gui.crash import CrashHandler
from hkpilot.gui.language import UiLanguage
from hkpilot.gui.main_window import LANGUAGE_KEY, MainWindow, app_icon
from hkpilot.gui.preload import preload_engine
from hkpilot.gui.session_api import SessionLike, default_session
from hkpilot.gui.widgets import INFO
from hkpilot.logs import setup_logging

log = logging.getLogger(__name__)

EXIT_WAIT_S = 5.0
"""How long quitting waits for cancelled jobs before leaving the model to the OS."""


def build_app(argv: Sequence[str]) -> QApplication:
    """The QApplication (the existing one when there is one, as under pytest-qt)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv) or ["hkpilot"])
    QCoreApplication.setApplicationName("HKPilot")
    QCoreApplication.setOrganizationName("HKPilot")
    QCoreApplication.setApplicationVersion(hkpilot.__version__)
    QApplication.setDesktopFileName("hkpilot")
    app.setWindowIcon(app_icon())
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    return app


def create_main_window(session: SessionLike, app: QApplication) -> MainWindow:
    """The main window in the language ``ui.language`` asks for ("" follows the system)."""
    language = UiLanguage(app)
    language.apply(str(session.settings.get(LANGUAGE_KEY)))
    window = MainWindow(session, language)
    window._sync_language_actions()
    window.extras.on_start()  # the autosaved draft comes back; an unfinished batch is mentioned
    return window


def run_gui(argv: Sequence[str], session: SessionLike | None = None) -> int:
    """Run the desktop application until its window closes; return the exit status."""
    setup_logging()
    app = build_app(argv)
    if session is None:
        session = default_session()
    from hkpilot.app import network_guard, recovery

    network_guard.install(session.settings)  # policy network = "none": nothing beyond loopback
    recovery.configure(session.settings)  # policy recovery = false: no autosave, no crash copies
    recovery.clean_working_files()  # left by a session that did not end cleanly
    window = create_main_window(session, app)
    if recovery.pending():
        window.show_message(INFO, QCoreApplication.translate(
            "MainWindow", "Unsaved text from a session that ended unexpectedly is kept in {folder}. "
            "Open it from there, then delete it.").format(folder=str(recovery.recovery_dir())))
    crash = CrashHandler(window.save_unsaved_output, window)
    crash.install()
    try:
        window.show()
        log.info("HKPilot %s GUI started", hkpilot.__version__)
        preload_engine(session, window.runner, window.refresh_engine_label)  # the model loads after the window shows
        return int(app.exec())
    finally:
        recovery.clean_working_files()  # translated files the person did not save go
        crash.uninstall()
        window.runner.shutdown(wait=False)  # cancels whatever still runs
        if window.runner.wait_for_workers(EXIT_WAIT_S):
            close = getattr(session, "close", None)
            if callable(close):
                close()  # free the model only when no worker can still be using it
        else:
            log.warning("a job did not stop within %s s at exit", EXIT_WAIT_S)


def main() -> int:
    """Entry point of the ``HKPilot`` GUI script."""
    return run_gui(sys.argv)
