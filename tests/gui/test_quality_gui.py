"""The language-quality parts of the window: findings after a translation, citations that
show their passage, the glossary chooser, the bilingual check dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt

from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken
from hkpilot.gui import file_dialogs, findings_view
from hkpilot.gui.citation_panel import token_at
from hkpilot.gui.main_window import MainWindow
from hkpilot.tasks.citations import check_summary
from hkpilot.tasks.events import Event, Finding, Result, Token
from hkpilot.tasks.glossary import GlossaryCheck, GlossaryViolation
from hkpilot.tasks.script_guard import PROTECTED, SCRIPT, ScriptChange
from tests.gui.fake_session import FakeRewriteSession

pytestmark = pytest.mark.gui


class QualitySession(FakeRewriteSession):
    """Translations come back with findings; summaries cite the document's paragraphs."""

    def translate_job(self, doc: Document, target: str, output: Path, cancel: CancelToken, layout: str = "replace",
                      glossary: list[Path] | None = None) -> Iterator[Event]:
        events = list(super().translate_job(doc, target, output, cancel, layout, glossary))
        result = events.pop()
        assert isinstance(result, Result)
        result.findings = [
            Finding("glossary", [GlossaryCheck("p:2", 2, [GlossaryViolation("p:2", "noon", ("中午",))])]),
            Finding("script", [ScriptChange("東湧", "東涌", PROTECTED, 1, ["p:3"]),
                               ScriptChange("们", "們", SCRIPT, 4, ["p:1"])]),
        ]
        yield from events
        yield result

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        text = "- Offices close at noon [p:2].\n- Call 2123 4567 [p:3], see \"the hotline is free\" [p:9]"
        yield Token(text)
        yield Result(text=text, findings=[Finding("citations", [check_summary(doc, text)])])


@pytest.fixture
def session() -> QualitySession:
    return QualitySession()


def open_doc(qtbot, pane, path: Path) -> None:  # type: ignore[no-untyped-def]
    pane.open_path(path)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)


def test_translation_findings_are_listed_and_point_at_their_block(qtbot, window: MainWindow, session, sample_docx):
    pane = window.translate_pane
    open_doc(qtbot, pane, sample_docx)
    assert not pane.findings.isVisibleTo(pane)
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy and pane.findings.isVisibleTo(pane), timeout=5000)
    table = pane.findings.table
    assert table.rowCount() == 3
    assert [table.item(r, 2).text() for r in range(3)] == ["noon", "東湧 → 東涌", "们 → 們"]
    assert "中午" in table.item(0, 3).text()
    assert pane.findings.title.text() == "Review: 1 glossary violations, 5 script changes."
    table.cellClicked.emit(0, 0)  # the row of p:2
    assert pane.source_view.textCursor().selectedText() == "Offices close at noon on 24 December."
    pane.make_job()  # a new run starts without the old findings
    assert not pane.findings.isVisibleTo(pane) and pane.findings.table.rowCount() == 0


def test_glossary_chooser_passes_the_files_to_the_job(qtbot, window: MainWindow, session, sample_docx, tmp_path,
                                                      monkeypatch):
    pane = window.translate_pane
    open_doc(qtbot, pane, sample_docx)
    glossary = tmp_path / "terms.csv"
    monkeypatch.setattr(findings_view, "ask_glossary_files", lambda parent: [glossary])
    pane.glossary.button.click()
    assert pane.glossary.label.text() == "terms.csv"
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert session.last_glossary == [glossary]
    pane.glossary.clear_button.click()
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=5000)
    assert session.last_glossary == []


def test_clicking_a_citation_shows_its_passage(qtbot, window: MainWindow, session, sample_docx):
    pane = window.summarise_pane
    window.tabs.setCurrentWidget(pane)
    open_doc(qtbot, pane, sample_docx)
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy and pane.citations.isVisibleTo(pane), timeout=5000)
    assert "All 3 blocks read." in pane.citations.status.text()
    problems = [pane.citations.problems.item(i).text() for i in range(pane.citations.problems.count())]
    assert any("p:9" in p for p in problems) and any("not found in the document" in p for p in problems)
    text = pane.output_view.toPlainText()
    position = text.index("[p:2]") + 2
    cursor = pane.output_view.textCursor()
    cursor.setPosition(position)
    point = pane.output_view.cursorRect(cursor).center()
    qtbot.mouseClick(pane.output_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert pane.citations.passage.toPlainText() == "[p:2]\nOffices close at noon on 24 December."
    assert pane.source_view.textCursor().selectedText() == "Offices close at noon on 24 December."
    assert not pane.citations.show_citation("p:9")
    assert "not in the document" in pane.citations.passage.toPlainText()


def test_token_at():
    line = "- Point [p:2, page:3:para:1] and [t:1:r2:c1]"
    assert token_at(line, line.index("p:2") + 1) == "p:2"
    assert token_at(line, line.index("page:3") + 3) == "page:3:para:1"
    assert token_at(line, line.index("t:1")) == "t:1:r2:c1"
    assert token_at(line, 3) == ""


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def test_bilingual_dialog_lists_differences(qtbot, window: MainWindow, tmp_path, monkeypatch):
    from hkpilot.documents.loader import load_document

    en = make_docx(tmp_path / "en.docx", ["The fee is $2,000 from 1 May 2025."])
    zh = make_docx(tmp_path / "zh.docx", ["費用由2025年5月1日起為3,000元。"])
    monkeypatch.setattr(window.session, "open_document", lambda path: load_document(path))
    dialog = window.quality_tools.open_dialog()
    qtbot.addWidget(dialog)
    chosen = iter([[en], [zh]])
    monkeypatch.setattr(file_dialogs, "ask_open_documents", lambda parent, multiple=False: next(chosen))
    assert not dialog.check_button.isEnabled()
    dialog.buttons["en"].click()
    dialog.buttons["zh"].click()
    assert dialog.check_button.isEnabled()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    values = sorted(dialog.table.item(r, 1).text() for r in range(2))
    assert values == ["$2,000", "$3,000"]
    assert "2 differences to review." in dialog.summary.text()
    assert window.quality_tools.action in window.file_menu.actions()
