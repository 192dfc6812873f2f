"""The opened document's security level: shows the marking found, lets the person raise it.

The levels and the rules are the core's (``app/classification.py`` through the session's
``guard``): every level of the scheme is listed, lowest first; levels below the marking
found are greyed unless the policy key ``classification_allow_lower`` is true, and the
core refuses them anyway. The level chosen is the one the next job is checked against
and the one the History tab records. A session without a guard (a test's stand-in)
shows nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from hkpilot.errors import HKPilotError
from hkpilot.gui.widgets import Retranslating, plain_tooltip


class LevelChooser(Retranslating, QWidget):
    """A "Security level" combo for one document.

    Signals:
        level_changed(str): the person set another level (its display text).
        refused(str): the core refused the choice (plain text for the message bar).
    """

    level_changed = Signal(str)
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Any = None
        self.document: Any = None
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label.setBuddy(self.combo)
        self.combo.activated.connect(self._chosen)  # the person's choice only, never a refill
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.combo)
        self.setVisible(False)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.label.setText(QCoreApplication.translate("LevelChooser", "Security &level:"))
        self.combo.setAccessibleName(QCoreApplication.translate("LevelChooser", "Security level"))
        self.combo.setAccessibleDescription(QCoreApplication.translate(
            "LevelChooser", "The document's security marking; you may raise it. Engines not cleared for the level "
            "never receive the document."))
        self._fill()  # level names follow the language (Chinese form first in Chinese)

    # -- state ------------------------------------------------------------------------------

    @property
    def guard(self) -> Any:
        return getattr(self.session, "guard", None)

    def show_document(self, session: Any, document: Any) -> None:
        """Show ``document``'s level (None: hide)."""
        self.session, self.document = session, document
        self._fill()

    def current_level(self) -> str:
        """The level name chosen ("" when nothing is shown)."""
        return str(self.combo.currentData() or "") if self.guard is not None and self.document is not None else ""

    def _fill(self) -> None:
        guard = self.guard
        if guard is None or self.document is None:
            self.combo.clear()
            self.setVisible(False)
            return
        detected = guard.detected_level(self.document)
        current = guard.level_of(self.document)
        may_lower = bool(guard.policy.allow_lower)
        self.combo.blockSignals(True)
        self.combo.clear()
        model = self.combo.model()
        for row, level in enumerate(guard.scheme.levels):
            text = level.display()
            if level.rank == detected.rank and detected.rank:
                text = QCoreApplication.translate("LevelChooser", "{level} (marked on the document)").format(level=text)
            self.combo.addItem(text, level.name)
            if level.rank < detected.rank and not may_lower and isinstance(model, QStandardItemModel):
                item = model.item(row)
                if item is not None:
                    item.setEnabled(False)  # lowering a marking found needs the administrator's leave
                    item.setToolTip(plain_tooltip(QCoreApplication.translate(
                        "LevelChooser", "Your administrator does not allow a level below the marking found.")))
        self.combo.setCurrentIndex(max(self.combo.findData(current.name), 0))
        self.combo.blockSignals(False)
        self.combo.setToolTip(plain_tooltip(current.display()))
        self.setVisible(True)

    def _chosen(self, index: int) -> None:
        name = str(self.combo.itemData(index) or "")
        if not name or self.document is None or self.session is None:
            return
        try:
            shown = self.session.set_classification(self.document, name)
        except HKPilotError as exc:  # lowering without leave: the core's rule, said in its words
            self._fill()
            self.refused.emit(exc.render())
            return
        self._fill()
        self.level_changed.emit(str(shown))
