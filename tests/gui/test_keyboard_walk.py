"""Keyboard only: open a document, choose the language, translate with the real starter model, save —
QTest key events and nothing else, through Qt's own (non-native, offscreen) file dialogs, as a person
who cannot use a mouse would."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from hkpilot.gui.main_window import MainWindow

pytestmark = pytest.mark.gui


def keys(sequence: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Type into whatever has the keyboard focus (or the active window)."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None, "nothing has the keyboard focus"
    if isinstance(sequence, str):
        QTest.keyClicks(target, sequence)
    else:
        QTest.keyClick(target, sequence, modifier)


def answer_file_dialog(path: Path, typed: list[str]) -> None:
    """When Qt's file dialog is up, type ``path`` into it and press Enter (keys only)."""

    def type_path() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, type_path)
            return
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        keys(str(path))
        typed.append(str(path))
        keys(Qt.Key.Key_Return)

    QTimer.singleShot(50, type_path)


def tab_to(qtbot, widget: QWidget, limit: int = 15) -> int:  # type: ignore[no-untyped-def]
    """Press Tab until ``widget`` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        keys(Qt.Key.Key_Tab)
        qtbot.wait(10)
        if QApplication.focusWidget() is widget:
            return presses
    raise AssertionError(f"Tab never reached {widget.accessibleName()!r}; focus is on {QApplication.focusWidget()}")


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def refocus_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """What a window manager does when a dialog closes (the offscreen platform has none).
    The app's own code is not called: the focus goes back to where the person left it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


@pytest.mark.model
@pytest.mark.slow
def test_translate_and_save_with_the_keyboard_only(qtbot, real_window: MainWindow, sample_docx: Path,
                                                   tmp_path: Path) -> None:
    """The real starter model; after the window is shown, only key presses drive the app."""
    window = real_window
    before = sample_docx.read_bytes()
    refocus_window(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)  # Qt gave the first control focus

    keys(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # View > Translate
    pane = window.translate_pane
    assert window.tabs.currentWidget() is pane

    typed: list[str] = []
    answer_file_dialog(sample_docx, typed)
    keys(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)  # File > Open…; the dialog is answered with keys
    qtbot.waitUntil(lambda: pane.document is not None, timeout=10_000)
    assert typed == [str(sample_docx)]

    refocus_window(qtbot, window)
    tab_to(qtbot, pane.target_combo)
    keys(Qt.Key.Key_End)  # English is last; then up to Traditional Chinese (Hong Kong), the first
    assert pane.target == "en"
    for _ in range(pane.target_combo.count()):
        if pane.target == "zh-HK":
            break
        keys(Qt.Key.Key_Up)
    assert pane.target == "zh-HK"
    assert tab_to(qtbot, pane.layout_combo) == 1

    keys(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Run, with the real model
    qtbot.waitUntil(lambda: pane.busy, timeout=5000)
    qtbot.waitUntil(lambda: not pane.busy, timeout=300_000)
    assert window.message_bar.level != "error", window.message_bar.text
    assert pane.output_path is not None and pane.output_path.is_file()
    assert has_chinese(pane.output_view.toPlainText())

    destination = tmp_path / "keyboard" / "notice-zh-HK.docx"
    destination.parent.mkdir()
    answer_file_dialog(destination, typed)
    keys(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save as .docx…, the dialog answered with keys
    refocus_window(qtbot, window)
    qtbot.waitUntil(destination.is_file, timeout=10_000)
    assert typed[-1] == str(destination)
    saved = [p.text for p in docx.Document(str(destination)).paragraphs if p.text.strip()]
    assert len(saved) == 3 and all(has_chinese(text) for text in saved), saved  # a paragraph for each source one
    qtbot.waitUntil(lambda: "Saved" in window.message_bar.text, timeout=3000)
    assert sample_docx.read_bytes() == before  # the source is never changed


def test_every_control_is_reachable_by_tab_in_order(qtbot, window: MainWindow, sample_docx: Path) -> None:
    """The Translate pane's Tab order: open, options (glossary too), source, output, then Run."""
    pane = window.translate_pane
    window.tabs.setCurrentWidget(pane)
    pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    pane.open_button.setFocus()
    order: list[QWidget | None] = [QApplication.focusWidget()]
    for _ in range(6):
        keys(Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [pane.open_button, pane.target_combo, pane.layout_combo, pane.glossary.button, pane.source_view,
                     pane.output_view, pane.run_button]  # Stop, Save and "No glossary" are disabled now: Tab skips them
