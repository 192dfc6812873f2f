"""Citations in the Summarise pane: click an anchor in the summary to see its source passage.

``CitationPanel`` sits under the summary: a line with the coverage and the checks (points
without citations, anchors the document does not have, quotes not found in the source),
a list of those problems, and the passage of the citation last clicked. Clicking ``[p:3]``
(or any anchor the documents layer writes) in the summary shows the passage there and
selects it in the source text. Everything is plain text: nothing from the model or the
file is read as markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QBoxLayout, QLabel, QListWidget, QPlainTextEdit, QVBoxLayout, QWidget

from hkpilot.documents.model import Document
from hkpilot.gui.widgets import mark_data, plain_text_view
from hkpilot.tasks.events import Result
from hkpilot.tasks.quality import items

if TYPE_CHECKING:
    from hkpilot.gui.document_pane import DocumentPane

_BRACKET = re.compile(r"[\[【]([^\[\]【】\n]{1,120})[\]】]")


def block_offsets(document: Document) -> dict[str, tuple[int, int]]:
    """Where each text block sits in ``document.full_text()`` (start, end), as the source view shows it."""
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    for block in document.text_blocks:
        offsets[block.anchor] = (pos, pos + len(block.text))
        pos += len(block.text) + 2  # the blank line between blocks
    return offsets


def select_in_source(view: QPlainTextEdit, document: Document, anchors: list[str]) -> bool:
    """Select the first of ``anchors`` in the source view and scroll to it."""
    offsets = block_offsets(document)
    spans = [offsets[a] for a in anchors if a in offsets]
    if not spans:
        return False
    start, end = spans[0]
    length = view.document().characterCount() - 1
    if start > length:
        return False  # beyond what the view shows (very long sources are cut)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(min(end, length), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    return True


def token_at(line: str, column: int) -> str:
    """The cited anchor under ``column`` of ``line`` (inside square brackets), or ''."""
    for m in _BRACKET.finditer(line):
        if not m.start() <= column <= m.end():
            continue
        pieces = [(t.start(), t.group()) for t in re.finditer(r"[^,;，；、]+", m.group(1)) if t.group().strip()]
        for start, text in pieces:
            if m.start(1) + start <= column <= m.start(1) + start + len(text):
                return text.strip()
        return pieces[0][1].strip() if pieces else ""
    return ""


if TYPE_CHECKING:
    from hkpilot.tasks.citations import CitationReport

class CitationPanel(QWidget):
    """Coverage, flagged citations and quotes, and the passage of the clicked citation."""

    def __init__(self, summary_view: QPlainTextEdit, source_view: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary_view = summary_view
        self.source_view = source_view
        self.document: Document | None = None
        self.report: CitationReport | None = None
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        mark_data(self.status)
        self.problems = QListWidget(self)
        self.problems.setMaximumHeight(110)
        mark_data(self.problems)
        self.passage_label = QLabel(self)
        self.passage = plain_text_view(self, read_only=True)
        self.passage.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status, self.problems, self.passage_label, self.passage):
            layout.addWidget(widget)
        self.passage_label.setBuddy(self.passage)
        summary_view.viewport().installEventFilter(self)
        self.retranslate_ui()
        self.setVisible(False)

    def retranslate_ui(self) -> None:
        self.passage_label.setText(self.tr("Source passage of the citation clicked:"))
        self.passage.setPlaceholderText(self.tr("Click a citation such as [p:3] in the summary to see its source passage."))
        self.passage.setAccessibleName(self.tr("Source passage"))
        self.problems.setAccessibleName(self.tr("Citation problems"))
        if self.report is not None:
            self.show_report(self.report, self.document)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def clear(self) -> None:
        self.report = None
        self.problems.clear()
        self.passage.clear()
        self.setVisible(False)

    def show_report(self, report: CitationReport, document: Document | None) -> None:
        """Show the coverage and the flagged points and quotes of a summary's check."""
        self.report, self.document = report, document
        cited = sum(1 for p in report.points if p.anchors)
        summary = self.tr("{coverage} {cited} of {points} points cite the source.").format(
            coverage=report.coverage_line(), cited=cited, points=len(report.points))
        if report.unsupported:
            summary += " " + self.tr("{count} quotes were not found in the document.").format(count=len(report.unsupported))
        if report.unsupported_figures:
            summary += " " + self.tr("{count} figures were not found in the document.").format(
                count=len(report.unsupported_figures))
        self.status.setText(summary)
        self.problems.clear()
        for line, anchor in report.attributed:
            self.problems.addItem(self.tr("Line {line}: [{anchor}] added by HKPilot from matching wording").format(
                line=line, anchor=anchor))
        for p in report.uncited:
            self.problems.addItem(self.tr("Line {line}: no citation").format(line=p.line))
        for p in report.unknown:
            self.problems.addItem(self.tr("Line {line}: not in the document: {anchors}").format(
                line=p.line, anchors=", ".join(p.unknown)))
        for p in report.mismatched:
            self.problems.addItem(self.tr("Line {line}: the cited passage shares no wording with the point; "
                                          "it matches [{anchor}]").format(line=p.line, anchor=p.matches))
        for line, anchor in report.removed:
            self.problems.addItem(self.tr("Line {line}: [{anchor}] is not in the document; citation taken out").format(
                line=line, anchor=anchor))
        for q in report.quotes:
            self.problems.addItem(self.tr("Line {line}: quote “{quote}”: {status}").format(
                line=q.line, quote=q.text[:60], status=q.label()))
        for f in report.figures:
            self.problems.addItem(self.tr("Line {line}: {figure}: {status}").format(
                line=f.line, figure=f.label(), status=f.status_label()))
        self.problems.setVisible(self.problems.count() > 0)
        self.setVisible(True)

    def show_citation(self, token: str) -> bool:
        """Show the passage ``token`` names and select it in the source; False when unknown."""
        if self.document is None or not token:
            return False
        from hkpilot.tasks.citations import AnchorIndex  # when used: keeps the window's start quick

        index = AnchorIndex(self.document.text_blocks)
        anchors = index.resolve(token)
        if not anchors:
            self.passage.setPlainText(self.tr("[{anchor}] is not in the document.").format(anchor=token))
            self.setVisible(True)
            return False
        self.passage.setPlainText(f"[{', '.join(anchors[:5])}]\n{index.text(anchors)}")
        select_in_source(self.source_view, self.document, anchors)
        self.setVisible(True)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            cursor = self.summary_view.cursorForPosition(event.position().toPoint())
            if not cursor.hasSelection() and not self.summary_view.textCursor().hasSelection():
                block = cursor.block()
                token = token_at(block.text(), cursor.positionInBlock())
                if token:
                    self.show_citation(token)
        return False

    def show_result(self, result: Result | None, document: Document | None) -> None:
        """Show the citation check a summary's Result carries (nothing when it has none)."""
        reports = items(result.findings, "citations") if result is not None else []
        if reports:
            self.show_report(reports[0], document)
        else:
            self.clear()


def add_below_splitter(pane: DocumentPane, widget: QWidget) -> None:
    """Put ``widget`` between the pane's source/output splitter and its buttons."""
    layout = pane.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(pane.splitter) + 1, widget)
