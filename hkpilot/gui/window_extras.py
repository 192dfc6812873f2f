"""What the main window gained for everyday comfort, kept out of ``main_window.py``:
the Batch and History tabs, the Edit, View and Tools menus, Open recent, export and copy,
text size, the model manager, the keyboard shortcuts list, and what happens at start
(the autosaved draft comes back; an unfinished batch is mentioned).

Every action has a keyboard shortcut; the list is under Help > Keyboard shortcuts (F1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMenu, QTableWidget, QTableWidgetItem, QVBoxLayout

from hkpilot.app.history import JobRecord
from hkpilot.errors import HKPilotError
from hkpilot.gui import appearance
from hkpilot.gui.batch_pane import BatchPane
from hkpilot.gui.history_pane import HistoryPane
from hkpilot.gui.icons import icon
from hkpilot.gui.widgets import INFO, WARNING

if TYPE_CHECKING:
    from hkpilot.gui.document_pane import DocumentPane
    from hkpilot.gui.main_window import MainWindow

log = logging.getLogger(__name__)

TEXT_SIZE_KEY = "ui.text_size"



class WindowExtras(QObject):
    """Builds the extra tabs, menus and actions of ``window`` and keeps them translated."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        session, runner = window.session, window.runner
        self.batch_pane = BatchPane(session, runner, window.tabs)
        self.history_pane = HistoryPane(session, window.tabs)
        window.tabs.addTab(self.batch_pane, "")
        window.tabs.addTab(self.history_pane, "")
        for index, name in enumerate(("draft", "translate", "summarise", "batch", "history")):
            window.tabs.setTabIcon(index, icon(name))
        self.batch_pane.message.connect(window.show_message)
        self.batch_pane.busy_changed.connect(window._busy_changed)
        self.batch_pane.rate_changed.connect(window._rate_changed)
        self.history_pane.message.connect(window.show_message)
        self.history_pane.rerun_requested.connect(self.rerun)
        self.history_pane.open_requested.connect(self.open_for_task)
        for pane in window.panes:
            pane.busy_changed.connect(lambda busy: None if busy else self.history_pane.refresh())
            requested = getattr(pane, "model_manager_requested", None)
            if requested is not None:
                requested.connect(self.open_model_manager)
        self._create_actions()
        self._create_menus()
        self.apply_text_size()

    # --- actions and menus -----------------------------------------------------------------
    def _action(self, name: str, slot: Callable[[], object], *keys: Any) -> QAction:
        act = QAction(icon(name) if name else QIcon(), "", self.window)
        act.triggered.connect(slot)
        if keys:
            act.setShortcuts([QKeySequence(k) for k in keys])
        self.window.addAction(act)
        return act

    def _create_actions(self) -> None:
        w = self.window
        w.open_action.setIcon(icon("open"))
        w.save_action.setIcon(icon("save"))
        w.run_action.setIcon(icon("run"))
        w.stop_action.setIcon(icon("stop"))
        w.settings_action.setIcon(icon("settings"))
        w.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.export_action = self._action("export", lambda: self._pane_call("export_output"), "Ctrl+E")
        self.batch_add_action = self._action("batch", self.add_to_batch, "Ctrl+Shift+O")
        self.stop_after_action = self._action("stop-after", self.batch_pane.stop_after_this_file, "Shift+Esc")
        self.undo_action = self._action("undo", lambda: self._output_call("undo"), QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("redo", lambda: self._output_call("redo"), "Ctrl+Shift+Z", "Ctrl+Y")
        self.copy_output_action = self._action("copy", lambda: self._pane_call("copy_output"), "Ctrl+Shift+C")
        self.tab_actions = [self._action("", self._tab_switcher(i), f"Ctrl+{i + 1}") for i in range(w.tabs.count())]
        self.larger_action = self._action("zoom-in", lambda: self.change_text_size(+1), "Ctrl++", "Ctrl+=")
        self.smaller_action = self._action("zoom-out", lambda: self.change_text_size(-1), "Ctrl+-")
        self.normal_size_action = self._action("", lambda: self.change_text_size(0), "Ctrl+0")
        self.model_manager_action = self._action("model", self.open_model_manager, "Ctrl+M")
        self.shortcuts_action = self._action("keyboard", self.show_shortcuts, "F1")
        for act in (self.larger_action, self.smaller_action, self.normal_size_action):
            act.setEnabled(not w.session.settings.is_locked(TEXT_SIZE_KEY))

    def _tab_switcher(self, index: int) -> Callable[[], None]:
        return lambda: self.window.tabs.setCurrentIndex(index)

    def _create_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        self.recent_menu = QMenu(w)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu = w.file_menu
        file_menu.insertMenu(w.save_action, self.recent_menu)
        file_menu.insertAction(w.save_action, self.batch_add_action)
        file_menu.insertSeparator(w.save_action)
        file_menu.insertAction(w.run_action, self.export_action)
        file_menu.insertSeparator(w.run_action)
        file_menu.insertAction(w.quit_action, self.stop_after_action)
        file_menu.insertSeparator(w.quit_action)
        self.edit_menu = QMenu(w)
        for act in (self.undo_action, self.redo_action, None, self.copy_output_action, self.export_action):
            self.edit_menu.addSeparator() if act is None else self.edit_menu.addAction(act)
        self.view_menu = QMenu(w)
        self.view_menu.addActions(self.tab_actions)
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.larger_action, self.smaller_action, self.normal_size_action])
        w.settings_menu.insertAction(w.settings_action, self.model_manager_action)
        before = w.settings_menu.menuAction()
        for menu in (self.edit_menu, self.view_menu):
            bar.insertMenu(before, menu)
        w.help_menu.insertAction(w.about_action, self.shortcuts_action)

    def retranslate_ui(self) -> None:
        w = self.window
        for index, (title, tip) in enumerate((
            (self.tr("Batch"), self.tr("Translate or summarise several files, one after another")),
            (self.tr("History"), self.tr("Recent files and past work")),
        ), start=3):
            w.tabs.setTabText(index, title)
            w.tabs.setTabToolTip(index, tip)
        w.tabs.tabBar().setAccessibleName(self.tr("Task tabs"))
        self.recent_menu.setTitle(self.tr("Open &recent"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        for act, text in (
            (self.export_action, self.tr("&Export…")), (self.batch_add_action, self.tr("Add files to &batch…")),
            (self.stop_after_action, self.tr("Stop a&fter this file")), (self.undo_action, self.tr("&Undo")),
            (self.redo_action, self.tr("&Redo")), (self.copy_output_action, self.tr("&Copy output")),
            (self.larger_action, self.tr("&Larger text")), (self.smaller_action, self.tr("&Smaller text")),
            (self.normal_size_action, self.tr("&Normal text size")), (self.model_manager_action, self.tr("&Model manager…")),
            (self.shortcuts_action, self.tr("&Keyboard shortcuts")),
        ):
            act.setText(text)
        self.export_action.setToolTip(self.tr("Export the output as .docx, .pdf or .txt"))
        for act, index in zip(self.tab_actions, range(w.tabs.count()), strict=True):
            act.setText(w.tabs.tabText(index))
        self.history_pane.retranslate_ui()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        history = self.history_pane.history
        files = history.recent_files() if history is not None else []
        for path in files[:10]:
            act = self.recent_menu.addAction(path.name)
            act.setToolTip(str(path))
            act.setProperty("hkpilotData", True)
            act.triggered.connect(lambda _c=False, p=path: self.open_for_task(p, ""))
        if not files:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)

    # --- what the actions do ---------------------------------------------------------------
    def _pane_call(self, method: str) -> None:
        fn = getattr(self.window.current_pane(), method, None)
        if callable(fn):
            fn()

    def _output_call(self, method: str) -> None:
        """Undo/redo in the text box with the focus, else in the current pane's output."""
        focus = QApplication.focusWidget()
        target = focus if hasattr(focus, method) else getattr(self.window.current_pane(), "output_view", None)
        fn = getattr(target, method, None)
        if callable(fn):
            fn()

    def add_to_batch(self) -> None:
        self.window.tabs.setCurrentWidget(self.batch_pane)
        self.batch_pane.open_file()

    def open_for_task(self, path: Path, task: str) -> None:
        """Open a recent file on the pane for ``task`` (the current document pane when "")."""
        w = self.window
        pane = {"translate": w.translate_pane, "summarise": w.summarise_pane}.get(task)
        if pane is None:
            current = w.current_pane()
            pane = current if hasattr(current, "open_path") else w.translate_pane
        if not Path(path).exists():
            w.show_message(WARNING, self.tr("{name} is no longer there.").format(name=Path(path).name))
            return
        w.tabs.setCurrentWidget(pane)
        pane.open_path(Path(path))

    def rerun(self, record: JobRecord) -> None:
        """Open the job's file with its choices on its pane and run it again."""
        w = self.window
        opts = record.options
        if record.task == "draft":
            pane = w.draft_pane
            w.tabs.setCurrentWidget(pane)
            pane.type_combo.setCurrentIndex(max(pane.type_combo.findData(opts.get("doc_type")), 0))
            pane.language_combo.setCurrentIndex(max(pane.language_combo.findData(opts.get("lang")), 0))
            if record.content:
                pane.points_edit.setPlainText(record.content)
                pane.run()
            else:
                w.show_message(INFO, self.tr("The key points were not kept in the history: type them, then press Run."))
            return
        doc_pane: DocumentPane = w.translate_pane if record.task == "translate" else w.summarise_pane
        combos = {"target": "target_combo", "layout": "layout_combo", "length": "length_combo", "lang": "language_combo"}
        for key, attr in combos.items():
            combo = getattr(doc_pane, attr, None)
            if combo is not None and key in opts and combo.findData(opts[key]) >= 0:
                combo.setCurrentIndex(combo.findData(opts[key]))
        if not Path(record.source).exists():
            w.show_message(WARNING, self.tr("{name} is no longer there.").format(name=Path(record.source).name))
            return
        w.tabs.setCurrentWidget(doc_pane)
        doc_pane.run_when_opened = True
        doc_pane.open_path(Path(record.source))

    # --- text size -------------------------------------------------------------------------
    def apply_text_size(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            appearance.apply_fonts(app, int(self.window.session.settings.get(TEXT_SIZE_KEY) or 0))

    def change_text_size(self, step: int) -> None:
        """Larger (+1), smaller (-1) or the system's size (0), remembered in the settings."""
        settings = self.window.session.settings
        if settings.is_locked(TEXT_SIZE_KEY):
            return
        current = int(settings.get(TEXT_SIZE_KEY) or 0) or round(appearance.system_text_size())
        size = 0 if step == 0 else min(max(current + step, appearance.MIN_TEXT_SIZE), appearance.MAX_TEXT_SIZE)
        try:
            settings.set(TEXT_SIZE_KEY, size)
            settings.save()
        except (HKPilotError, OSError) as exc:
            log.warning("text size not saved: %s", type(exc).__name__)
        self.apply_text_size()

    def settings_changed(self) -> None:
        """After the settings dialog: the text size, and stored texts dropped when the opt-in is off."""
        self.apply_text_size()
        history = self.history_pane.history
        if history is not None and not history.store_content:
            history.forget_content()
        self.history_pane.refresh()

    # --- dialogs ---------------------------------------------------------------------------
    def open_model_manager(self) -> Any:
        from hkpilot.gui.model_manager import ModelManager

        dialog = ModelManager(self.window.session, self.window.runner, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.loaded.connect(lambda _name: self.window.refresh_engine_label())
        dialog.open()
        self.model_manager = dialog
        return dialog

    def show_shortcuts(self) -> QDialog:
        """A table of every action and its keys (Help > Keyboard shortcuts, F1)."""
        dialog = ShortcutsDialog(self.window)
        dialog.open()
        return dialog

    # --- start -----------------------------------------------------------------------------
    def on_start(self) -> None:
        """Bring back the autosaved draft and mention an unfinished batch."""
        notes = []
        if self.window.draft_pane.restore_autosave():
            notes.append(self.tr("Your draft from last time was restored."))
        batch_note = self.batch_pane.startup_note()
        if batch_note:
            notes.append(batch_note)
        if notes:
            self.window.show_message(INFO, " ".join(notes))


class ShortcutsDialog(QDialog):
    """Every action of the window with its keys; follows a language switch."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.table = QTableWidget(0, 2, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 560)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        rows = []
        for act in self.window_.actions():
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts())
            if keys and act.text():
                rows.append((act.text().replace("&", "").split("(")[0].strip(), keys))
        self.table.setRowCount(len(rows))
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(0, self.table.columnWidth(0) + 16)  # room after the longest name
        # Tall enough to show every row without scrolling, where the screen allows.
        frame = self.table.horizontalHeader().height() + self.table.verticalHeader().length() + 2 * self.table.frameWidth()
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 900
        self.resize(self.width(), min(frame + 80, int(screen * 0.85)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self.retranslate_ui)  # after the window's actions have their new texts
        super().changeEvent(event)
