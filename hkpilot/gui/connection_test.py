"""The settings dialog's "Test connection": runs the server check off the GUI thread and shows
its report as plain text (the same report ``hkpilot server check`` prints)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from hkpilot.errors import HKPilotError
from hkpilot.gui.jobs import JobHandle, JobOp, JobRunner

if TYPE_CHECKING:
    from hkpilot.engines.http_client import ServerConfig
    from hkpilot.engines.server_check import CheckReport

log = logging.getLogger(__name__)


class ConnectionTest(QWidget):
    """A button that checks the server the dialog describes now (saved or not).

    Signals:
        checked(bool): the check ended; True when the server is ready to use.
    """

    checked = Signal(bool)

    def __init__(self, config: Callable[[], ServerConfig], runner: JobRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._own_runner = runner is None
        self.runner = runner if runner is not None else JobRunner(self, pool_workers=1)
        self.handle: JobHandle | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(self)
        self.button.clicked.connect(self.start)
        self.output = QPlainTextEdit(self)  # plain text: server messages are never rendered as markup
        self.output.setReadOnly(True)
        self.output.setMaximumHeight(170)
        self.output.hide()
        layout.addWidget(self.button)
        layout.addWidget(self.output)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.button.setText(self.tr("Test connection"))
        self.button.setToolTip(self.tr("Check the server, its certificate, the API key, the model and a short answer"))
        self.output.setAccessibleName(self.tr("Connection test result"))

    def start(self) -> None:
        """Check the server with the dialog's current values, in the background."""
        from hkpilot.engines.server_check import check_server

        try:
            cfg = self._config()
        except HKPilotError as exc:
            self._show(exc.render(), False)
            return
        self.button.setEnabled(False)
        self.output.setPlainText(self.tr("Testing the connection…"))
        self.output.show()
        op = JobOp(self.runner, lambda cancel: check_server(cfg, cancel), self._done, streaming=False, uses_model=False)
        self.handle = op.failure(self._failed).run_in_background()

    def stop(self) -> None:
        """Abandon a running check (the dialog is closing)."""
        if self.handle is not None:
            self.handle.cancel()
        if self._own_runner:
            self.runner.shutdown(wait=False)

    def _done(self, report: CheckReport) -> None:
        self._show(report.text(), report.ok)

    def _failed(self, error: BaseException) -> None:
        log.warning("connection test failed: %s", type(error).__name__)
        text = error.render() if isinstance(error, HKPilotError) else type(error).__name__
        self._show(self.tr("The test could not run: {error}").format(error=text), False)

    def _show(self, text: str, ok: bool) -> None:
        if not shiboken6.isValid(self.output):  # the dialog closed while the check ran
            return
        self.button.setEnabled(True)
        self.output.setPlainText(text)
        self.output.show()
        self.checked.emit(ok)
