"""Untrusted text stays text in the window; a marked document is explained and the local model offered."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMessageBox, QTableWidget, QTextEdit, QWidget

from hkpilot.errors import DocumentUnsupported
from hkpilot.gui.main_window import MainWindow
from hkpilot.gui.widgets import ERROR

pytestmark = pytest.mark.gui


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A loopback web server that counts requests: nothing shown may make the window fetch."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _rich_leaks(window: QWidget, marker: str) -> list[str]:
    """Widgets that would render ``marker``-bearing text as markup."""
    leaks = []
    for widget in [window, *window.findChildren(QWidget)]:
        if isinstance(widget, QLabel) and marker in widget.text():
            if widget.textFormat() != Qt.TextFormat.PlainText:
                leaks.append(f"QLabel {widget.objectName() or type(widget.parent()).__name__}")
        if isinstance(widget, QTextEdit) and marker in widget.toHtml() and widget.acceptRichText():
            leaks.append(f"QTextEdit {widget.objectName()}")
        if marker in widget.toolTip():
            leaks.append(f"tooltip of {type(widget).__name__}")  # an unescaped tooltip is read as rich text
        if isinstance(widget, QTableWidget):
            items = [widget.item(r, c) for r in range(widget.rowCount()) for c in range(widget.columnCount())]
            leaks += [f"cell tooltip in {type(widget.parent()).__name__}" for i in items if i and marker in i.toolTip()]
        if isinstance(widget, QListWidget):
            items = [widget.item(r) for r in range(widget.count())]
            leaks += [f"item tooltip in {type(widget.parent()).__name__}" for i in items if i and marker in i.toolTip()]
    return leaks


def test_document_and_model_text_are_shown_as_plain_text(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         web: tuple[str, list[str]]) -> None:
    url, hits = web
    markup = f'<img src="{url}/pixel.png"><a href="{url}/link">click</a><b>bold</b>'
    name = f"<img src={url.split('//')[1].replace(':', '_')}><b>notes.txt"  # no "/" in a file name
    path = tmp_path / name
    path.write_text(f"Report {markup}\nSecond line {markup}\n", encoding="utf-8")
    pane = window.summarise_pane
    window.tabs.setCurrentWidget(pane)
    pane.open_path(path)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy and bool(pane.output_view.toPlainText()), timeout=10000)
    window.show_message(ERROR, DocumentUnsupported(name=markup).render())
    window.history_pane.refresh()  # the job and the recent file, with their paths
    window.tabs.setCurrentWidget(window.history_pane)
    QApplication.processEvents()
    assert window.history_pane.table.rowCount() >= 1
    assert "<img" in pane.source_view.toPlainText() and "<img" in pane.output_view.toPlainText()  # shown literally
    assert "<img" in window.message_bar.text and "<b>" in pane.file_label.text()
    assert _rich_leaks(window, "<img") == [] and _rich_leaks(window, "<b>") == []
    qtbot.wait(300)
    assert hits == []  # no image, stylesheet or link was fetched


@pytest.fixture
def real_window(qtbot, _gui_env: Path, qm_catalogue: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The window over the real Session (no model is loaded by these tests)."""
    win = _window_with_policy(qtbot, _gui_env, 'server_max_classification = "UNCLASSIFIED"\n', "http://127.0.0.1:9")
    yield win
    win.runner.shutdown(wait=True)


def test_marked_document_is_explained_and_the_local_model_offered(qtbot, real_window: MainWindow,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    src = tmp_path / "posting.docx"
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "RESTRICTED (STAFF)"
    d.add_paragraph("Posting arrangements for next year.")
    d.save(str(src))
    pane = real_window.summarise_pane
    real_window.tabs.setCurrentWidget(pane)
    pane.open_path(src)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=10000)
    assert "RESTRICTED" in pane.file_label.text()  # the level is shown with the file
    pane.run()
    qtbot.waitUntil(lambda: pane.local_offer is not None, timeout=10000)
    assert "RESTRICTED" in real_window.message_bar.text and "Nothing was sent" in real_window.message_bar.text
    box = pane.local_offer
    assert isinstance(box, QMessageBox) and box.textFormat() == Qt.TextFormat.PlainText
    use_local = next(b for b in box.buttons() if b.text() == "Use the local model")
    use_local.click()
    assert real_window.session.settings.get("engine.kind") == "local"
    qtbot.waitUntil(lambda: not pane.busy and "Model file not found" in real_window.message_bar.text, timeout=20000)
    record = pane.history.jobs()[0] if pane.history is not None else None
    assert record is not None and record.options.get("classification") == "RESTRICTED"  # the History tab shows it


@pytest.fixture
def listener() -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """A loopback TCP listener that records every connection made to it (the "server")."""
    import socket

    seen: list[tuple[str, int]] = []
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = sock.accept()
            except OSError:
                continue
            seen.append(peer)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1", seen
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


def _window_with_policy(qtbot, home: Path, policy: str, server_url: str) -> MainWindow:  # type: ignore[no-untyped-def]
    from hkpilot.app.session import Session
    from hkpilot.config.settings import Settings
    from hkpilot.gui.app import create_main_window

    home.mkdir(parents=True, exist_ok=True)
    (home / "policy.toml").write_text(policy, encoding="utf-8")
    settings = Settings()
    settings.set("engine.kind", "server")
    settings.set("server.url", server_url)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    win = create_main_window(Session(settings), app)
    qtbot.addWidget(win)
    win.show()
    return win


def _marked_docx(path: Path, header: str) -> Path:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = header
    d.add_paragraph("Posting arrangements for next year.")
    d.save(str(path))
    return path


def test_level_shown_raised_never_lowered_and_recorded(qtbot, _gui_env: Path, qm_catalogue: Path,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path, listener: tuple[str, list[tuple[str, int]]]) -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtTest import QTest

    url, connections = listener
    win = _window_with_policy(qtbot, _gui_env, 'server_max_classification = "RESTRICTED"\n', url)
    pane = win.summarise_pane
    try:
        win.tabs.setCurrentWidget(pane)
        pane.open_path(_marked_docx(tmp_path / "posting.docx", "RESTRICTED (STAFF)"))
        qtbot.waitUntil(lambda: pane.document is not None, timeout=10000)
        chooser, combo = pane.level_chooser, pane.level_chooser.combo
        assert chooser.isVisible() and combo.currentData() == "RESTRICTED"  # the level found is shown
        assert "marked on the document" in combo.currentText()
        model = combo.model()
        assert isinstance(model, QStandardItemModel)
        names = [combo.itemData(i) for i in range(combo.count())]
        assert names == ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]
        assert not model.item(0).isEnabled() and all(model.item(i).isEnabled() for i in range(1, combo.count()))

        combo.setFocus()
        QTest.keyClick(combo, Qt.Key.Key_Down)  # the person raises it, with the keyboard
        assert combo.currentData() == "CONFIDENTIAL" and pane.document is not None
        assert pane.document.meta.classification == "CONFIDENTIAL"
        assert "CONFIDENTIAL" in pane.file_label.text() and "CONFIDENTIAL" in win.message_bar.text
        QTest.keyClick(combo, Qt.Key.Key_Up)
        QTest.keyClick(combo, Qt.Key.Key_Up)  # the unmarked level is greyed: the choice stops at the marking
        assert combo.currentData() == "RESTRICTED" and pane.document.meta.classification == "RESTRICTED"
        with qtbot.waitSignal(chooser.refused, timeout=2000):  # a lower level forced through the combo
            combo.activated.emit(0)
        assert pane.document.meta.classification == "RESTRICTED" and combo.currentData() == "RESTRICTED"
        assert "does not allow a lower level" in win.message_bar.text
        QTest.keyClick(combo, Qt.Key.Key_Down)
        assert pane.document.meta.classification == "CONFIDENTIAL"

        pane.run()  # CONFIDENTIAL is above the server's RESTRICTED cap: refused before anything is sent
        qtbot.waitUntil(lambda: not pane.busy and "CONFIDENTIAL" in win.message_bar.text
                        and "Nothing was sent" in win.message_bar.text, timeout=20000)
        record = pane.history.jobs()[0] if pane.history is not None else None
        assert record is not None and record.options.get("classification") == "CONFIDENTIAL"
        win.history_pane.refresh()
        table = win.history_pane.table
        items = [table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
        cells = [item.text() for item in items if item is not None]
        assert any("posting.docx" in c and "CONFIDENTIAL" in c for c in cells)  # the History tab shows the level
        qtbot.wait(200)
        assert connections == []  # nothing reached the server
    finally:
        if pane.local_offer is not None:
            pane.local_offer.reject()
        win.runner.shutdown(wait=True)


def test_policy_may_allow_lowering_a_marking(qtbot, _gui_env: Path, qm_catalogue: Path,  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    from PySide6.QtTest import QTest

    win = _window_with_policy(qtbot, _gui_env, "classification_allow_lower = true\n", "http://127.0.0.1:9/v1")
    try:
        pane = win.translate_pane
        win.tabs.setCurrentWidget(pane)
        pane.open_path(_marked_docx(tmp_path / "memo.docx", "限閱文件"))
        qtbot.waitUntil(lambda: pane.document is not None, timeout=10000)
        combo = pane.level_chooser.combo
        assert combo.currentData() == "RESTRICTED"  # the Chinese marking is the same level
        combo.setFocus()
        QTest.keyClick(combo, Qt.Key.Key_Up)
        assert combo.currentData() == "UNCLASSIFIED" and pane.document is not None
        assert pane.document.meta.classification == "" and "RESTRICTED" not in pane.file_label.text()
    finally:
        win.runner.shutdown(wait=True)
