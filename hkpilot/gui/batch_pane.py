"""The Batch tab: the same task over several files (or a folder), an output per file,
a summary table, Stop / Stop after this file, and Resume after a restart.

The queue and its logic are core (``app/batch.py``); this pane shows the queue as a
table and runs ``run_batch`` through the one job runner, on the model worker.
"""

from __future__ import annotations

import logging
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hkpilot.app.batch import DONE, FAILED, PENDING, RUNNING, BatchQueue, FileEnded, FileStarted, collect_files, run_batch
from hkpilot.app.history import History
from hkpilot.app.work_meter import format_duration, remaining_seconds
from hkpilot.engines.base import CancelToken
from hkpilot.errors import HKPilotError
from hkpilot.gui import file_dialogs
from hkpilot.gui.batch_options import BatchOptions
from hkpilot.gui.batch_table import BatchTable
from hkpilot.gui.icons import icon
from hkpilot.gui.jobs import JobHandle, JobOp, JobRunner
from hkpilot.gui.widgets import ERROR, INFO, WARNING, DocumentDropFilter, Retranslating, mark_data
from hkpilot.tasks.events import Notice, Progress, Result

log = logging.getLogger(__name__)

class BatchPane(Retranslating, QWidget):
    """Queue files for one task and run them one after another.

    Signals:
        message(str, str), busy_changed(bool), rate_changed(float): as the other panes.
    """

    message = Signal(str, str)
    busy_changed = Signal(bool)
    rate_changed = Signal(float)

    def __init__(self, session: Any, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.handle: JobHandle | None = None
        self.stop_after = CancelToken()
        self.queue = BatchQueue.load() or BatchQueue("translate")
        self._started = 0.0
        self._current = -1
        self._finished_at_start = self._waiting_at_start = 0

        self.options = BatchOptions(self)
        self.task_combo, self.target_combo = self.options.task_combo, self.options.target_combo
        self.layout_combo, self.length_combo = self.options.layout_combo, self.options.length_combo
        self.language_combo = self.options.language_combo
        self.options.changed.connect(self._options_changed)

        self.table = BatchTable(self)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)

        self.add_button = QPushButton(icon("add"), "", self)
        self.add_button.clicked.connect(self.open_file)
        self.folder_button = QPushButton(icon("folder-add"), "", self)
        self.folder_button.clicked.connect(self.add_folder)
        self.remove_button = QPushButton(icon("remove"), "", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton(icon("delete"), "", self)
        self.clear_button.clicked.connect(self.clear_queue)
        self.output_dir_label = QLabel(self)
        self.output_dir_label.setTextFormat(Qt.TextFormat.PlainText)
        mark_data(self.output_dir_label)
        self.output_dir_button = QPushButton(self)
        self.output_dir_button.clicked.connect(self.choose_output_dir)
        files_row = QHBoxLayout()
        for button in (self.add_button, self.folder_button, self.remove_button, self.clear_button):
            files_row.addWidget(button)
        files_row.addStretch(1)
        files_row.addWidget(self.output_dir_label)
        files_row.addWidget(self.output_dir_button)

        self.run_button = QPushButton(icon("run"), "", self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton(icon("stop"), "", self)
        self.stop_button.clicked.connect(self.stop)
        self.stop_after_button = QPushButton(icon("stop-after"), "", self)
        self.stop_after_button.clicked.connect(self.stop_after_this_file)
        self.save_button = QPushButton(self)  # the window's Save action looks for one; a batch saves as it goes
        self.save_button.hide()
        self.progress_bar = QProgressBar(self)
        self.summary_label = QLabel(self)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        run_row = QHBoxLayout()
        for button in (self.run_button, self.stop_button, self.stop_after_button):
            run_row.addWidget(button)
        run_row.addWidget(self.progress_bar, 1)
        run_row.addWidget(self.summary_label, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        layout.addLayout(files_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(run_row)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.show_summary)
        self.setAcceptDrops(True)
        self._drop_filter = DocumentDropFilter(self, self.handle_dropped, folders=True)
        self.installEventFilter(self._drop_filter)
        self.table.viewport().installEventFilter(self._drop_filter)
        self._load_options()
        for first, second in pairwise((self.task_combo, self.target_combo, self.layout_combo, self.length_combo,
                                       self.language_combo, self.add_button, self.folder_button, self.remove_button,
                                       self.clear_button, self.output_dir_button, self.table, self.run_button,
                                       self.stop_button, self.stop_after_button)):
            QWidget.setTabOrder(first, second)
        self.retranslate_ui()
        self.refresh_table()

    # --- text -------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        for button, text, tip in (
            (self.add_button, self.tr("Add files…"),
             self.tr("Add documents to the batch (Ctrl+Shift+O); you can also drop files")),
            (self.folder_button, self.tr("Add folder…"), self.tr("Add every document in a folder")),
            (self.remove_button, self.tr("Remove"), self.tr("Remove the selected files from the batch")),
            (self.clear_button, self.tr("New batch"), self.tr("Empty the list and start a new batch")),
            (self.output_dir_button, self.tr("Output folder…"), self.tr("Where the outputs go (default: next to each file)")),
            (self.run_button, self.tr("Start"), self.tr("Work through the waiting files (Ctrl+Enter)")),
            (self.stop_button, self.tr("Stop"), self.tr("Stop now; the current file starts again when you resume (Esc)")),
            (self.stop_after_button, self.tr("Stop after this file"), self.tr("Finish the current file, then stop")),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(text.rstrip("…"))
            button.setAccessibleDescription(tip)
        self.progress_bar.setAccessibleName(self.tr("Files done"))
        self.progress_bar.setFormat(self.tr("%v of %m files"))
        self.summary_label.setAccessibleName(self.tr("Batch summary"))
        self._show_options()
        self.update_buttons()
        self.refresh_table()

    # --- options ----------------------------------------------------------------------------
    @property
    def task(self) -> str:
        return self.options.task

    def _load_options(self) -> None:
        self.options.load(self.queue.task, self.queue.options)

    def current_options(self) -> dict[str, str]:
        return self.options.options()

    def _options_changed(self) -> None:
        if not self.queue_started:  # else locked: the queue keeps the options its first files were done with
            self.queue.task, self.queue.options = self.task, self.current_options()

    def _show_options(self) -> None:
        folder = self.queue.output_dir
        self.output_dir_label.setText(folder if folder else self.tr("Outputs next to each file"))

    @property
    def queue_started(self) -> bool:
        return any(i.status != PENDING for i in self.queue.items)

    # --- the queue --------------------------------------------------------------------------
    def open_file(self) -> None:
        """Add documents (File > Open on this tab)."""
        self.add_paths(file_dialogs.ask_open_documents(self, multiple=True))

    def add_folder(self) -> None:
        folder = file_dialogs.ask_folder(self)
        if folder is not None:
            self.add_paths([folder])

    def handle_dropped(self, paths: list[Path]) -> None:
        self.add_paths(paths)

    def add_paths(self, paths: list[Path]) -> None:
        """Queue the documents among ``paths`` (folders give their documents)."""
        if self.busy or not paths:
            return
        files = collect_files(paths)
        if not self.queue.unfinished and self.queue_started:
            self.new_queue()  # the last batch is finished: these files start a new one
        added = self.queue.add(files)
        if not added:
            self.message.emit(WARNING, self.tr("No new .docx, .pdf, .xlsx or .txt files to add."))
        self._save_queue()
        self.refresh_table()

    def remove_selected(self) -> None:
        for row in sorted(self.table.selected_rows(), reverse=True):
            if self.queue.items[row].status != RUNNING:
                del self.queue.items[row]
        self._save_queue()
        self.refresh_table()

    def clear_queue(self) -> None:
        if not self.busy:
            self.new_queue()
            self.queue.discard()
            self.refresh_table()

    def new_queue(self) -> None:
        folder = self.queue.output_dir
        self.queue = BatchQueue(self.task, self.current_options(), output_dir=folder)
        self.summary_label.setText("")
        self.progress_bar.reset()

    def choose_output_dir(self) -> None:
        folder = file_dialogs.ask_folder(self, "output")
        if folder is not None and not self.busy:
            self.queue.output_dir = str(folder)
            self._save_queue()
            self._show_options()

    def _save_queue(self) -> None:
        if not self.queue.items:
            self.queue.discard()
            return
        try:
            self.queue.save()
        except OSError as exc:
            self.message.emit(WARNING, self.tr("The batch list could not be saved: {error}").format(
                error=exc.strerror or type(exc).__name__))

    # --- running ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.handle is not None and self.handle.running

    def can_run(self) -> bool:
        return self.queue.count(PENDING) > 0

    def run(self) -> None:
        """Start (or resume) the batch."""
        if self.busy or not self.can_run():
            return
        if not self.queue_started:
            self.queue.task, self.queue.options = self.task, self.current_options()
        queue, session = self.queue, self.session
        self.stop_after = stop_after = CancelToken()
        try:
            history: History | None = History.for_settings(session.settings)
        except Exception:  # noqa: BLE001 - the batch runs without a history rather than not at all
            history = None
        self._started = time.monotonic()
        self._finished_at_start = queue.count(DONE) + queue.count(FAILED)
        self._waiting_at_start = queue.count(PENDING)
        op = (JobOp(self.runner, lambda cancel: run_batch(session, queue, cancel, stop_after, history), self._succeeded)
              .on_progress(self._progress).on_event(self._event).on_notice(self._notice).failure(self._failed)
              .on_token(self._token))
        self.handle = op.run_in_background()
        self.handle.finished.connect(self._ended)
        self.progress_bar.setRange(0, len(queue.items))
        self.progress_bar.setValue(queue.count(DONE) + queue.count(FAILED))
        self._clock.start()
        self.busy_changed.emit(True)
        self.update_buttons()
        self.refresh_table()

    def stop(self) -> None:
        if self.busy and self.handle is not None:
            self.handle.cancel()
            self.message.emit(INFO, self.tr("Stopping…"))
            self.update_buttons()

    def stop_after_this_file(self) -> None:
        if self.busy:
            self.stop_after.cancel()
            name = self.queue.items[self._current].name if 0 <= self._current < len(self.queue.items) else ""
            self.message.emit(INFO, self.tr("The batch stops when {name} is finished.").format(name=name))
            self.update_buttons()

    def save_as_docx(self) -> None:
        """Nothing to save by hand: each file's output is written when it is done."""

    def _token(self, _text: str, _anchor: str) -> None:
        if self.handle is not None:
            self.rate_changed.emit(self.handle.pieces_per_second())

    def _event(self, event: object) -> None:
        if isinstance(event, FileStarted):
            self._current = event.index
        elif isinstance(event, FileEnded):
            self.progress_bar.setValue(self.queue.count(DONE) + self.queue.count(FAILED))
        self.refresh_table()

    def _progress(self, progress: Progress) -> None:
        self.refresh_row(self._current)
        self.show_summary()

    def _notice(self, notice: Notice) -> None:
        self.message.emit(WARNING, notice.render())

    def _succeeded(self, result: Result | None) -> None:
        left = self.queue.count(PENDING)
        if left and self.stop_after.cancelled:
            self.message.emit(INFO, self.tr("Stopped after the current file. {left} files are waiting: press Resume "
                                       "to go on.").format(left=left))
        else:
            self.message.emit(INFO if not self.queue.count(FAILED) else WARNING, self.summary_text())

    def _failed(self, error: BaseException) -> None:
        text = error.render() if isinstance(error, HKPilotError) else type(error).__name__
        log.warning("batch failed: %s", type(error).__name__)
        self.message.emit(ERROR, text)

    def _ended(self, outcome: str) -> None:
        self._clock.stop()
        self._current = -1
        if outcome == "cancelled":
            self.message.emit(INFO, self.tr("Stopped. {left} files are waiting: press Resume to go on, now or after "
                                       "a restart.").format(left=self.queue.count(PENDING)))
        self.busy_changed.emit(False)
        self.update_buttons()
        self.refresh_table()
        self.show_summary()

    # --- display ----------------------------------------------------------------------------
    def update_buttons(self) -> None:
        busy = self.busy
        self.run_button.setEnabled(not busy and self.can_run())
        self.run_button.setText(self.tr("Resume") if self.queue_started and self.can_run() else self.tr("Start"))
        self.stop_button.setEnabled(busy and not (self.handle is not None and self.handle.cancel_token.cancelled))
        self.stop_after_button.setEnabled(busy and not self.stop_after.cancelled)
        for w in (self.add_button, self.folder_button, self.clear_button, self.output_dir_button):
            w.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and bool(self.table.selectedIndexes()))
        self.options.set_locked(busy or self.queue_started)

    def refresh_table(self) -> None:
        self.table.show_queue(self.queue)
        self.update_buttons()
        if not self.busy:
            self.progress_bar.setVisible(bool(self.queue.items))  # "0 of 0 files" says nothing
            self.progress_bar.setRange(0, max(len(self.queue.items), 1))
            self.progress_bar.setValue(self.queue.count(DONE) + self.queue.count(FAILED))
            self.show_summary()

    def refresh_row(self, row: int) -> None:
        self.table.refresh_row(row)

    def summary_text(self) -> str:
        q = self.queue
        return self.tr("{done} done, {failed} failed, {left} waiting").format(
            done=q.count(DONE), failed=q.count(FAILED), left=q.count(PENDING) + q.count(RUNNING))

    def show_summary(self) -> None:
        if not self.queue.items:
            self.summary_label.setText(self.tr("Add files or a folder, or drop them here."))
            return
        text = self.summary_text()
        if self.busy and self._started:
            elapsed = time.monotonic() - self._started
            fraction = self._fraction_done()
            left = remaining_seconds(int(fraction * 1000), 1000, elapsed) if fraction > 0 else None
            if left is not None:
                text += " · " + self.tr("about {left} left").format(left=format_duration(left))
        else:
            total = sum(i.seconds for i in self.queue.items)
            if total:
                text += " · " + self.tr("{time} in all").format(time=format_duration(total))
        self.summary_label.setText(text)

    def _fraction_done(self) -> float:
        items = self.queue.items
        if not items:
            return 0.0
        finished = self.queue.count(DONE) + self.queue.count(FAILED) - self._finished_at_start
        current = items[self._current] if 0 <= self._current < len(items) else None
        part = current.blocks_done / current.blocks_total if current and current.blocks_total else 0.0
        return (finished + part) / max(self._waiting_at_start, 1)

    def startup_note(self) -> str:
        """A line for the window when an unfinished batch was found at start ("" if none)."""
        if self.queue.unfinished and self.queue_started:
            return self.tr("A batch was left unfinished ({left} files waiting). Open the Batch tab and press Resume.").format(
                left=self.queue.count(PENDING))
        return ""
