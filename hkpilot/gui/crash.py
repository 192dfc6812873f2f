"""The one crash path: ``sys.excepthook`` logs, saves what it can and tells the person.

The log gets the exception type and the stack (files, lines, functions, source lines),
but not the exception's message unless it is an ``HKPilotError``: a message from a
library can quote document text, and the log must never hold document text.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

import hkpilot
from hkpilot.errors import HKPilotError

log = logging.getLogger(__name__)

ExcHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def no_modal() -> bool:
    """True when ``HKPILOT_NO_MODAL=1``: tests and scripted runs get no blocking windows."""
    return os.environ.get("HKPILOT_NO_MODAL", "") not in ("", "0")


def describe_unexpected(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """A traceback safe to log and copy: the stack, the type, no free-text message."""
    lines = [f"HKPilot {hkpilot.__version__}, Python {sys.version.split()[0]}, {sys.platform}"]
    lines.append("Traceback (most recent call last):")
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    if isinstance(exc, HKPilotError):
        lines.append(f"{name}: [{exc.code}] {exc.render(translate=False)}")
    else:
        lines.append(f"{name} (message withheld: it may quote document text)")
    return "\n".join(lines)


class CrashDialog(QDialog):
    """A translated "something went wrong" window with a Copy details button."""

    def __init__(self, details: str, saved_to: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        self.saved_to = saved_to
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        self.message_label = QLabel(self)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("HKPilot – unexpected problem"))
        text = self.tr(
            "HKPilot met an unexpected problem. Your document was not changed.\n"
            "The details were written to the log file; you can copy them for your IT support."
        )
        if self.saved_to:
            text += "\n\n" + self.tr("Unsaved output was kept in: {folder}").format(folder=self.saved_to)
        self.message_label.setText(text)
        self.copy_button.setText(self.tr("Copy details"))
        self.copy_button.setAccessibleName(self.tr("Copy details"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def copy_details(self) -> None:
        """Put the details (stack, no document text) on the clipboard; the window stays."""
        QApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))


class CrashHandler:
    """Installed as ``sys.excepthook`` by ``run_gui``; ``save_work`` keeps unsaved output."""

    def __init__(self, save_work: Callable[[], str] | None = None, parent: QWidget | None = None) -> None:
        self.save_work = save_work
        self.parent = parent
        self.previous: ExcHook = sys.excepthook
        self._handling = False
        self.last_details = ""

    def install(self) -> None:
        self.previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        details = describe_unexpected(exc_type, exc, tb)
        self.last_details = details
        log.critical("unexpected error:\n%s", details)
        if self._handling:  # a failure while showing the last one: log only
            return
        self._handling = True
        try:
            saved_to = ""
            if self.save_work is not None:
                try:
                    saved_to = self.save_work()
                except Exception as exc:  # noqa: BLE001 - saving is best effort here
                    log.error("could not keep unsaved output after a crash: %s", type(exc).__name__)
            if no_modal() or QApplication.instance() is None:
                print(details, file=sys.stderr)
                return
            CrashDialog(details, saved_to, self.parent).exec()
        finally:
            self._handling = False
