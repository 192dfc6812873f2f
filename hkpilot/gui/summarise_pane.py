"""The Summarise pane: a document in, a summary streamed out beside it."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from hkpilot.engines.base import CancelToken
from hkpilot.gui.citation_panel import CitationPanel, add_below_splitter
from hkpilot.gui.document_pane import DocumentPane
from hkpilot.gui.job_pane import JobFactory
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.language import AUTONYMS, CHINESE_HK, ENGLISH
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import WARNING, mark_autonym
from hkpilot.tasks.events import Event, Result

LENGTHS = (
    ("short", QT_TRANSLATE_NOOP("SummarisePane", "Short")),
    ("medium", QT_TRANSLATE_NOOP("SummarisePane", "Medium")),
    ("long", QT_TRANSLATE_NOOP("SummarisePane", "Long")),
)
SUMMARY_LANGUAGES = (ENGLISH, CHINESE_HK)

FULL_COVERAGE = 0.999


class SummarisePane(DocumentPane):
    """Summarise a document in English or Traditional Chinese, short to long."""

    def __init__(self, session: SessionLike, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.length_label = QLabel(self)
        self.length_combo = QComboBox(self)
        for code, _name in LENGTHS:
            self.length_combo.addItem("", code)
        self.length_combo.setCurrentIndex(1)
        self.length_label.setBuddy(self.length_combo)
        self.language_label = QLabel(self)
        self.language_combo = QComboBox(self)
        for code in SUMMARY_LANGUAGES:
            self.language_combo.addItem(AUTONYMS[code], code)
        mark_autonym(self.language_combo)
        self.language_label.setBuddy(self.language_combo)
        for widget in (self.length_label, self.length_combo, self.language_label, self.language_combo):
            self.options_row.addWidget(widget)
        self.length_combo.currentIndexChanged.connect(self.measure_context)  # the room left depends on it
        self.citations = CitationPanel(self.output_view, self.source_view, self)  # click [p:3]: see the passage
        add_below_splitter(self, self.citations)
        self.chain_tab_order(self.open_button, self.level_chooser.combo, self.length_combo, self.language_combo,
                             self.source_view,
                             self.output_view, self.run_button, self.stop_button, self.save_button)
        self.retranslate_ui()
        self.update_buttons()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.length_label.setText(self.tr("Length:"))
        self.length_combo.setAccessibleName(self.tr("Summary length"))
        for index, (_code, name) in enumerate(LENGTHS):
            self.length_combo.setItemText(index, QCoreApplication.translate("SummarisePane", str(name)))
        self.language_label.setText(self.tr("Language:"))
        self.language_combo.setAccessibleName(self.tr("Summary language"))
        self.output_title.setText(self.tr("Summary"))
        self.output_view.setPlaceholderText(
            self.tr("The summary appears here as it is written. Points cite the pages or paragraphs they come from.")
        )

    def output_suffix(self) -> str:
        return "summary"

    def context_task(self) -> str:
        return "summarise"

    def context_length(self) -> str:
        return str(self.length_combo.currentData())

    def history_task(self) -> str:
        return "summarise"

    def history_options(self) -> dict[str, str]:
        return {"length": self.context_length(), "lang": str(self.language_combo.currentData())}

    def make_job(self) -> JobFactory | None:
        document = self.document
        if document is None:
            return None
        length = str(self.length_combo.currentData())
        lang = str(self.language_combo.currentData())
        session = self.session
        self.citations.clear()

        def job(cancel: CancelToken) -> Iterator[Event]:
            return session.summarise_job(document, length, lang, cancel)

        return job

    def on_result(self, result: Result | None) -> None:
        super().on_result(result)
        self.citations.show_result(result, self.document)
        if result is not None and result.coverage < FULL_COVERAGE:
            self.message.emit(
                WARNING,
                self.tr("This summary covers {percent}% of the document; the rest could not be read.").format(
                    percent=round(result.coverage * 100)
                ),
            )
