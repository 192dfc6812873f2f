"""The History tab: recent files and past jobs (``app/history.py``), with open output,
re-run and delete. Document text appears only when the person opted in to keeping it.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkpilot import i18n
from hkpilot.app.history import CANCELLED, FAILED, RUNNING, SUCCEEDED, History, JobRecord
from hkpilot.gui.icons import icon
from hkpilot.gui.widgets import INFO, WARNING, Retranslating, mark_data, plain_text_view, plain_tooltip
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

TASK_NAMES = {
    "draft": QT_TRANSLATE_NOOP("HistoryPane", "Draft"),
    "translate": QT_TRANSLATE_NOOP("HistoryPane", "Translate"),
    "summarise": QT_TRANSLATE_NOOP("HistoryPane", "Summarise"),
}
STATUS_NAMES = {
    SUCCEEDED: QT_TRANSLATE_NOOP("HistoryPane", "Finished"),
    CANCELLED: QT_TRANSLATE_NOOP("HistoryPane", "Stopped"),
    FAILED: QT_TRANSLATE_NOOP("HistoryPane", "Failed"),
    RUNNING: QT_TRANSLATE_NOOP("HistoryPane", "Running or interrupted"),
}
COLUMNS = (QT_TRANSLATE_NOOP("HistoryPane", "When"), QT_TRANSLATE_NOOP("HistoryPane", "Task"),
           QT_TRANSLATE_NOOP("HistoryPane", "File"), QT_TRANSLATE_NOOP("HistoryPane", "Engine"),
           QT_TRANSLATE_NOOP("HistoryPane", "Result"), QT_TRANSLATE_NOOP("HistoryPane", "Output"))



ENGINE_COLUMN_MAX = 230
"""Pixels at most for the Engine column; a longer label is elided in the middle (full text in its tip)."""
ENGINE_KINDS = (N_("Local"), N_("Server"))
"""How ``Session.engine_label()`` starts (core catalogue), in the language of the day the job ran."""


def engine_text(stored: str) -> str:
    """A job's engine with its kind ("Local", "Server") in today's language, whatever it was recorded in."""
    kind, sep, rest = stored.partition(" · ")
    for english in ENGINE_KINDS:
        if sep and kind in i18n.spellings(english):
            return f"{i18n.gettext(english)}{sep}{rest}"
    return stored


def source_text(rec: JobRecord) -> str:
    """The file's name, with the security marking it had when the job ran (app/classification.py)."""
    name = Path(rec.source).name if rec.source else "–"
    level = str(rec.options.get("classification", "") or "")
    return f"{name} · {level}" if level else name


class HistoryPane(Retranslating, QWidget):
    """Recent files on the left, past jobs on the right.

    Signals:
        message(str, str): for the window's message bar.
        rerun_requested(object): a JobRecord to run again.
        open_requested(object, str): a recent file (Path) to open for a task.
    """

    message = Signal(str, str)
    rerun_requested = Signal(object)
    open_requested = Signal(object, str)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.records: list[JobRecord] = []
        self.recent = QListWidget(self)
        mark_data(self.recent)
        self.recent.itemSelectionChanged.connect(self.update_buttons)
        self.recent.itemActivated.connect(lambda _item: self.open_recent("translate"))
        self.translate_button = QPushButton(icon("translate"), "", self)
        self.translate_button.clicked.connect(lambda: self.open_recent("translate"))
        self.summarise_button = QPushButton(icon("summarise"), "", self)
        self.summarise_button.clicked.connect(lambda: self.open_recent("summarise"))
        self.recent_box = QGroupBox(self)
        recent_layout = QVBoxLayout(self.recent_box)
        recent_layout.addWidget(self.recent, 1)
        recent_buttons = QHBoxLayout()
        recent_buttons.addWidget(self.translate_button)
        recent_buttons.addWidget(self.summarise_button)
        recent_layout.addLayout(recent_buttons)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per job; a long name is elided, its tip has it whole
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Local · qwen2…m.gguf": both ends show
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellActivated.connect(lambda _r, _c: self.open_output())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.open_output_button = QPushButton(icon("open-output"), "", self)
        self.open_output_button.clicked.connect(self.open_output)
        self.rerun_button = QPushButton(icon("rerun"), "", self)
        self.rerun_button.clicked.connect(self.rerun)
        self.run_button = self.rerun_button  # what the window's Run action follows on this tab
        self.delete_button = QPushButton(icon("delete"), "", self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.clear_all)
        self.privacy_label = QLabel(self)
        self.privacy_label.setWordWrap(True)
        self.preview = plain_text_view(self, read_only=True)
        self.preview.setMaximumHeight(140)
        self.preview.hide()
        self.jobs_box = QGroupBox(self)
        jobs_layout = QVBoxLayout(self.jobs_box)
        jobs_layout.addWidget(self.table, 1)
        jobs_layout.addWidget(self.preview)
        job_buttons = QHBoxLayout()
        for button in (self.open_output_button, self.rerun_button, self.delete_button):
            job_buttons.addWidget(button)
        job_buttons.addStretch(1)
        job_buttons.addWidget(self.clear_button)
        jobs_layout.addLayout(job_buttons)
        jobs_layout.addWidget(self.privacy_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.recent_box)
        splitter.addWidget(self.jobs_box)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        for first, second in pairwise((self.recent, self.translate_button, self.summarise_button, self.table,
                                       self.open_output_button, self.rerun_button, self.delete_button,
                                       self.clear_button)):
            QWidget.setTabOrder(first, second)
        self.retranslate_ui()

    @property
    def history(self) -> History | None:
        try:
            return History.for_settings(self.session.settings)
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a crash
            log.warning("history unavailable: %s", type(exc).__name__)
            return None

    def retranslate_ui(self) -> None:
        self.recent_box.setTitle(self.tr("Recent files"))
        self.recent.setAccessibleName(self.tr("Recent files"))
        self.jobs_box.setTitle(self.tr("Past work"))
        self.table.setAccessibleName(self.tr("Past work"))
        self.table.setAccessibleDescription(self.tr("Task, file, engine, result and output of each past job"))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("HistoryPane", str(c)) for c in COLUMNS])
        self.preview.setAccessibleName(self.tr("Kept text"))
        for button, text, tip in (
            (self.translate_button, self.tr("Translate it"), self.tr("Open the selected file on the Translate tab")),
            (self.summarise_button, self.tr("Summarise it"), self.tr("Open the selected file on the Summarise tab")),
            (self.open_output_button, self.tr("Open output"), self.tr("Open the saved output with its usual program")),
            (self.rerun_button, self.tr("Run again"), self.tr("Open the same file with the same choices and run")),
            (self.delete_button, self.tr("Delete"), self.tr("Remove the selected job from the history (Delete)")),
            (self.clear_button, self.tr("Clear history"), self.tr("Remove every job and recent file from the history")),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(text)
            button.setAccessibleDescription(tip)
        self._show_privacy()
        if self.isVisible():  # a hidden tab reads the database when it is shown (showEvent)
            self.refresh()

    def _show_privacy(self) -> None:
        if bool(self.session.settings.get("history.store_content")):
            text = self.tr("The text of outputs is kept in the history on this computer (Settings).")
        else:
            text = self.tr("Only file names, choices and times are kept here, never the text of your documents. "
                      "You can change this in Settings.")
        self.privacy_label.setText(text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.refresh()
        super().showEvent(event)

    # --- contents ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the history again (it is small: a few hundred rows at most)."""
        history = self.history
        if history is None:
            return
        self.records = history.jobs()
        self.recent.clear()
        for path in history.recent_files():
            item = QListWidgetItem(path.name, self.recent)
            item.setToolTip(plain_tooltip(str(path)))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.table.setRowCount(len(self.records))
        for row, rec in enumerate(self.records):
            when = dt.datetime.fromtimestamp(rec.started).strftime("%Y-%m-%d %H:%M")
            task = QCoreApplication.translate("HistoryPane", str(TASK_NAMES.get(rec.task, rec.task)))
            status = QCoreApplication.translate("HistoryPane", str(STATUS_NAMES.get(rec.status, rec.status)))
            engine = engine_text(rec.engine)
            for col, text in enumerate((when, task, source_text(rec), engine, status,
                                        Path(rec.output).name if rec.output else "")):
                cell = QTableWidgetItem(text)
                if col in (2, 3, 5):
                    cell.setToolTip(plain_tooltip({2: rec.source, 3: engine, 5: rec.output}[col]))
                self.table.setItem(row, col, cell)
        for col in (0, 1, 3, 4):  # File and Output share what is left
            self.table.resizeColumnToContents(col)
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), ENGINE_COLUMN_MAX))
        self._show_privacy()
        self.update_buttons()

    def selected(self) -> JobRecord | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.records[rows.pop()] if len(rows) == 1 and 0 <= min(rows) < len(self.records) else None

    def _selection_changed(self) -> None:
        record = self.selected()
        self.preview.setVisible(bool(record and record.content))
        self.preview.setPlainText(record.content or "" if record else "")
        self.update_buttons()

    def update_buttons(self) -> None:
        record = self.selected()
        self.open_output_button.setEnabled(bool(record and record.output and Path(record.output).exists()))
        self.rerun_button.setEnabled(record is not None and record.task in TASK_NAMES)
        self.delete_button.setEnabled(record is not None)
        self.clear_button.setEnabled(bool(self.records) or self.recent.count() > 0)
        has_recent = bool(self.recent.selectedItems())
        self.translate_button.setEnabled(has_recent)
        self.summarise_button.setEnabled(has_recent)

    # --- actions -----------------------------------------------------------------------------
    def open_output(self) -> None:
        record = self.selected()
        if record is None or not record.output:
            return
        if not Path(record.output).exists():
            self.message.emit(WARNING, self.tr("The output {name} is no longer there.").format(name=Path(record.output).name))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(record.output))

    def rerun(self) -> None:
        record = self.selected()
        if record is not None:
            self.rerun_requested.emit(record)

    def delete_selected(self) -> None:
        record, history = self.selected(), self.history
        if record is not None and history is not None:
            history.delete_job(record.id)
            self.refresh()

    def clear_all(self) -> None:
        history = self.history
        if history is not None:
            history.clear()
            self.refresh()
            self.message.emit(INFO, self.tr("The history is empty."))

    def open_recent(self, task: str) -> None:
        items = self.recent.selectedItems()
        if items:
            self.open_requested.emit(Path(str(items[0].data(Qt.ItemDataRole.UserRole))), task)

    # The window's File actions, when this tab is shown.
    def open_file(self) -> None:
        self.open_recent("translate")

    def run(self) -> None:
        """Ctrl+Enter here runs the selected job again."""
        self.rerun()

    def stop(self) -> None:
        """Nothing runs on this tab."""

    def save_as_docx(self) -> None:
        """Outputs are saved where they were made; open them with Open output."""

    def handle_dropped(self, paths: list[Path]) -> None:
        if paths:
            self.open_requested.emit(paths[0], "translate")
