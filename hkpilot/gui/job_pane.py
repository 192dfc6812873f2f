"""What the Draft, Translate and Summarise panes share: Run/Stop, progress, streamed output.

Strings here use ``QCoreApplication.translate("JobPane", ...)``: PySide's ``self.tr()``
takes the context from the object's own class, which would be the subclass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMessageBox, QProgressBar, QPushButton, QWidget

from hkpilot.app.history import History, tracked
from hkpilot.documents import provenance
from hkpilot.engines.base import CancelToken
from hkpilot.errors import ClassificationRefused, HKPilotError
from hkpilot.gui import file_dialogs
from hkpilot.gui.classification_offer import offer_local_engine
from hkpilot.gui.context_meter import CHOICE_LARGER, CHOICE_PARTS, ContextMeter, ask_when_too_long
from hkpilot.gui.crash import describe_unexpected
from hkpilot.gui.icons import icon
from hkpilot.gui.jobs import JobHandle, JobOp, JobRunner
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import ERROR, INFO, WARNING, Retranslating, plain_text_view
from hkpilot.gui.work_feedback import WorkFeedback
from hkpilot.tasks.events import Event, Notice, Progress, Result

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600
"""Quick jobs finish before the progress bar appears (as Anki's progress window waits)."""

JobFactory = Callable[[CancelToken], Iterator[Event]]



def rate_from_stats(stats: dict[str, object]) -> float:
    """Tokens per second from a Result's stats (StreamStats fields), 0 when unknown."""
    value = stats.get("tokens_per_s")
    if isinstance(value, int | float):
        return float(value)
    tokens, total, first = stats.get("completion_tokens"), stats.get("total_s"), stats.get("first_token_s", 0.0)
    if isinstance(tokens, int) and isinstance(total, int | float) and isinstance(first, int | float):
        decode = float(total) - float(first)
        return (tokens - 1) / decode if tokens > 1 and decode > 0 else 0.0
    return 0.0


def write_text_docx(text: str, path: Path, title: str = "") -> Path:
    """Write ``text`` to a new .docx: a paragraph per non-empty line, bullets as list items (worker thread)."""
    from hkpilot.documents.text_export import export_text

    return export_text(text, path.with_suffix(".docx") if path.suffix.lower() != ".docx" else path, title)


class JobPane(Retranslating, QWidget):
    """Base of the three panes: runs one job at a time and streams its text out.

    Signals:
        message(str, str): level and plain text for the window's message bar.
        busy_changed(bool): a job started or ended.
        rate_changed(float): about tokens per second of the running job.
        model_manager_requested(): the person chose "a larger context" for input that does not fit.
    """

    message = Signal(str, str)
    busy_changed = Signal(bool)
    rate_changed = Signal(float)
    model_manager_requested = Signal()

    meter: ContextMeter | None = None
    """The context meter of a pane whose input is read whole (a document, references)."""
    _asking = False

    def __init__(self, session: SessionLike, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.handle: JobHandle | None = None
        self.result: Result | None = None
        self._last_anchor = ""
        self.run_button = QPushButton(icon("run"), "", self)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton(icon("stop"), "", self)
        self.stop_button.clicked.connect(self.stop)
        self.save_button = QPushButton(icon("save"), "", self)
        self.save_button.clicked.connect(self.save_as_docx)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setVisible(False)
        self.progress_bar.setMinimumWidth(180)
        self.feedback = WorkFeedback(self)
        self.history_job_id = 0  # the history row of the last job (0: none)
        self.local_offer: QMessageBox | None = None  # the question after a classification refusal
        self._history: History | None = None
        self.output_view = plain_text_view(self, read_only=False)
        self.output_view.textChanged.connect(self.update_buttons)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.timeout.connect(self._show_progress)

    # --- layout and text ---------------------------------------------------------
    def button_row(self) -> QHBoxLayout:
        """Run, Stop, the progress bar and Save as .docx, in one row."""
        row = QHBoxLayout()
        row.addWidget(self.run_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.feedback)
        row.addStretch(0)
        row.addWidget(self.save_button)
        return row

    def retranslate_ui(self) -> None:
        """Set every visible string again (called at start and on LanguageChange)."""
        self.run_button.setText(QCoreApplication.translate("JobPane", "Run"))
        self.run_button.setToolTip(QCoreApplication.translate("JobPane", "Start the work (Ctrl+Enter)"))
        self.run_button.setAccessibleName(QCoreApplication.translate("JobPane", "Run"))
        self.stop_button.setText(QCoreApplication.translate("JobPane", "Stop"))
        self.stop_button.setToolTip(QCoreApplication.translate("JobPane", "Stop the work now (Esc)"))
        self.stop_button.setAccessibleName(QCoreApplication.translate("JobPane", "Stop"))
        self.save_button.setText(QCoreApplication.translate("JobPane", "Save as .docx…"))
        self.save_button.setToolTip(QCoreApplication.translate("JobPane", "Save the output as a new Word document (Ctrl+S)"))
        self.save_button.setAccessibleName(QCoreApplication.translate("JobPane", "Save as Word document"))
        self.progress_bar.setAccessibleName(QCoreApplication.translate("JobPane", "Progress"))
        self.output_view.setAccessibleName(QCoreApplication.translate("JobPane", "Output"))
        self.progress_bar.setFormat(QCoreApplication.translate("JobPane", "%v of %m blocks"))
        self.run_button.setAccessibleDescription(QCoreApplication.translate(
            "JobPane", "Starts the work with the model; the text appears as it is written"))
        self.stop_button.setAccessibleDescription(QCoreApplication.translate(
            "JobPane", "Stops the work; the text written so far is kept"))
        self.save_button.setAccessibleDescription(QCoreApplication.translate(
            "JobPane", "Saves the output as a new file; the source document is never changed"))
        self.output_view.setAccessibleDescription(QCoreApplication.translate(
            "JobPane", "The model's output. You can edit it before saving."))
        self.feedback.retranslate_ui()

    @staticmethod
    def chain_tab_order(*widgets: QWidget) -> None:
        """Tab visits ``widgets`` in this order: inputs, then the text, then the buttons."""
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)

    # --- hooks for the panes -------------------------------------------------------
    def can_run(self) -> bool:
        """Whether the inputs are complete enough to start."""
        return False

    def make_job(self) -> JobFactory | None:
        """The job to run for the current inputs, or None (after saying why)."""
        return None

    def suggested_save_path(self) -> Path:
        return Path.home() / "hkpilot-output.docx"

    def open_file(self) -> None:
        """File > Open on this pane (Ctrl+O)."""

    def handle_dropped(self, paths: list[Path]) -> None:
        """Documents dropped on the window while this pane is shown."""

    def on_result(self, result: Result | None) -> None:
        """Show the final text when it differs from what was streamed."""
        if result is not None and result.text and result.text != self.output_view.toPlainText():
            self.output_view.setPlainText(result.text)

    def on_job_ended(self, outcome: str) -> None:
        """Called after a model job ended (succeeded, cancelled or failed)."""

    def history_task(self) -> str:
        """The task name the history records for this pane's jobs ("" : not recorded)."""
        return ""

    def history_source(self) -> str:
        return ""

    def history_options(self) -> dict[str, str]:
        """The choices that re-run the job (never document text)."""
        return {}

    def history_content(self) -> str | None:
        """Input text kept only when the person opted in (a draft's key points)."""
        return None

    @property
    def history(self) -> History | None:
        """The history database (None when it cannot be opened: the work goes on without it)."""
        if self._history is None:
            try:
                self._history = History.for_settings(self.session.settings)
            except Exception as exc:  # noqa: BLE001 - a broken history must not stop the work
                log.warning("history unavailable: %s", type(exc).__name__)
                return None
        self._history.store_content = bool(self.session.settings.get("history.store_content"))
        return self._history

    def _recorded(self, job: JobFactory) -> JobFactory:
        """``job`` with its start and end written to the history (on the worker)."""
        history, task = self.history, self.history_task()
        if history is None or not task:
            return job
        source, options, content = self.history_source(), self.history_options(), self.history_content()
        level = getattr(getattr(getattr(self, "document", None), "meta", None), "classification", "")
        options = {**options, "classification": level} if level else options  # shown in the History tab
        engine = self.session.engine_label()
        self.history_job_id = 0

        def recorded(cancel: CancelToken) -> Iterator[Event]:
            job_id = history.start_job(task, source, options, engine, content)
            self.history_job_id = job_id  # read on the main thread once the job has ended
            return tracked(history, job_id, job(cancel))

        return recorded

    # --- running -------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.handle is not None and self.handle.running

    def has_output(self) -> bool:
        return bool(self.output_view.toPlainText().strip())

    def update_buttons(self) -> None:
        busy = self.busy
        self.run_button.setEnabled(not busy and self.can_run())
        self.stop_button.setEnabled(busy and not self.handle_cancelled())
        self.save_button.setEnabled(not busy and self.has_output())

    def handle_cancelled(self) -> bool:
        return self.handle is not None and self.handle.cancel_token.cancelled

    def context_task(self) -> str:
        """The task name the context meter reckons for."""
        return ""

    def run(self) -> None:
        """Start the job for the current inputs (Run button, Ctrl+Enter); when the context
        meter says the input does not fit the model, ask first."""
        fit = self.meter.fit if self.meter is not None else None
        if self.busy or not self.can_run() or fit is None or fit.fits or self._asking:
            self._start()
            return
        self._asking = True

        def answered(choice: str) -> None:
            self._asking = False
            if choice == CHOICE_PARTS:
                self._start()
            elif choice == CHOICE_LARGER:
                self.model_manager_requested.emit()

        self.fit_question = ask_when_too_long(self, fit, self.context_task(), answered)

    def _start(self) -> None:
        if self.busy or not self.can_run():
            return
        job = self.make_job()
        if job is None:
            return
        self.start_streaming_job(job)

    def start_streaming_job(self, job: JobFactory, clear_output: bool = True, record: bool = True) -> JobHandle:
        """Run ``job`` on the model worker and stream its tokens into the output box."""
        if record:
            job = self._recorded(job)
        if clear_output:
            self.output_view.clear()
        self.feedback.start()
        self.result = None
        self._last_anchor = ""
        self.output_view.setReadOnly(True)  # editable again when the text is complete
        self.progress_bar.setRange(0, 0)
        self._progress_timer.start(PROGRESS_DELAY_MS)
        op = (
            JobOp(self.runner, job, self._job_succeeded)
            .on_token(self.append_output)
            .on_progress(self._job_progress)
            .on_notice(self._job_notice)
            .failure(self.report_error)
        )
        self.handle = op.run_in_background()
        self.handle.finished.connect(self._job_ended)
        self.busy_changed.emit(True)
        self.update_buttons()
        return self.handle

    def stop(self) -> None:
        """Cancel the running job (Stop button, Esc)."""
        if self.busy and self.handle is not None:
            self.handle.cancel()
            self.message.emit(INFO, QCoreApplication.translate("JobPane", "Stopping…"))
            self.update_buttons()

    def append_output(self, text: str, anchor: str) -> None:
        """Add streamed text at the end; a new anchor starts a new paragraph."""
        view = self.output_view
        bar = view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if anchor and self._last_anchor and anchor != self._last_anchor and not view.toPlainText().endswith("\n"):
            cursor.insertText("\n")
        if anchor:
            self._last_anchor = anchor
        cursor.insertText(text)
        if at_bottom:
            bar.setValue(bar.maximum())
        if self.handle is not None:
            self.rate_changed.emit(self.handle.pieces_per_second())

    def _job_progress(self, progress: Progress) -> None:
        self.feedback.progress(progress.done, progress.total)
        self.progress_bar.setRange(0, max(progress.total, 0))
        self.progress_bar.setValue(min(progress.done, progress.total))
        fmt = QCoreApplication.translate("JobPane", "%v of %m blocks")
        self.progress_bar.setFormat(f"{progress.label} ({fmt})" if progress.label else fmt)

    def _job_notice(self, notice: Notice) -> None:
        self.message.emit(WARNING, notice.render())

    def _job_succeeded(self, result: Result | None) -> None:
        self.result = result
        self.on_result(result)
        if result is not None:
            rate = rate_from_stats(result.stats)
            if rate:
                self.rate_changed.emit(rate)

    def _job_ended(self, outcome: str) -> None:
        self._progress_timer.stop()
        self.progress_bar.setVisible(False)
        self.output_view.setReadOnly(False)
        self.output_view.document().setModified(False)
        if outcome == "cancelled":
            self.message.emit(INFO, QCoreApplication.translate("JobPane", "Stopped. The text so far is kept."))
        coverage = self.result.coverage if self.result is not None and outcome == "succeeded" else None
        self.feedback.finish(outcome, coverage)
        self.on_job_ended(outcome)
        self.busy_changed.emit(False)
        self.update_buttons()

    def _show_progress(self) -> None:
        if self.busy:
            self.progress_bar.setVisible(True)

    def report_error(self, error: BaseException) -> None:
        """Show a job's error in the message bar (never as a modal window)."""
        if isinstance(error, HKPilotError):
            self.message.emit(ERROR, error.render())
            if isinstance(error, ClassificationRefused):  # a marked document kept from the server
                self.local_offer = offer_local_engine(self, self.session, error, self.run, self._switched_to_local)
            return
        log.error("unexpected error in a job:\n%s", describe_unexpected(type(error), error, error.__traceback__))
        text = QCoreApplication.translate("JobPane", "Unexpected error ({name}). The details are in the log file.")
        self.message.emit(ERROR, text.format(name=type(error).__name__))

    # --- saving ----------------------------------------------------------------------
    def save_as_docx(self) -> None:
        """Ask for a path and write the output text there as a new Word document."""
        text = self.output_view.toPlainText()
        if self.busy or not text.strip():
            return
        path = file_dialogs.ask_save_path(self, self.suggested_save_path())
        if path is not None:
            self.save_text_to(path, text)

    def save_text_to(
        self, path: Path, text: str, title: str = "", done: Callable[[Path], None] | None = None
    ) -> JobHandle:
        """Write ``text`` to ``path`` off the GUI thread; ``done(path)`` (default: a note) after."""
        prov = self.result.stats.get("provenance") if self.result is not None else None

        def write() -> Path:
            with provenance.using(prov):  # the job's provenance goes into the .docx (documents/provenance.py)
                return write_text_docx(text, path, title)

        return self.runner.call(write, done or self._saved, self.report_error)

    def _switched_to_local(self) -> None:
        self.message.emit(INFO, QCoreApplication.translate(
            "JobPane", "Switched to the local model for this session; the document stays on this computer."))

    def _saved(self, path: Path) -> None:
        self.message.emit(INFO, QCoreApplication.translate("JobPane", "Saved {path}").format(path=str(path)))
        self.remember_output(path)

    def remember_output(self, path: Path) -> None:
        """Note in the history where the last job's output was saved."""
        history, job_id = self.history, self.history_job_id
        if history is not None and job_id:
            self.runner.call(lambda: history.set_output(job_id, path), None, lambda e: log.warning("history: %s", e))

    # --- editing comfort ---------------------------------------------------------------
    def export_output(self) -> None:
        """Export the output as .docx, .pdf or .txt (Ctrl+E)."""
        from hkpilot.documents.text_export import export_text

        text = self.output_view.toPlainText()
        if self.busy or not text.strip():
            return
        path = file_dialogs.ask_export_path(self, self.suggested_save_path())
        if path is not None and not self.export_formatted(path):
            title = self.export_title()
            self.runner.call(lambda: export_text(text, path, title), self._saved, self.report_error)

    def export_formatted(self, path: Path) -> bool:
        """Write the last result to ``path`` in a richer form than its text; False: not here."""
        return False

    def export_title(self) -> str:
        return ""

    def copy_output(self) -> None:
        """Put the whole output on the clipboard (Ctrl+Shift+C)."""
        text = self.output_view.toPlainText()
        if text.strip():
            QApplication.clipboard().setText(text)
            self.message.emit(INFO, QCoreApplication.translate("JobPane", "The output was copied to the clipboard."))
