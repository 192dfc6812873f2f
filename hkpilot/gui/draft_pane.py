"""The Draft pane: a document type, a language and key points in; a streamed draft out.

Optional reference files (opened like any document) are given to the job as context.
When the session offers ``rewrite_job``, a row of buttons rewrites the selected part
of the draft (shorter, more formal, plain language) in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hkpilot.app.autosave import Autosave
from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken
from hkpilot.gui import file_dialogs
from hkpilot.gui.context_meter import ContextMeter
from hkpilot.gui.icons import icon
from hkpilot.gui.job_pane import JobFactory, JobPane
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.language import CHINESE_HK, ENGLISH
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import INFO, DocumentDropFilter, mark_autonym, mark_data, plain_tooltip
from hkpilot.tasks.events import Event, Result

DOC_TYPES = (
    ("memo", QT_TRANSLATE_NOOP("DraftPane", "Memo")),
    ("letter", QT_TRANSLATE_NOOP("DraftPane", "Letter")),
    ("circular", QT_TRANSLATE_NOOP("DraftPane", "Circular")),
    ("press-release", QT_TRANSLATE_NOOP("DraftPane", "Press release")),
    ("legco-reply", QT_TRANSLATE_NOOP("DraftPane", "Reply to a LegCo question")),
    ("minutes", QT_TRANSLATE_NOOP("DraftPane", "Minutes of meeting")),
)
DRAFT_LANGUAGES = ((ENGLISH, "English"), (CHINESE_HK, "繁體中文"))  # autonyms, not translated
REWRITE_ACTIONS = (
    ("shorter", QT_TRANSLATE_NOOP("DraftPane", "Shorter")),
    ("formal", QT_TRANSLATE_NOOP("DraftPane", "More formal")),
    ("plain", QT_TRANSLATE_NOOP("DraftPane", "Plain language")),
    ("longer", QT_TRANSLATE_NOOP("DraftPane", "Longer")),
    ("grammar", QT_TRANSLATE_NOOP("DraftPane", "Fix grammar")),
    ("translate", QT_TRANSLATE_NOOP("DraftPane", "Translate")),  # into the other language
)
AUTOSAVE_SLOT = "draft"
AUTOSAVE_DELAY_MS = 1500
"""A pause in typing this long saves the draft (core: app/autosave.py)."""


class DraftPane(JobPane):
    """Draft a government document from key points, optionally with reference files."""

    meter: ContextMeter

    def __init__(self, session: SessionLike, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.references: list[Document] = []
        self.autosave = Autosave()
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self.save_now)
        self._rewrite_cursor: QTextCursor | None = None
        self._rewrite_original = ""
        self._rewrite_written = 0

        self.type_combo = QComboBox(self)
        for code, _name in DOC_TYPES:
            self.type_combo.addItem("", code)
        self.language_combo = QComboBox(self)
        for code, autonym in DRAFT_LANGUAGES:
            self.language_combo.addItem(autonym, code)
        mark_autonym(self.language_combo)
        self.points_edit = QPlainTextEdit(self)
        self.points_edit.setTabChangesFocus(True)
        self.points_edit.textChanged.connect(self.update_buttons)
        self.type_label, self.language_label, self.points_label = QLabel(self), QLabel(self), QLabel(self)

        self.references_box = QGroupBox(self)
        self.reference_list = QListWidget(self.references_box)
        self.add_reference_button = QPushButton(icon("add"), "", self.references_box)
        self.add_reference_button.clicked.connect(self.open_file)
        self.remove_reference_button = QPushButton(icon("remove"), "", self.references_box)
        self.remove_reference_button.clicked.connect(self.remove_selected_references)
        self.reference_list.itemSelectionChanged.connect(self.update_buttons)
        ref_buttons = QHBoxLayout()
        ref_buttons.addWidget(self.add_reference_button)
        ref_buttons.addWidget(self.remove_reference_button)
        ref_buttons.addStretch(1)
        self.meter = ContextMeter(session, runner, self.references_box)
        ref_buttons.addWidget(self.meter)
        ref_layout = QVBoxLayout(self.references_box)
        ref_layout.addWidget(self.reference_list)
        ref_layout.addLayout(ref_buttons)

        form = QFormLayout()
        form.addRow(self.type_label, self.type_combo)
        form.addRow(self.language_label, self.language_combo)
        inputs = QWidget(self)
        input_layout = QVBoxLayout(inputs)
        input_layout.setContentsMargins(0, 0, 0, 0)
        input_layout.addLayout(form)
        input_layout.addWidget(self.points_label)
        input_layout.addWidget(self.points_edit, 2)
        input_layout.addWidget(self.references_box, 1)
        for label, buddy in ((self.type_label, self.type_combo), (self.language_label, self.language_combo),
                             (self.points_label, self.points_edit)):
            label.setBuddy(buddy)

        self.output_title = QLabel(self)
        self.output_title.setBuddy(self.output_view)
        self.rewrite_label = QLabel(self)
        self.rewrite_buttons: list[QPushButton] = []
        rewrite_row = QHBoxLayout()
        rewrite_row.addWidget(self.rewrite_label)
        for action, _name in REWRITE_ACTIONS:
            button = QPushButton(self)
            button.clicked.connect(lambda _checked=False, a=action: self.rewrite_selection(a))
            self.rewrite_buttons.append(button)
            rewrite_row.addWidget(button)
        rewrite_row.addStretch(1)
        self.can_rewrite = hasattr(session, "rewrite_job")
        for widget in (self.rewrite_label, *self.rewrite_buttons):
            widget.setVisible(self.can_rewrite)
        self.output_view.selectionChanged.connect(self.update_buttons)
        output = QWidget(self)
        output_layout = QVBoxLayout(output)
        output_layout.setContentsMargins(0, 0, 0, 0)
        output_layout.addWidget(self.output_title)
        output_layout.addWidget(self.output_view, 1)
        output_layout.addLayout(rewrite_row)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(inputs)
        splitter.addWidget(output)
        splitter.setSizes([380, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(self.button_row())

        self.setAcceptDrops(True)
        self._drop_filter = DocumentDropFilter(self, self.handle_dropped)
        self.installEventFilter(self._drop_filter)
        for view in (self.points_edit, self.output_view, self.reference_list):
            view.viewport().installEventFilter(self._drop_filter)
        self.points_edit.textChanged.connect(self._autosave_timer.start)
        self.output_view.textChanged.connect(self._autosave_timer.start)
        self.chain_tab_order(self.type_combo, self.language_combo, self.points_edit, self.reference_list,
                             self.add_reference_button, self.remove_reference_button, self.output_view,
                             *self.rewrite_buttons, self.run_button, self.stop_button, self.save_button)
        self.retranslate_ui()
        self.update_buttons()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.type_label.setText(self.tr("Document type:"))
        self.type_combo.setAccessibleName(self.tr("Document type"))
        for index, (_code, name) in enumerate(DOC_TYPES):
            self.type_combo.setItemText(index, QCoreApplication.translate("DraftPane", str(name)))
        self.language_label.setText(self.tr("Language:"))
        self.language_combo.setAccessibleName(self.tr("Draft language"))
        self.points_label.setText(self.tr("Key points:"))
        self.points_edit.setAccessibleName(self.tr("Key points"))
        self.points_edit.setPlaceholderText(self.tr("One point a line: who, what, when, and what you ask the reader to do."))
        self.references_box.setTitle(self.tr("Reference files (optional)"))
        self.reference_list.setAccessibleName(self.tr("Reference files"))
        self.reference_list.setToolTip(self.tr("Files the draft may draw on; drop files here to add them"))
        self.add_reference_button.setText(self.tr("Add…"))
        self.add_reference_button.setAccessibleName(self.tr("Add reference files"))
        self.remove_reference_button.setText(self.tr("Remove"))
        self.remove_reference_button.setAccessibleName(self.tr("Remove selected reference files"))
        self.output_title.setText(self.tr("Draft"))
        self.output_view.setPlaceholderText(self.tr("The draft appears here as it is written. You can edit it."))
        self.rewrite_label.setText(self.tr("Rewrite the selected text:"))
        for button, (_action, name) in zip(self.rewrite_buttons, REWRITE_ACTIONS, strict=True):
            text = QCoreApplication.translate("DraftPane", str(name))
            button.setText(text)
            button.setAccessibleName(text)
        self.points_edit.setAccessibleDescription(self.tr("What the document must say, one point a line"))
        self.meter.retranslate_ui()

    # --- inputs ----------------------------------------------------------------------
    def can_run(self) -> bool:
        return bool(self.points_edit.toPlainText().strip())

    def update_buttons(self) -> None:
        super().update_buttons()
        if hasattr(self, "remove_reference_button"):
            self.remove_reference_button.setEnabled(bool(self.reference_list.selectedItems()) and not self.busy)
            selected = self.output_view.textCursor().hasSelection()
            for button in self.rewrite_buttons:
                button.setEnabled(selected and not self.busy)

    def open_file(self) -> None:
        """Add reference files (File > Open on this pane)."""
        self.handle_dropped(file_dialogs.ask_open_documents(self, multiple=True))

    def handle_dropped(self, paths: list[Path]) -> None:
        for path in paths:
            self.runner.call(partial(self.session.open_document, path), self._reference_opened, self.report_error)

    def _reference_opened(self, document: Document) -> None:
        self.references.append(document)
        item = QListWidgetItem(document.path.name, self.reference_list)
        item.setToolTip(plain_tooltip(str(document.path)))
        item.setData(Qt.ItemDataRole.UserRole, len(self.references) - 1)
        mark_data(self.reference_list)
        self.update_buttons()
        self.measure_context()

    def measure_context(self) -> None:
        """The references (with the key points) against the model's room for a draft."""
        text = "\n".join(d.full_text() for d in self.references)
        self.meter.measure(self.context_task(), text + "\n" + self.points_edit.toPlainText() if text else "")

    def context_task(self) -> str:
        return "draft"  # the references are read whole, with the key points

    def remove_selected_references(self) -> None:
        rows = sorted((self.reference_list.row(i) for i in self.reference_list.selectedItems()), reverse=True)
        for row in rows:
            self.reference_list.takeItem(row)
            del self.references[row]
        self.update_buttons()
        self.measure_context()

    def suggested_save_path(self) -> Path:
        return Path.home() / f"{self.type_combo.currentData()}-draft.docx"

    # --- history, autosave -----------------------------------------------------------------
    def history_task(self) -> str:
        return "draft"

    def history_options(self) -> dict[str, str]:
        return {"doc_type": str(self.type_combo.currentData()), "lang": str(self.language_combo.currentData())}

    def history_content(self) -> str | None:
        return self.points_edit.toPlainText()

    def export_title(self) -> str:
        return ""

    def save_now(self) -> None:
        """Autosave the key points and the draft (off the GUI thread)."""
        self._autosave_timer.stop()
        fields = {"points": self.points_edit.toPlainText(), "output": self.output_view.toPlainText(),
                  "doc_type": str(self.type_combo.currentData()), "lang": str(self.language_combo.currentData())}
        slot = self.autosave
        self.runner.call(lambda: slot.save(AUTOSAVE_SLOT, fields), None, self.report_error)

    def restore_autosave(self) -> bool:
        """Put back what was autosaved last time (after a crash or a close); True if anything was."""
        saved = self.autosave.load(AUTOSAVE_SLOT)
        if saved is None or self.points_edit.toPlainText() or self.output_view.toPlainText():
            return False
        fields = saved.fields
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(fields.get("doc_type", "")), 0))
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(fields.get("lang", "")), 0))
        self.points_edit.setPlainText(fields.get("points", ""))
        self.output_view.setPlainText(fields.get("output", ""))
        self._autosave_timer.stop()
        return bool(fields.get("points", "").strip() or fields.get("output", "").strip())

    # --- jobs ----------------------------------------------------------------------------
    def make_job(self) -> JobFactory | None:
        doc_type = str(self.type_combo.currentData())
        lang = str(self.language_combo.currentData())
        points = self.points_edit.toPlainText().strip()
        references = list(self.references) or None
        session = self.session

        def job(cancel: CancelToken) -> Iterator[Event]:
            return session.draft_job(doc_type, lang, points, cancel, references=references)

        return job

    def rewrite_selection(self, action: str) -> None:
        """Replace the selected text with a rewrite streamed from the model."""
        cursor = self.output_view.textCursor()
        rewrite = getattr(self.session, "rewrite_job", None)
        if self.busy or rewrite is None or not cursor.hasSelection():
            return
        text = cursor.selectedText().replace("\u2029", "\n")  # Qt's paragraph separator
        lang = "" if action == "translate" else str(self.language_combo.currentData())  # "": the other language
        cursor.removeSelectedText()
        self._rewrite_cursor = QTextCursor(cursor)
        self._rewrite_original = text
        self._rewrite_written = 0

        def job(cancel: CancelToken) -> Iterator[Event]:
            events: Iterator[Event] = rewrite(text, action, lang, cancel)
            return events

        self.start_streaming_job(job, clear_output=False, record=False)

    def append_output(self, text: str, anchor: str) -> None:
        if self._rewrite_cursor is None:
            super().append_output(text, anchor)
            return
        self._rewrite_cursor.insertText(text)
        self._rewrite_written += len(text)

    def on_result(self, result: Result | None) -> None:
        cursor = self._rewrite_cursor
        if cursor is None:
            super().on_result(result)
            if result is not None and result.findings:  # the format check of the type (tasks/format_check.py)
                from hkpilot.tasks.quality import report_lines

                self.message.emit(INFO, " ".join(report_lines(result.findings)))
            return
        if result is not None and result.text:
            cursor.setPosition(cursor.position() - self._rewrite_written, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(result.text.strip())
            self._rewrite_written = len(result.text.strip())

    def on_job_ended(self, outcome: str) -> None:
        cursor = self._rewrite_cursor
        if cursor is not None and outcome != "succeeded" and self._rewrite_written == 0:
            cursor.insertText(self._rewrite_original)  # nothing came back: put the text back
        self._rewrite_cursor = None
