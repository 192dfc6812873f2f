"""The settings dialog's "Test connection": the check runs off the GUI thread on the dialog's
current (unsaved) values and its report is shown as plain text."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from hkpilot.gui.settings_dialog import SettingsDialog
from tests.conftest import free_port
from tests.gui.fake_session import FakeSession

pytestmark = pytest.mark.gui


def _dialog(qtbot, url: str) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(FakeSession())
    qtbot.addWidget(dialog)
    url_edit = dialog.editors["server.url"]
    assert isinstance(url_edit, QLineEdit)
    url_edit.setText(url)  # typed, not saved: the test uses what the dialog shows
    return dialog


def test_unreachable_server_is_reported_without_blocking(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, f"http://127.0.0.1:{free_port()}")
    tester = dialog.connection_test
    assert tester.button.text() == "Test connection" and tester.output.isHidden()
    main = threading.get_ident()
    with qtbot.waitSignal(tester.checked, timeout=15000) as blocker:
        qtbot.mouseClick(tester.button, Qt.MouseButton.LeftButton)
        assert not tester.button.isEnabled()  # running in the background; the window stays responsive
    assert blocker.args == [False]
    assert isinstance(tester.output, QPlainTextEdit) and tester.output.isReadOnly()
    text = tester.output.toPlainText()
    assert "[FAIL]" in text and "connection refused" in text and tester.button.isEnabled()
    assert threading.get_ident() == main
    assert dialog.settings.get("server.url") == ""  # nothing was saved


@pytest.mark.server
def test_real_server_is_ready(qtbot, llama_server: str) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, llama_server)
    with qtbot.waitSignal(dialog.connection_test.checked, timeout=60000) as blocker:
        dialog.connection_test.button.click()
    text = dialog.connection_test.output.toPlainText()
    assert blocker.args == [True], text
    assert "starter" in text and "1-token answer" in text


def test_closing_the_dialog_during_a_check_is_safe(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, "http://10.255.255.1:9")  # unroutable: the connect would hang until its timeout
    dialog.connection_test.button.click()
    handle = dialog.connection_test.handle
    assert handle is not None
    dialog.reject()
    qtbot.waitUntil(lambda: not handle.running, timeout=15000)
    assert handle.outcome == "cancelled"
