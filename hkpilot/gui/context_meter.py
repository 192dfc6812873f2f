"""The context meter: a document's tokens against what the model can read at once.

Shown before running, so a document that does not fit is no surprise: the tokens are
counted with the loaded model's own tokenizer, or estimated (marked "≈") while no model
is loaded. The counting runs off the GUI thread; ``ask_when_too_long`` offers the clear
choice when a whole-document task does not fit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from hkpilot.app.work_meter import ContextFit, configured_window, context_fit
from hkpilot.gui.jobs import JobRunner

log = logging.getLogger(__name__)



def _measure(session: Any, task: str, text: str, length: str) -> ContextFit:
    """Worker side: the model's count when it is loaded, else an estimate."""
    if getattr(session, "engine_loaded", False):
        engine = session.engine()
        return context_fit(task, text, engine.info().context_window, length, count=engine.count_tokens)
    return context_fit(task, text, configured_window(session.settings), length)


class ContextMeter(QWidget):
    """A small bar and a line: "≈ 1,200 of 7,300 tokens — fits".

    Signals:
        measured(object): a new ContextFit.
    """

    measured = Signal(object)

    def __init__(self, session: Any, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.fit: ContextFit | None = None
        self._generation = 0
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFormat("")  # a gauge only: the line beside it says the figures
        self.bar.setFixedWidth(70)
        self.bar.setFixedHeight(10)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.setVisible(False)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.bar.setAccessibleName(self.tr("Share of the model's context"))
        self.setToolTip(self.tr("How much of the model's context the document takes (Model manager: Ctrl+M)"))
        self.show_fit()

    def measure(self, task: str, text: str, length: str = "medium") -> None:
        """Count ``text`` for ``task`` in the background, then show it."""
        if not text.strip():
            self.fit = None
            self.setVisible(False)
            return
        self._generation += 1
        generation = self._generation
        uses_model = bool(getattr(self.session, "engine_loaded", False))

        def done(fit: ContextFit) -> None:
            if shiboken6.isValid(self) and generation == self._generation:  # closed, or superseded
                self.fit = fit
                self.show_fit()
                self.measured.emit(fit)

        self.runner.call(lambda: _measure(self.session, task, text, length), done,
                         lambda e: log.info("context not measured: %s", type(e).__name__), uses_model=uses_model)

    def show_fit(self) -> None:
        fit = self.fit
        if fit is None:
            self.label.setText("")
            return
        self.setVisible(True)
        tokens = f"{'' if fit.exact else '≈ '}{fit.tokens:,}"
        if not fit.known:
            text = self.tr("{tokens} tokens; the model's context is not known").format(tokens=tokens)
        elif not fit.whole:
            text = self.tr("{tokens} tokens, read block by block").format(tokens=tokens)
        elif fit.fits:
            text = self.tr("{tokens} of {budget:,} tokens: fits").format(tokens=tokens, budget=fit.budget)
        else:
            text = self.tr("{tokens} of {budget:,} tokens: too long for one pass").format(tokens=tokens, budget=fit.budget)
        self.label.setText(text)
        self.bar.setValue(min(int(fit.share * 100), 100) if fit.known else 0)
        self.bar.setAccessibleDescription(text)
        self.label.setAccessibleName(text)


CHOICE_PARTS, CHOICE_LARGER, CHOICE_CANCEL = "parts", "larger", "cancel"


def ask_when_too_long(parent: QWidget, fit: ContextFit, task: str, answer: Callable[[str], None]) -> QMessageBox:
    """Offer: go on in parts (or with what fits), use a larger context, or cancel (non-blocking)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle(QCoreApplication.translate("ContextMeter", "The document is longer than the model's context"))
    if task == "summarise":
        text = QCoreApplication.translate(
            "ContextMeter", "The document has about {tokens:,} tokens; the model can read {budget:,} at once.\n\n"
            "HKPilot can summarise it in parts and then combine them: every part is read, "
            "it takes longer. Or choose a model or context size that fits.")
        go = QPushButton(QCoreApplication.translate("ContextMeter", "Summarise in parts"), box)
    else:
        text = QCoreApplication.translate(
            "ContextMeter", "The reference files have about {tokens:,} tokens; the model can read {budget:,} "
            "with the key points.\n\nHKPilot can use only what fits (it will say how much), "
            "or you can choose a model or context size that fits.")
        go = QPushButton(QCoreApplication.translate("ContextMeter", "Use what fits"), box)
    box.setText(text.format(tokens=fit.tokens, budget=fit.budget))
    larger = QPushButton(QCoreApplication.translate("ContextMeter", "Choose a larger context…"), box)
    box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(larger, QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    choices = {go: CHOICE_PARTS, larger: CHOICE_LARGER}
    box.buttonClicked.connect(lambda button: answer(choices.get(button, CHOICE_CANCEL)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
