"""The main window: Draft / Translate / Summarise tabs, menus, message bar, status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import hkpilot
from hkpilot.errors import HKPilotError
from hkpilot.gui.draft_pane import DraftPane
from hkpilot.gui.file_dialogs import dropped_documents
from hkpilot.gui.job_pane import JobPane
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.language import AUTONYMS, UI_LANGUAGES, UiLanguage
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.settings_dialog import SettingsDialog
from hkpilot.gui.summarise_pane import SummarisePane
from hkpilot.gui.translate_pane import TranslatePane
from hkpilot.gui.widgets import ERROR, INFO, WARNING, MessageBar, Retranslating, mark_autonym, mark_data
from hkpilot.gui.window_extras import WindowExtras
from hkpilot.resources import resources_dir

log = logging.getLogger(__name__)

LANGUAGE_KEY = "ui.language"
QT_SCROLL_BUTTONS = {"ScrollLeftButton": ("QTabBar", "Scroll Left"), "ScrollRightButton": ("QTabBar", "Scroll Right")}
"""Qt's own strings (translated by Qt's catalogue, so kept out of ours by not being literal tr() calls)."""


def app_icon() -> QIcon:
    """The HKPilot icon (SVG), or an empty icon when the file is missing."""
    path = resources_dir() / "icons" / "hkpilot.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


class AboutBox(Retranslating, QMessageBox):
    """Help > About: the version and what HKPilot does; follows a language switch while open."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setIconPixmap(app_icon().pixmap(64, 64))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "About HKPilot"))
        self.setText(QCoreApplication.translate(
            "MainWindow",
            "HKPilot {version}\n\nDrafts, translates and summarises documents with a language model that runs on "
            "this computer or on your department's server. Your source documents are never changed."
        ).format(version=hkpilot.__version__))


class MainWindow(Retranslating, QMainWindow):
    """One window over one session; every long task goes through its JobRunner."""

    def __init__(self, session: SessionLike, language: UiLanguage | None = None) -> None:
        super().__init__()
        self.session = session
        app = QApplication.instance()
        assert app is not None, "create the QApplication first"
        self.language = language or UiLanguage(app)
        self.runner = JobRunner(self)
        self.runner.failed.connect(self.report_error)
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)

        self.message_bar = MessageBar(self)
        self.tabs = QTabWidget(self)
        self.draft_pane = DraftPane(session, self.runner, self.tabs)
        self.translate_pane = TranslatePane(session, self.runner, self.tabs)
        self.summarise_pane = SummarisePane(session, self.runner, self.tabs)
        self.panes: list[JobPane] = [self.draft_pane, self.translate_pane, self.summarise_pane]
        for pane in self.panes:
            self.tabs.addTab(pane, "")
            pane.message.connect(self.show_message)
            pane.busy_changed.connect(self._busy_changed)
            pane.rate_changed.connect(self._rate_changed)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)

        self._create_actions()
        self._create_menus()
        self._create_status_bar()
        self.extras = WindowExtras(self)  # Batch and History tabs, Edit and View menus, model manager
        self.batch_pane, self.history_pane = self.extras.batch_pane, self.extras.history_pane
        from hkpilot.gui.bilingual_dialog import QualityTools

        self.quality_tools = QualityTools(self)  # Tools > Check bilingual consistency
        self.retranslate_ui()
        self._sync_language_actions()

    # --- construction ----------------------------------------------------------------
    def _create_actions(self) -> None:
        def action(slot: Callable[[], object], *keys: QKeySequence | QKeySequence.StandardKey | str) -> QAction:
            act = QAction(self)
            act.triggered.connect(slot)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            self.addAction(act)  # shortcuts work even where no menu shows them
            return act

        self.open_action = action(lambda: self.current_pane().open_file(), QKeySequence.StandardKey.Open)
        self.save_action = action(lambda: self.current_pane().save_as_docx(), QKeySequence.StandardKey.Save)
        self.quit_action = action(self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.run_action = action(lambda: self.current_pane().run(), "Ctrl+Return", "Ctrl+Enter")
        self.stop_action = action(lambda: self.current_pane().stop(), "Esc")
        self.settings_action = action(self.open_settings)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about_action = action(self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for lang in UI_LANGUAGES:
            act = QAction(AUTONYMS[lang], self.language_group)
            act.setCheckable(True)
            mark_autonym(act)
            act.triggered.connect(lambda _checked=False, code=lang: self.switch_language(code))
            self.language_actions[lang] = act

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for act in (self.open_action, self.save_action, None, self.run_action, self.stop_action, None, self.quit_action):
            if act is None:
                self.file_menu.addSeparator()
            else:
                self.file_menu.addAction(act)
        self.file_menu.aboutToShow.connect(self._sync_file_actions)
        self.settings_menu = bar.addMenu("")
        self.settings_menu.addAction(self.settings_action)
        self.language_menu = bar.addMenu("")
        self.language_menu.addActions(list(self.language_actions.values()))
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.engine_label = QLabel(self)
        self.engine_label.setTextFormat(Qt.TextFormat.PlainText)
        mark_data(self.engine_label)
        self.rate_label = QLabel(self)
        self.elapsed_label = QLabel(self)
        for label in (self.engine_label, self.rate_label, self.elapsed_label):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)
        self._elapsed = QElapsedTimer()
        self._elapsed_ms = 0
        self._rate = 0.0
        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._show_job_stats)
        self.refresh_engine_label()

    def retranslate_ui(self) -> None:
        """Every string of the window again, in the current language."""
        self.setWindowTitle(self.tr("HKPilot – document copilot"))
        for index, (title, tip) in enumerate((
            (self.tr("Draft"), self.tr("Draft a memo, letter, circular, press release, LegCo reply or minutes")),
            (self.tr("Translate"), self.tr("Translate a document between English and Chinese")),
            (self.tr("Summarise"), self.tr("Summarise a document, citing where each point comes from")),
        )):
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, tip)
        self.tabs.setAccessibleName(self.tr("Tasks"))
        self._retranslate_qt_internals()
        self.file_menu.setTitle(self.tr("&File"))
        self.settings_menu.setTitle(self.tr("&Settings"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.open_action.setText(self.tr("&Open…"))
        self.open_action.setToolTip(self.tr("Open a document (reference files on the Draft tab)"))
        self.save_action.setText(self.tr("&Save as .docx…"))
        self.run_action.setText(self.tr("&Run"))
        self.stop_action.setText(self.tr("S&top"))
        self.quit_action.setText(self.tr("&Quit"))
        self.settings_action.setText(self.tr("&Engine settings…"))
        self.about_action.setText(self.tr("&About HKPilot"))
        locked = self.session.settings.is_locked(LANGUAGE_KEY)
        for act in self.language_actions.values():
            act.setToolTip(self.tr("Set by your administrator") if locked else "")
        self.statusBar().setAccessibleName(self.tr("Status"))
        if hasattr(self, "extras"):
            self.extras.retranslate_ui()
        if hasattr(self, "engine_label"):
            self.refresh_engine_label()  # "Local"/"Server" come from the core catalogue
        self._show_job_stats()

    def _retranslate_qt_internals(self) -> None:
        """QTabBar names its scroll buttons once, at creation; name them again from Qt's catalogue."""
        for name, (context, text) in QT_SCROLL_BUTTONS.items():
            button = self.tabs.tabBar().findChild(QToolButton, name)
            if button is not None:
                button.setAccessibleName(QCoreApplication.translate(context, text))

    # --- panes, messages, status ------------------------------------------------------
    def current_pane(self) -> Any:
        """The pane of the current tab: a JobPane, the Batch or the History pane (duck-typed)."""
        return self.tabs.currentWidget()

    def show_message(self, level: str, text: str) -> None:
        """Show a message in the bar above the tabs (never a modal window)."""
        self.message_bar.show_message(level, text)
        if level == ERROR:
            log.info("error shown to the user")

    def report_error(self, error: object) -> None:
        if isinstance(error, HKPilotError):
            self.show_message(ERROR, error.render())
        elif isinstance(error, BaseException):
            pane = self.current_pane()
            (pane if isinstance(pane, JobPane) else self.draft_pane).report_error(error)

    def refresh_engine_label(self) -> None:
        try:
            label = self.session.engine_label()
        except Exception as exc:  # noqa: BLE001 - a label must never stop the window
            log.warning("engine label unavailable: %s", type(exc).__name__)
            label = "?"
        self.engine_label.setText(label)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._rate = 0.0
            self._elapsed.start()
            self._clock.start()
        else:
            self._elapsed_ms = self._elapsed.elapsed() if self._elapsed.isValid() else 0
            self._elapsed.invalidate()
            self._clock.stop()
            self.refresh_engine_label()  # the engine may have loaded meanwhile
        self._show_job_stats()

    def _rate_changed(self, rate: float) -> None:
        self._rate = rate
        self._show_job_stats()

    def _show_job_stats(self) -> None:
        if not hasattr(self, "rate_label"):
            return
        ms = self._elapsed.elapsed() if self._elapsed.isValid() else self._elapsed_ms
        seconds = int(ms / 1000)
        rate = f"{self._rate:.1f}" if self._rate > 0 else "–"
        self.rate_label.setText(self.tr("{rate} tokens/s").format(rate=rate))
        self.elapsed_label.setText(self.tr("Elapsed {minutes}:{seconds:02d}").format(
            minutes=seconds // 60, seconds=seconds % 60))

    def _sync_file_actions(self) -> None:
        pane = self.current_pane()
        for action, name in ((self.save_action, "save_button"), (self.run_action, "run_button"),
                             (self.stop_action, "stop_button")):
            button = getattr(pane, name, None)
            action.setEnabled(button is not None and button.isEnabled() and button.isVisibleTo(pane))

    # --- language ------------------------------------------------------------------------
    def switch_language(self, lang: str, persist: bool = True) -> None:
        """Switch the whole UI to ``lang`` now, and remember it in ``ui.language``."""
        applied = self.language.apply(lang)
        if persist and not self.session.settings.is_locked(LANGUAGE_KEY):
            try:
                self.session.settings.set(LANGUAGE_KEY, applied)
                self.session.settings.save()
            except HKPilotError as exc:
                self.show_message(WARNING, exc.render())
            except OSError as exc:
                self.show_message(WARNING, self.tr("The language choice could not be saved: {error}").format(
                    error=exc.strerror or type(exc).__name__))
        if self.language.missing_catalogue:
            self.show_message(WARNING, self.tr("The Chinese interface file is missing; the interface stays in English."))
        self._sync_language_actions()

    def _sync_language_actions(self) -> None:
        locked = self.session.settings.is_locked(LANGUAGE_KEY)
        for lang, act in self.language_actions.items():
            act.setChecked(lang == self.language.current)
            act.setEnabled(not locked)

    # --- dialogs -------------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        """Open the settings dialog (window-modal, not blocking the event loop)."""
        dialog = SettingsDialog(self.session, self, runner=self.runner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._settings_accepted(dialog))
        dialog.open()
        return dialog

    def _settings_accepted(self, dialog: SettingsDialog) -> None:
        self.extras.settings_changed()
        if dialog.language_changed:
            self.switch_language(str(self.session.settings.get(LANGUAGE_KEY)), persist=False)
        self.refresh_engine_label()
        if dialog.keyring_unavailable:
            self.show_message(WARNING, self.tr(
                "No system keyring is available: the API key is kept for this session only. "
                "To give it to HKPilot every time, set the environment variable HKPILOT_API_KEY."))
        else:
            self.show_message(INFO, self.tr("Settings saved. The model will reload when it is next used."))

    def show_about(self) -> QMessageBox:
        box = AboutBox(self)
        box.open()
        return box

    # --- drops, closing, crash -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if dropped_documents(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        found = dropped_documents(event.mimeData())
        if found:
            event.acceptProposedAction()
            self.current_pane().handle_dropped(found)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.runner.shutdown(wait=False)
        super().closeEvent(event)

    def save_unsaved_output(self) -> str:
        """Keep every pane's output as a crash copy (app/recovery.py; none when policy says
        ``recovery = false``); return the folder, "" when nothing was kept."""
        from hkpilot.app import recovery

        return recovery.save_outputs({name: pane.output_view.toPlainText() for name, pane in (
            ("draft", self.draft_pane), ("translation", self.translate_pane), ("summary", self.summarise_pane))})
