"""A pane that works on one opened document: Translate and Summarise build on it.

The source text (read-only, plain) sits beside the output (editable, plain) in a
splitter. A document opens with the Open button, File > Open, or by dropping it on
the pane or the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from hkpilot.documents.model import Document
from hkpilot.errors import DocumentUnsupported
from hkpilot.gui import file_dialogs
from hkpilot.gui.classification_offer import level_text
from hkpilot.gui.context_meter import ContextMeter
from hkpilot.gui.icons import icon
from hkpilot.gui.job_pane import JobPane
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.level_chooser import LevelChooser
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import ERROR, INFO, WARNING, DocumentDropFilter, mark_data, plain_text_view, plain_tooltip

SOURCE_DISPLAY_LIMIT = 2_000_000
"""Characters of source text shown; the job still reads the whole document."""



class DocumentPane(JobPane):
    """Open a document, show its text, run a job on it; subclasses add options and the job."""

    meter: ContextMeter

    def __init__(self, session: SessionLike, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.document: Document | None = None
        self.open_button = QPushButton(icon("open"), "", self)
        self.open_button.clicked.connect(self.open_file)
        self.file_label = QLabel(self)
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        mark_data(self.file_label)
        self.source_title = QLabel(self)
        self.output_title = QLabel(self)
        self.source_view = plain_text_view(self, read_only=True)
        self.options_row = QHBoxLayout()  # subclasses put their combos here
        self.level_chooser = LevelChooser(self)  # the security marking found; the person may raise it
        self.level_chooser.level_changed.connect(self._level_changed)
        self.level_chooser.refused.connect(lambda text: self.message.emit(WARNING, text))
        self._loading = False
        self.run_when_opened = False

        self.setAcceptDrops(True)
        self._drop_filter = DocumentDropFilter(self, self.handle_dropped)
        self.installEventFilter(self._drop_filter)
        for view in (self.source_view, self.output_view):
            view.viewport().installEventFilter(self._drop_filter)

        file_row = QHBoxLayout()
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.level_chooser)
        file_row.addLayout(self.options_row)
        self.meter = ContextMeter(session, runner, self)  # beside Run: read before running

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        for title, view in ((self.source_title, self.source_view), (self.output_title, self.output_view)):
            side = QWidget(splitter)
            column = QVBoxLayout(side)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(title)
            column.addWidget(view, 1)
            title.setBuddy(view)
            splitter.addWidget(side)
        splitter.setSizes([500, 500])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(splitter, 1)
        buttons = self.button_row()
        buttons.insertWidget(buttons.count() - 1, self.meter)
        layout.addLayout(buttons)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.open_button.setText(QCoreApplication.translate("DocumentPane", "Open file…"))
        self.open_button.setToolTip(QCoreApplication.translate("DocumentPane", "Open a .docx, .pdf, .xlsx or .txt file (Ctrl+O)"))
        self.open_button.setAccessibleName(QCoreApplication.translate("DocumentPane", "Open file"))
        self.source_title.setText(QCoreApplication.translate("DocumentPane", "Source text"))
        self.source_view.setAccessibleName(QCoreApplication.translate("DocumentPane", "Source text"))
        self.source_view.setPlaceholderText(
            QCoreApplication.translate("DocumentPane", "Open a file, or drop a .docx, .pdf, .xlsx or .txt file here.")
        )
        self.open_button.setAccessibleDescription(QCoreApplication.translate(
            "DocumentPane", "Chooses the document to work on; it is read, never changed"))
        self.source_view.setAccessibleDescription(QCoreApplication.translate(
            "DocumentPane", "The text read from the document, read-only"))
        self.meter.retranslate_ui()
        self._show_file_label()

    def _show_file_label(self) -> None:
        if self._loading:
            self.file_label.setText(QCoreApplication.translate("DocumentPane", "Opening…"))
        elif self.document is None:
            self.file_label.setText(QCoreApplication.translate("DocumentPane", "No file open"))
        else:
            level = level_text(self.session, self.document)  # the security marking, when there is one
            self.file_label.setText(f"{self.document.path.name} · {level}" if level else self.document.path.name)
            self.file_label.setToolTip(plain_tooltip(str(self.document.path)))

    def _level_changed(self, level: str) -> None:
        self._show_file_label()
        self.message.emit(INFO, QCoreApplication.translate(
            "DocumentPane", "Security level set to {level}: only engines cleared for it will receive the document."
        ).format(level=level))

    def can_run(self) -> bool:
        return self.document is not None and not self._loading

    def update_buttons(self) -> None:
        super().update_buttons()
        chooser = getattr(self, "level_chooser", None)
        if chooser is not None:  # the level a job is checked against stays put while it runs
            chooser.setEnabled(not self.busy and not getattr(self, "_loading", False))

    def open_file(self) -> None:
        """Ask for a document and open it."""
        paths = file_dialogs.ask_open_documents(self)
        if paths:
            self.open_path(paths[0])

    def handle_dropped(self, paths: list[Path]) -> None:
        if not paths:
            return
        self.open_path(paths[0])
        if len(paths) > 1:
            self.message.emit(INFO, QCoreApplication.translate("DocumentPane", "Only the first dropped file was opened."))

    def open_path(self, path: Path) -> None:
        """Read ``path`` off the GUI thread and show its text when it is ready."""
        if self.busy:
            text = QCoreApplication.translate("DocumentPane", "Stop the current work before opening another file.")
            self.message.emit(WARNING, text)
            return
        if path.suffix.lower() not in file_dialogs.DOCUMENT_SUFFIXES:
            self.message.emit(ERROR, DocumentUnsupported(name=path.name).render())
            return
        self._loading = True
        self._show_file_label()
        self.update_buttons()
        self.runner.call(lambda: self.session.open_document(path), self._document_opened, self._open_failed)

    def _document_opened(self, document: Document) -> None:
        self._loading = False
        self.document = document
        self.result = None
        text = document.full_text()
        if len(text) > SOURCE_DISPLAY_LIMIT:
            text = text[:SOURCE_DISPLAY_LIMIT]
            self.message.emit(INFO, QCoreApplication.translate(
                "DocumentPane", "The source is long: only its beginning is shown here; all of it is used."))
        self.source_view.setPlainText(text)
        self.output_view.clear()
        self.feedback.clear()
        self.level_chooser.show_document(self.session, document)
        self._show_file_label()
        self.measure_context()
        history = self.history
        if history is not None:
            path = document.path
            self.runner.call(lambda: history.add_recent(path), None, lambda e: None)
        if document.skipped:
            note = QCoreApplication.translate("DocumentPane", "Some parts of the file were not read: {parts}")
            self.message.emit(WARNING, note.format(parts="; ".join(document.skipped)))
        self.update_buttons()
        if self.run_when_opened:  # a re-run from the history
            self.run_when_opened = False
            self.run()

    def _open_failed(self, error: BaseException) -> None:
        self._loading = False
        self.run_when_opened = False
        self._show_file_label()
        self.update_buttons()
        self.report_error(error)

    # --- the context meter and the choice when a document does not fit --------------------
    def context_task(self) -> str:
        """The task name the meter reckons for ("translate", "summarise")."""
        return "translate"

    def context_length(self) -> str:
        return "medium"

    def measure_context(self) -> None:
        if self.document is not None:
            self.meter.measure(self.context_task(), self.document.full_text(), self.context_length())

    def history_source(self) -> str:
        return str(self.document.path) if self.document is not None else ""

    def export_title(self) -> str:
        return self.document.meta.title if self.document is not None else ""

    def suggested_save_path(self) -> Path:
        if self.document is not None:
            return self.document.path.with_name(f"{self.document.path.stem}-{self.output_suffix()}.docx")
        return super().suggested_save_path()

    def output_suffix(self) -> str:
        """What is added to the source name for the saved file (e.g. ``summary``)."""
        return "output"
