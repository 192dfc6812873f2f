"""Tools > Check bilingual consistency: the English and Chinese versions of a document side by
side in a table of what differs (numbers, dates, amounts, percentages, Cap./section
references, web addresses, paragraph counts), from ``tasks/bilingual_check.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkpilot.errors import HKPilotError
from hkpilot.gui import file_dialogs
from hkpilot.gui.widgets import mark_data

if TYPE_CHECKING:
    from hkpilot.gui.main_window import MainWindow
    from hkpilot.gui.session_api import SessionLike
    from hkpilot.tasks.bilingual_check import BilingualReport


def _compare(session: SessionLike, en: Path, zh: Path) -> BilingualReport:
    from hkpilot.tasks.bilingual_check import compare  # imported when used: its patterns slow the window's start

    return compare(session.open_document(en), session.open_document(zh))


class BilingualDialog(QDialog):
    """Choose the two versions, check, and review the differences."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ref = window
        self.paths: dict[str, Path | None] = {"en": None, "zh": None}
        self.report: BilingualReport | None = None
        self.buttons = {lang: QPushButton(self) for lang in self.paths}
        self.names = {lang: QLabel(self) for lang in self.paths}
        for lang, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, lang=lang: self.choose(lang))
            mark_data(self.names[lang])
        self.check_button = QPushButton(self)
        self.check_button.clicked.connect(self.run_check)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        mark_data(self.table)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        grid = QGridLayout()
        for row, lang in enumerate(self.paths):
            grid.addWidget(self.buttons[lang], row, 0)
            grid.addWidget(self.names[lang], row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.check_button)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_box)
        self.resize(720, 480)
        self.retranslate_ui()
        self._update()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Check bilingual consistency"))
        self.buttons["en"].setText(self.tr("English version…"))
        self.buttons["zh"].setText(self.tr("Chinese version…"))
        self.check_button.setText(self.tr("Check"))
        self.check_button.setToolTip(self.tr("Compare numbers, dates, amounts, percentages, references and web addresses"))
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("Value"), self.tr("English / Chinese"),
                                              self.tr("Where (English / Chinese)")])
        self.table.setAccessibleName(self.tr("Differences"))
        for lang, label in self.names.items():
            path = self.paths[lang]
            label.setText(path.name if path is not None else self.tr("No file chosen"))
        if self.report is not None:
            self.show_report(self.report)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def choose(self, lang: str) -> None:
        paths = file_dialogs.ask_open_documents(self)
        if paths:
            self.paths[lang] = paths[0]
            self.retranslate_ui()
            self._update()

    def _update(self) -> None:
        self.check_button.setEnabled(all(self.paths.values()))

    def run_check(self) -> None:
        en, zh = self.paths["en"], self.paths["zh"]
        if en is None or zh is None:
            return
        session = self.window_ref.session
        self.check_button.setEnabled(False)
        self.summary.setText(self.tr("Checking…"))
        self.window_ref.runner.call(
            lambda: _compare(session, en, zh), self.show_report, self._failed
        )

    def _failed(self, error: BaseException) -> None:
        self._update()
        self.summary.setText(error.render() if isinstance(error, HKPilotError) else type(error).__name__)

    def show_report(self, report: BilingualReport) -> None:
        self.report = report
        self._update()
        text = self.tr("Paragraphs: {en} in English, {zh} in Chinese.").format(en=report.en_paragraphs, zh=report.zh_paragraphs)
        if report.ok:
            text += " " + self.tr("No differences found.")
        else:
            text += " " + self.tr("{count} differences to review.").format(count=len(report.items))
        self.summary.setText(text)
        self.table.setRowCount(len(report.items))
        for row, d in enumerate(report.items):
            cells = (d.label(), d.value, f"{d.english} / {d.chinese}", f"{d.en_anchor or '-'} / {d.zh_anchor or '-'}")
            for col, value in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(value))


class QualityTools(QWidget):
    """Adds Tools > Check bilingual consistency… to ``window`` (in a Tools menu it finds or makes)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.hide()
        self.window_ref = window
        self.action = QAction(window)
        self.action.triggered.connect(self.open_dialog)
        # In a Tools menu when the window has one, else in the File menu above Quit.
        menu = next((m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "toolsMenu"), None)
        if menu is not None:
            menu.addAction(self.action)
        else:
            window.file_menu.insertAction(window.quit_action, self.action)
            window.file_menu.insertSeparator(window.quit_action)
        self.dialog: BilingualDialog | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.action.setText(self.tr("Check &bilingual consistency…"))
        self.action.setToolTip(self.tr("Compare the English and Chinese versions of a document"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def open_dialog(self) -> BilingualDialog:
        if self.dialog is None:
            self.dialog = BilingualDialog(self.window_ref)
        self.dialog.show()
        return self.dialog
