"""The Translate pane: a document in, a translated Word file out, text streamed beside it.

The job writes its formatted output to a working file; Save as .docx copies that
file to the place the person chooses. If the person edited the text after the
translation finished, the edited text is saved instead (as plain paragraphs), and
the message bar says that the original formatting was not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from hkpilot.atomic import atomic_write_bytes
from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken
from hkpilot.gui import file_dialogs
from hkpilot.gui.citation_panel import add_below_splitter, select_in_source
from hkpilot.gui.document_pane import DocumentPane
from hkpilot.gui.findings_view import FindingsView, GlossaryChooser
from hkpilot.gui.job_pane import JobFactory
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import INFO, WARNING
from hkpilot.tasks.events import Event, Result
from hkpilot.tasks.glossary import policy_glossaries

TARGETS = (
    ("zh-HK", QT_TRANSLATE_NOOP("TranslatePane", "Traditional Chinese (Hong Kong)")),
    ("zh-Hant", QT_TRANSLATE_NOOP("TranslatePane", "Traditional Chinese (Taiwan)")),
    ("zh-Hans", QT_TRANSLATE_NOOP("TranslatePane", "Simplified Chinese")),
    ("en", QT_TRANSLATE_NOOP("TranslatePane", "English")),
)
"""Target language codes the session understands, with their display names."""

LAYOUTS = (
    ("replace", QT_TRANSLATE_NOOP("TranslatePane", "Translation only")),
    ("side-by-side", QT_TRANSLATE_NOOP("TranslatePane", "Side by side (source | translation)")),
    ("interleaved", QT_TRANSLATE_NOOP("TranslatePane", "Interleaved (source, then translation)")),
)
"""Bilingual layouts of the output (documents/translated_output.py)."""


def output_suffix_for(source_format: str) -> str:
    """A translated workbook stays a workbook; everything else becomes a Word file."""
    return ".xlsx" if source_format == "xlsx" else ".docx"


def working_output_path(source: Path, target: str, suffix: str = ".docx") -> Path:
    """Where the job writes its output before the person saves it (the cache folder)."""
    stem = re.sub(r"[^\w.-]+", "_", source.stem)[:80] or "document"
    from hkpilot.app.recovery import working_dir

    return working_dir() / f"{stem}.{target}{suffix}"  # emptied at start and at a clean exit


def copy_file(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` atomically (worker thread)."""
    atomic_write_bytes(destination, source.read_bytes())
    return destination


class TranslatePane(DocumentPane):
    """Translate a document to Traditional Chinese (HK), Simplified Chinese or English."""

    def __init__(self, session: SessionLike, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.target_label = QLabel(self)
        self.target_combo = QComboBox(self)
        for code, _name in TARGETS:
            self.target_combo.addItem("", code)
        self.target_label.setBuddy(self.target_combo)
        self.options_row.addWidget(self.target_label)
        self.options_row.addWidget(self.target_combo)
        self.layout_label = QLabel(self)
        self.layout_combo = QComboBox(self)
        for code, _name in LAYOUTS:
            self.layout_combo.addItem("", code)
        self.layout_label.setBuddy(self.layout_combo)
        self.options_row.addWidget(self.layout_label)
        self.options_row.addWidget(self.layout_combo)
        # Glossaries for the next run, and what the checks found in the last (gui/findings_view.py).
        self.glossary = GlossaryChooser(policy_glossaries(session.settings.policy.extra), self)
        self.options_row.addWidget(self.glossary)
        self.findings = FindingsView(self)
        self.findings.row_chosen.connect(self._show_block)
        add_below_splitter(self, self.findings)
        self.output_path: Path | None = None  # the job's formatted output, once finished
        self._planned_output: Path | None = None
        self._job_layout = "replace"
        self.chain_tab_order(self.open_button, self.level_chooser.combo, self.target_combo, self.layout_combo,
                             self.glossary.button, self.glossary.clear_button, self.source_view, self.output_view,
                             self.run_button, self.stop_button, self.save_button)
        self.retranslate_ui()
        self.update_buttons()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.target_label.setText(self.tr("Translate into:"))
        self.target_combo.setAccessibleName(self.tr("Target language"))
        self.target_combo.setToolTip(self.tr("The language of the translation"))
        for index, (_code, name) in enumerate(TARGETS):
            self.target_combo.setItemText(index, QCoreApplication.translate("TranslatePane", str(name)))
        self.layout_label.setText(self.tr("Layout:"))
        self.layout_combo.setAccessibleName(self.tr("Output layout"))
        self.layout_combo.setToolTip(self.tr("Translation only, or the source and the translation together"))
        for index, (_code, name) in enumerate(LAYOUTS):
            self.layout_combo.setItemText(index, QCoreApplication.translate("TranslatePane", str(name)))
        is_workbook = self.document is not None and self.document.format == "xlsx"
        self.layout_combo.setEnabled(not is_workbook)  # a workbook is translated in place
        self.output_title.setText(self.tr("Translation"))
        if self.document is not None and self.document.format == "xlsx":
            self.save_button.setText(self.tr("Save as .xlsx…"))
            self.save_button.setToolTip(self.tr("Save the translated workbook (Ctrl+S)"))
        self.output_view.setPlaceholderText(self.tr("The translation appears here as it is written."))

    @property
    def target(self) -> str:
        return str(self.target_combo.currentData())

    @property
    def layout_choice(self) -> str:
        if self.document is not None and self.document.format == "xlsx":
            return "replace"
        return str(self.layout_combo.currentData())

    def output_suffix(self) -> str:
        return self.target

    def history_task(self) -> str:
        return "translate"

    def history_options(self) -> dict[str, str]:
        return {"target": self.target, "layout": self.layout_choice}

    def make_job(self) -> JobFactory | None:
        document = self.document
        if document is None:
            return None
        target = self.target
        layout = self.layout_choice
        output = working_output_path(document.path, target, output_suffix_for(document.format))
        self.output_path = None
        session = self.session
        glossary = self.glossary.paths  # None: the department's default
        self.findings.clear()

        def job(cancel: CancelToken) -> Iterator[Event]:
            return session.translate_job(document, target, output, cancel, layout=layout, glossary=glossary)

        self._planned_output = output
        self._job_layout = layout
        return job

    def _document_opened(self, document: Document) -> None:
        super()._document_opened(document)
        self.retranslate_ui()  # the Save button names .xlsx for workbooks

    def on_result(self, result: Result | None) -> None:
        super().on_result(result)
        if result is not None:
            self.output_path = result.output_path or self._planned_output
            self.findings.show_findings(result.findings)

    def _show_block(self, anchors: str) -> None:
        if self.document is not None:
            select_in_source(self.source_view, self.document, [a.strip() for a in anchors.split(",")])

    def has_output(self) -> bool:
        return super().has_output() or (self.output_path is not None and self.output_path.is_file())

    def save_as_docx(self) -> None:
        """Copy the translated Word file, or save the edited text when it was changed."""
        if self.busy:
            return
        edited = self.output_view.document().isModified()
        if self.output_path is None or not self.output_path.is_file() or edited:
            text = self.output_view.toPlainText()
            path = file_dialogs.ask_save_path(self, self.suggested_save_path().with_suffix(".docx")) if text.strip() else None
            if path is not None:
                self.save_text_to(path, text, done=self._saved_edited if edited else None)
            return
        suffix = self.output_path.suffix.lower()
        destination = file_dialogs.ask_save_path(self, self.suggested_save_path().with_suffix(suffix), suffix)
        if destination is None:
            return
        source = self.output_path
        self.runner.call(lambda: copy_file(source, destination), self._copied, self.report_error)

    def export_formatted(self, path: Path) -> bool:
        """Export as PDF writes the translation as ``hkpilot translate -o X.pdf`` does: in the
        layout it was made with, a PDF source page by page, with a Chinese font. Edited text
        (and .docx or .txt) is exported as plain paragraphs instead."""
        document, result = self.document, self.result
        translations = result.stats.get("translations") if result is not None else None
        if (path.suffix.lower() != ".pdf" or document is None or document.format == "xlsx" or not translations
                or self.output_view.document().isModified()):
            return False
        layout = self._job_layout

        def write() -> Path:
            from hkpilot.documents.translated_output import write_translated

            write_translated(document, dict(translations), path, layout)
            return path

        self.runner.call(write, self._copied, self.report_error)
        return True

    def _copied(self, destination: Path) -> None:
        self.message.emit(INFO, self.tr("Saved {path}").format(path=str(destination)))
        self.remember_output(destination)

    def _saved_edited(self, destination: Path) -> None:
        self.message.emit(
            WARNING,
            self.tr("Saved {path}. Your edits were saved as plain paragraphs, without the original formatting.").format(
                path=str(destination)
            ),
        )
