"""A reviewable list of what the checks found in a translation: glossary violations first,
then the HK script guard's changes (names restored, variants replaced, Simplified converted).

Shown under the Translate pane's text when a translation has findings; a click on a row
names the block it came from in the message bar's place (the ``row_chosen`` signal).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkpilot.gui.widgets import mark_data, plain_tooltip
from hkpilot.tasks.events import Finding
from hkpilot.tasks.quality import items

MAX_ROWS = 2000


class FindingsView(QWidget):
    """Glossary violations and script changes of the last translation, one row each.

    Signals:
        row_chosen(str): the anchors (``p:3, p:7``) of the row the person clicked.
    """

    row_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(180)
        self.table.cellClicked.connect(self._clicked)
        mark_data(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.violations = 0
        self.changes = 0
        self._anchors: list[str] = []
        self._findings: list[Finding] = []
        self.retranslate_ui()
        self.setVisible(False)

    def retranslate_ui(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Check"), self.tr("Where"), self.tr("In the text"), self.tr("Finding")])
        self.table.setAccessibleName(self.tr("Glossary violations and script changes"))
        self.title.setText(
            self.tr("Review: {violations} glossary violations, {changes} script changes.").format(
                violations=self.violations, changes=self.changes
            )
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            if self._findings:
                self.show_findings(self._findings)
        super().changeEvent(event)

    def clear(self) -> None:
        self._findings = []
        self.table.setRowCount(0)
        self._anchors = []
        self.setVisible(False)

    def show_findings(self, findings: list[Finding]) -> None:
        """Fill the list from a Result's findings; hidden when there is nothing to review."""
        self._findings = list(findings)
        rows: list[tuple[str, str, str, str]] = []
        violations = [v for c in items(findings, "glossary") for v in c.violations]
        for v in violations:
            rows.append((self.tr("Glossary"), v.anchor, v.source_term,
                         self.tr("translation lacks: {expected}").format(expected=" / ".join(v.expected))))
        changes = items(findings, "script")
        for c in changes:
            arrow = f"{c.original} → {c.converted}" if c.converted else c.original
            rows.append((self.tr("Script"), ", ".join(c.anchors), arrow, f"{c.label()} ×{c.count}"))
        memory = items(findings, "memory")
        for m in memory:
            rows.append((self.tr("Memory"), m.anchor, "", self.tr("taken from the translation memory")))
        self.violations, self.changes = len(violations), sum(c.count for c in changes)
        self.table.setRowCount(min(len(rows), MAX_ROWS))
        self._anchors = []
        for r, row in enumerate(rows[:MAX_ROWS]):
            for col, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))  # document and model text: never markup
                self.table.setItem(r, col, item)
            self._anchors.append(row[1])
        self.retranslate_ui()
        self.setVisible(bool(rows))

    def _clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._anchors) and self._anchors[row]:
            self.row_chosen.emit(self._anchors[row])


def ask_glossary_files(parent: QWidget | None) -> list[Path]:
    """Ask for glossary or translation-memory files; [] when the person cancels (tests replace this)."""
    title = QCoreApplication.translate("GlossaryChooser", "Choose glossaries")
    kinds = QCoreApplication.translate("GlossaryChooser", "Glossaries and translation memories ({patterns})").format(
        patterns="*.xlsx *.csv *.tsv *.tbx *.tmx")
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.home()), kinds)
    return [Path(n) for n in names]


class GlossaryChooser(QWidget):
    """A button to choose glossaries for the next translation, and what is chosen.

    ``paths`` is None until the person chooses: the department's default (policy key
    ``glossary.default``) then applies.
    """

    def __init__(self, default: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default = default
        self.paths: list[Path] | None = None
        self.button = QPushButton(self)
        self.button.clicked.connect(self.choose)
        self.clear_button = QPushButton(self)
        self.clear_button.clicked.connect(self.reset)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        mark_data(self.label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.button, self.label, self.clear_button):
            row.addWidget(widget)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.button.setText(self.tr("Glossary…"))
        self.button.setToolTip(self.tr("Terms the translation must use (.xlsx, .csv, .tbx) or a translation memory (.tmx)"))
        self.clear_button.setText(self.tr("No glossary"))
        self.clear_button.setToolTip(self.tr("Translate without a glossary"))
        chosen = self.paths if self.paths is not None else self.default
        self.label.setText(", ".join(p.name for p in chosen))
        self.clear_button.setEnabled(bool(chosen))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def choose(self) -> None:
        paths = ask_glossary_files(self)
        if paths:
            self.paths = paths
            self.retranslate_ui()

    def reset(self) -> None:
        self.paths = []
        self.retranslate_ui()
