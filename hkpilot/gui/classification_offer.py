"""When policy keeps a marked document from the server: explain, and offer the local model.

The refusal itself comes from the core (``app/job_guard.py``) before anything is sent;
this window only says what happened and, when the local model may take the document and
the engine is not locked by policy, switches this session to it and runs the job again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from hkpilot.errors import ClassificationRefused

ENGINE_KEY = "engine.kind"


def local_engine_allowed(session: Any, error: ClassificationRefused) -> bool:
    """Whether the local model may take the refused document and the user may switch to it."""
    guard = getattr(session, "guard", None)
    if guard is None or session.settings.is_locked(ENGINE_KEY) or error.params.get("engine_kind") != "server":
        return False
    from hkpilot.app.classification import allowed_on

    level = guard.scheme.level(str(error.params.get("level_name", ""))) or guard.scheme.lowest
    return bool(allowed_on(guard.scheme, guard.policy, "local", level))


def level_text(session: Any, document: Any) -> str:
    """The document's level as the window shows it ("" when unmarked)."""
    guard = getattr(session, "guard", None)
    name = str(getattr(getattr(document, "meta", None), "classification", "") or "")
    if not name:
        return ""
    if guard is None:
        return name
    level = guard.level_of(document)
    return str(level.display()) if level.rank else ""


def offer_local_engine(parent: QWidget, session: Any, error: ClassificationRefused,
                       rerun: Callable[[], None], switched: Callable[[], None]) -> QMessageBox | None:
    """Ask (window-modal, not blocking) whether to run this document on the local model instead."""
    if not local_engine_allowed(session, error):
        return None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the file name is data
    box.setWindowTitle(QCoreApplication.translate("ClassificationOffer", "Marked document"))
    box.setText(error.render() + "\n\n" + QCoreApplication.translate(
        "ClassificationOffer", "Use the local model on this computer instead? The document then stays on this computer."))
    use_local = box.addButton(QCoreApplication.translate("ClassificationOffer", "Use the local model"),
                              QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(use_local)

    def answered() -> None:
        if box.clickedButton() is use_local:
            session.settings.set(ENGINE_KEY, "local")  # this session only: not saved to the settings file
            session.reset_engine()
            switched()
            rerun()

    box.finished.connect(lambda _result: answered())
    box.open()
    return box
