"""The batch as a table: each file's status, blocks done, share read, time and output.

At the end of a batch it is the summary table; Enter (or a double click) on a finished
row opens its output with the system's program.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from hkpilot.app.batch import DONE, FAILED, PENDING, RUNNING, BatchQueue
from hkpilot.app.work_meter import format_duration
from hkpilot.gui.widgets import Retranslating

STATUS_NAMES = {
    PENDING: QT_TRANSLATE_NOOP("BatchPane", "Waiting"),
    RUNNING: QT_TRANSLATE_NOOP("BatchPane", "Working…"),
    DONE: QT_TRANSLATE_NOOP("BatchPane", "Done"),
    FAILED: QT_TRANSLATE_NOOP("BatchPane", "Failed"),
}
COLUMNS = (QT_TRANSLATE_NOOP("BatchPane", "File"), QT_TRANSLATE_NOOP("BatchPane", "Status"),
           QT_TRANSLATE_NOOP("BatchPane", "Blocks"), QT_TRANSLATE_NOOP("BatchPane", "Read"),
           QT_TRANSLATE_NOOP("BatchPane", "Time"), QT_TRANSLATE_NOOP("BatchPane", "Output"))


def tr_batch(text: object) -> str:
    """The Batch tab's strings share one context, whichever widget shows them."""
    return QCoreApplication.translate("BatchPane", str(text))


class BatchTable(Retranslating, QTableWidget):
    """Shows a BatchQueue; ``refresh_row`` after each progress step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.queue: BatchQueue | None = None
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        for column in (0, 5):
            self.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.cellActivated.connect(self.open_output_of_row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setHorizontalHeaderLabels([tr_batch(c) for c in COLUMNS])
        self.setAccessibleName(QCoreApplication.translate("BatchPane", "Files in the batch"))
        self.setAccessibleDescription(QCoreApplication.translate(
            "BatchPane", "Each file's status and output; press Enter to open an output"))
        if self.queue is not None:
            self.show_queue(self.queue)

    def show_queue(self, queue: BatchQueue) -> None:
        self.queue = queue
        if self.rowCount() != len(queue.items):
            self.setRowCount(len(queue.items))
        for row in range(len(queue.items)):
            self.refresh_row(row)

    def refresh_row(self, row: int) -> None:
        if self.queue is None or not 0 <= row < len(self.queue.items):
            return
        item = self.queue.items[row]
        cells = (
            item.name,
            tr_batch(STATUS_NAMES.get(item.status, item.status)),
            f"{item.blocks_done}/{item.blocks_total}" if item.blocks_total else "",
            f"{round(item.coverage * 100)}%" if item.coverage is not None else "",
            format_duration(item.seconds) if item.seconds else "",
            Path(item.output).name if item.output else item.error,
        )
        for col, text in enumerate(cells):
            cell = self.item(row, col)
            if cell is None:
                cell = QTableWidgetItem()
                self.setItem(row, col, cell)
            cell.setText(text)
            if col in (0, 5):
                cell.setToolTip(item.path if col == 0 else item.output or item.error)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectedIndexes()})

    def open_output_of_row(self, row: int, _column: int = 0) -> None:
        """Open a finished file's output with the system's program (Enter or double-click)."""
        if self.queue is not None and 0 <= row < len(self.queue.items) and self.queue.items[row].output:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.queue.items[row].output))
