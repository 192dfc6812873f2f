"""GUI tests: offscreen Qt, a temp HKPILOT_HOME, no modal windows, a fake session."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from hkpilot import i18n
from hkpilot.resources import translations_dir
from tests.gui.fake_session import FakeRewriteSession, FakeSession

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _gui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Own settings folder, no policy, no modal windows, an English system locale."""
    home = tmp_path / "hkpilot-home"
    monkeypatch.setenv("HKPILOT_HOME", str(home))
    monkeypatch.setenv("HKPILOT_NO_MODAL", "1")
    monkeypatch.delenv("HKPILOT_POLICY", raising=False)
    monkeypatch.delenv("HKPILOT_POLICY_FILE", raising=False)
    monkeypatch.delenv("HKPILOT_API_KEY", raising=False)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # "" language setting follows the system: English here
    yield home
    i18n.set_language("en")
    # Delete this test's windows here, on the main thread. Left to Python's cycle collector they
    # may be freed while a later test's worker thread allocates, and a widget deleted off the
    # GUI thread crashes the next paint (seen as random segfaults in unrelated tests).
    app = QApplication.instance()
    if app is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        gc.collect()


@pytest.fixture(scope="session")
def qm_catalogue() -> Path:
    """The compiled zh-HK catalogue, built from the .ts when missing or older."""
    ts = translations_dir() / "hkpilot_zh_HK.ts"
    qm = ts.with_suffix(".qm")
    if not qm.is_file() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "tools" / "qt_translations.py"), "release"], check=True,
                       capture_output=True)
    return qm


@pytest.fixture
def session() -> FakeSession:
    return FakeRewriteSession()


def shown_window(qtbot, session: object):  # type: ignore[no-untyped-def]
    """The main window over ``session``, as the app makes it, shown offscreen."""
    from hkpilot.gui.app import create_main_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    win = create_main_window(session, app)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, session: FakeSession, qm_catalogue: Path):  # type: ignore[no-untyped-def]
    """The main window over a fake session, shown offscreen, in English."""
    win = shown_window(qtbot, session)
    yield win
    win.language.apply("en")
    win.runner.shutdown(wait=True)


def open_real_window(qtbot, starter_model: Path, n_ctx: int = 4096):  # type: ignore[no-untyped-def]
    """A main window over the real Session and the starter model, shown; returns (window, session)."""
    from hkpilot.app.session import Session
    from hkpilot.config.settings import Settings

    settings = Settings()
    settings.set("local.model_path", str(starter_model))
    settings.set("local.n_ctx", n_ctx)
    session = Session(settings)
    return shown_window(qtbot, session), session


@pytest.fixture
def real_window(qtbot, starter_model: Path, qm_catalogue: Path):  # type: ignore[no-untyped-def]
    """The main window over the real starter model (slow; needs the GGUF)."""
    window, session = open_real_window(qtbot, starter_model)
    yield window
    window.runner.shutdown(wait=True)
    session.close()


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    """A small Word file with three paragraphs."""
    path = tmp_path / "notice.docx"
    d = docx.Document()
    for text in ("Public holiday arrangements", "Offices close at noon on 24 December.", "Enquiries: 2123 4567."):
        d.add_paragraph(text)
    d.save(str(path))
    return path


def drop_files(target: QWidget, paths: list[Path]) -> bool:
    """Drag ``paths`` over ``target`` and drop them, as a file manager would; True if accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = target.rect().center()
    # QDragEnterEvent takes a QPoint (QDropEvent a QPointF) in the PySide6 releases pyproject allows
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def translate_then_edit(qtbot, pane: Any, source: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``source`` on the Translate pane, translate it, and replace the output with ``text``."""
    pane.open_path(source)
    qtbot.waitUntil(lambda: pane.document is not None, timeout=5000)
    pane.run()
    qtbot.waitUntil(lambda: not pane.busy and pane.output_path is not None, timeout=5000)
    pane.output_view.selectAll()
    pane.output_view.insertPlainText(text)
