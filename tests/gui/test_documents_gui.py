"""Issue 3 in the window: a translated PDF exported as a PDF keeps its pages and layout;
an existing file is never replaced without asking."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from hkpilot.documents.loader import load_document
from hkpilot.gui import file_dialogs
from hkpilot.gui.main_window import MainWindow
from tests.gui.conftest import translate_then_edit

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.mark.parametrize("layout", ["replace", "side-by-side"])
def test_translated_pdf_exports_as_a_pdf_page_by_page(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    source = CORPUS / "generated" / "report_en.pdf"
    pane = window.translate_pane
    pane.open_path(source)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.layout_combo.setCurrentIndex(pane.layout_combo.findData(layout))
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy and pane.output_path is not None, timeout=10000)
    destination = tmp_path / "report-zh.pdf"
    monkeypatch.setattr(file_dialogs, "ask_export_path", lambda parent, suggested: destination)
    pane.export_output()
    qtbot.waitUntil(destination.is_file, timeout=10000)
    back = load_document(destination)
    src = load_document(source)
    assert back.meta.page_count == src.meta.page_count == 3  # page N of the export starts with page N's text
    words = set(" ".join(b.text for b in back.blocks).split())
    longest = max(src.text_blocks[1].text.split(), key=len).strip(".,")
    assert longest.upper() in words  # the (fake) translation
    assert (longest in words) == (layout == "side-by-side")  # the source beside it only in that layout


def test_edited_translation_exports_its_text(
    qtbot, window: MainWindow, sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = window.translate_pane
    translate_then_edit(qtbot, pane, sample_docx, "Edited line")
    destination = tmp_path / "edited.pdf"
    monkeypatch.setattr(file_dialogs, "ask_export_path", lambda parent, suggested: destination)
    pane.export_output()
    qtbot.waitUntil(destination.is_file, timeout=10000)
    assert [b.text for b in load_document(destination).blocks] == ["Edited line"]


def test_an_existing_file_is_replaced_only_when_the_person_agrees(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "notice.docx"
    existing.write_bytes(b"keep me")
    asked: list[Path] = []
    # The file dialog confirms a name as typed; a suffix added afterwards needs our own question.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "notice"), "")))
    for answer, expected in ((False, None), (True, existing)):
        monkeypatch.setattr(file_dialogs, "confirm_replace", lambda parent, path, a=answer: asked.append(path) or a)
        assert file_dialogs.ask_save_path(window, tmp_path / "x.docx") == expected
        assert file_dialogs.ask_export_path(window, tmp_path / "x.docx") == expected
    assert asked == [existing] * 4
    assert existing.read_bytes() == b"keep me"
    options = QFileDialog.Option.DontConfirmOverwrite
    assert not (QFileDialog().options() & options)  # Qt's own dialog asks about the name typed
