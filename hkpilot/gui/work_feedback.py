"""The line beside a pane's progress bar: time left while working, what was done after.

Fed by the job's Progress events; the figures come from ``app/work_meter.py`` so the
CLI and the window reckon alike. Screen readers hear the final line (an accessible
announcement where Qt offers one).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from hkpilot.app.work_meter import format_duration, remaining_seconds


class WorkFeedback(QLabel):
    """Shows "about 1:20 left" while a job runs and a one-line account when it ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.done = self.total = 0
        self.coverage: float | None = None
        self._started = 0.0
        self._ended = ""  # the outcome once the job ended
        self.running = False
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Work progress"))
        self.refresh()

    def elapsed(self) -> float:
        return time.monotonic() - self._started if self._started else 0.0

    def start(self) -> None:
        self.done = self.total = 0
        self.coverage = None
        self._started = time.monotonic()
        self.running = True
        self._ended = ""
        self._tick.start()
        self.refresh()

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.refresh()

    def finish(self, outcome: str, coverage: float | None = None) -> None:
        self.running = False
        self._tick.stop()
        self.coverage = coverage
        self._ended = outcome
        self.refresh()
        announce(self, self.text())

    def clear(self) -> None:
        self._started = 0.0
        self.running = False
        self._ended = ""
        self.setText("")

    def refresh(self) -> None:
        if not self._started:
            self.setText("")
            return
        elapsed = self.elapsed()
        if self.running:
            left = remaining_seconds(self.done, self.total, elapsed)
            if left is None:
                self.setText(self.tr("Working… {elapsed}").format(elapsed=format_duration(elapsed)))
            else:
                self.setText(self.tr("About {left} left").format(left=format_duration(left)))
            return
        parts = []
        if self._ended == "cancelled":
            parts.append(self.tr("Stopped after {elapsed}").format(elapsed=format_duration(elapsed)))
        elif self._ended == "failed":
            parts.append(self.tr("Ended with an error after {elapsed}").format(elapsed=format_duration(elapsed)))
        else:
            parts.append(self.tr("Finished in {elapsed}").format(elapsed=format_duration(elapsed)))
        if self.total > 0:
            parts.append(self.tr("{done} of {total} blocks").format(done=self.done, total=self.total))
        if self.coverage is not None:
            parts.append(self.tr("{percent}% of the document read").format(percent=round(self.coverage * 100)))
        self.setText(" · ".join(parts))



def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` (Qt 6.8+), without moving the focus."""
    if not text:
        return
    try:
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
    except (ImportError, AttributeError, TypeError):
        pass
