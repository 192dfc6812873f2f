"""The window over the real Session and the real starter model (slow; needs the GGUF)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from hkpilot.gui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.slow]


def test_translate_a_docx_with_the_real_model(qtbot, real_window: MainWindow, tmp_path: Path) -> None:
    source = tmp_path / "short.docx"
    d = docx.Document()
    d.add_paragraph("Offices close at noon.")
    d.save(str(source))
    pane = real_window.translate_pane
    pane.open_path(source)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=10_000)
    pane.target_combo.setCurrentIndex(pane.target_combo.findData("zh-HK"))
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy, timeout=180_000)
    assert real_window.message_bar.level != "error", real_window.message_bar.text
    assert pane.output_path is not None and pane.output_path.is_file()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in pane.output_view.toPlainText())
    assert len([p for p in docx.Document(str(pane.output_path)).paragraphs if p.text.strip()]) == 1


def test_stop_cancels_real_generation_quickly(qtbot, real_window: MainWindow) -> None:
    pane = real_window.draft_pane
    pane.points_edit.setPlainText("Annual leave rules\nNew form from 1 April\nAsk HR for help\n" * 5)
    pane.run()
    qtbot.waitUntil(lambda: pane.has_output(), timeout=120_000)
    pane.stop()
    qtbot.waitUntil(lambda: not pane.busy, timeout=2_000)
    assert "Stopped" in real_window.message_bar.text


def test_translate_streams_stops_and_saves(qtbot, real_window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Open a .docx, translate, see tokens arrive while running, stop, run again, save."""
    from hkpilot.gui import file_dialogs

    source = tmp_path / "long.docx"
    d = docx.Document()
    for i in range(12):
        d.add_paragraph(f"Paragraph {i + 1}: the department will review the opening hours of public libraries.")
    d.save(str(source))
    before = source.read_bytes()
    pane = real_window.translate_pane
    pane.open_path(source)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=10_000)
    pane.run_button.click()
    qtbot.waitUntil(lambda: bool(pane.output_view.toPlainText().strip()), timeout=120_000)
    assert pane.busy  # tokens arrive while the job is still running
    pane.stop_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=2_000)  # the real model stops at once
    assert pane.run_button.isEnabled()

    short = tmp_path / "short.docx"
    d = docx.Document()
    d.add_paragraph("The office is closed today.")
    d.save(str(short))
    pane.open_path(short)
    qtbot.waitUntil(lambda: pane.document is not None and pane.document.path == short, timeout=10_000)
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.busy, timeout=180_000)
    destination = tmp_path / "saved.docx"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda parent, suggested, suffix=".docx": destination)
    pane.save_button.click()
    qtbot.waitUntil(destination.is_file, timeout=10_000)
    saved = [p.text for p in docx.Document(str(destination)).paragraphs if p.text.strip()]
    assert len(saved) == 1 and any("\u4e00" <= ch <= "\u9fff" for ch in saved[0])
    assert source.read_bytes() == before
