"""The Batch tab's first row: the task (translate or summarise) and its choices.

The choices are fixed once a batch has begun (its finished files were made with them);
``set_locked`` greys them and says why.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from hkpilot.gui.language import AUTONYMS, CHINESE_HK, ENGLISH
from hkpilot.gui.summarise_pane import LENGTHS
from hkpilot.gui.translate_pane import LAYOUTS, TARGETS
from hkpilot.gui.widgets import Retranslating, mark_autonym

TASKS = (("translate", QT_TRANSLATE_NOOP("BatchPane", "Translate")),
         ("summarise", QT_TRANSLATE_NOOP("BatchPane", "Summarise")))


def _t(text: object, context: str = "BatchPane") -> str:
    """A name from a QT_TRANSLATE_NOOP table, in the UI language."""
    return QCoreApplication.translate(context, str(text))


def _combo(parent: QWidget, items: tuple[tuple[str, object], ...]) -> QComboBox:
    combo = QComboBox(parent)
    for code, _name in items:
        combo.addItem("", code)
    return combo


class BatchOptions(Retranslating, QWidget):
    """Task and options combos. Signals: changed() when the person picks another choice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task_label, self.task_combo = QLabel(self), _combo(self, TASKS)
        self.target_combo, self.layout_combo = _combo(self, TARGETS), _combo(self, LAYOUTS)
        self.length_combo = _combo(self, LENGTHS)
        self.length_combo.setCurrentIndex(1)
        self.language_combo = QComboBox(self)
        for code in (ENGLISH, CHINESE_HK):
            self.language_combo.addItem(AUTONYMS[code], code)
        mark_autonym(self.language_combo)
        self.options_label = QLabel(self)
        self.task_label.setBuddy(self.task_combo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.task_label, self.task_combo, self.options_label, *self.combos[1:]):
            row.addWidget(w)
        row.addStretch(1)
        for combo in self.combos:
            combo.currentIndexChanged.connect(self._changed)
        self.retranslate_ui()

    @property
    def combos(self) -> tuple[QComboBox, ...]:
        return (self.task_combo, self.target_combo, self.layout_combo, self.length_combo, self.language_combo)

    def retranslate_ui(self) -> None:
        self.task_label.setText(QCoreApplication.translate("BatchPane", "Task:"))
        self.task_combo.setAccessibleName(QCoreApplication.translate("BatchPane", "Batch task"))
        for combo, names, context in ((self.task_combo, TASKS, "BatchPane"), (self.target_combo, TARGETS, "TranslatePane"),
                                      (self.layout_combo, LAYOUTS, "TranslatePane"),
                                      (self.length_combo, LENGTHS, "SummarisePane")):
            for i, (_code, name) in enumerate(names):
                combo.setItemText(i, _t(name, context))
        self.target_combo.setAccessibleName(QCoreApplication.translate("BatchPane", "Target language"))
        self.layout_combo.setAccessibleName(QCoreApplication.translate("BatchPane", "Output layout"))
        self.length_combo.setAccessibleName(QCoreApplication.translate("BatchPane", "Summary length"))
        self.language_combo.setAccessibleName(QCoreApplication.translate("BatchPane", "Summary language"))
        self._show()

    @property
    def task(self) -> str:
        return str(self.task_combo.currentData())

    def options(self) -> dict[str, str]:
        if self.task == "translate":
            return {"target": str(self.target_combo.currentData()), "layout": str(self.layout_combo.currentData())}
        return {"length": str(self.length_combo.currentData()), "lang": str(self.language_combo.currentData())}

    def load(self, task: str, options: dict[str, str]) -> None:
        """Show a saved batch's task and choices."""
        self.task_combo.setCurrentIndex(max(self.task_combo.findData(task), 0))
        for combo, key in ((self.target_combo, "target"), (self.layout_combo, "layout"),
                           (self.length_combo, "length"), (self.language_combo, "lang")):
            if key in options:
                combo.setCurrentIndex(max(combo.findData(options[key]), 0))
        self._show()

    def set_locked(self, locked: bool) -> None:
        tip = QCoreApplication.translate("BatchPane", "Fixed for this batch; press New batch to change it") if locked else ""
        for combo in self.combos:
            combo.setEnabled(not locked)
            combo.setToolTip(tip)

    def _changed(self) -> None:
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        translate = self.task == "translate"
        into = QCoreApplication.translate("BatchPane", "Into:")
        length = QCoreApplication.translate("BatchPane", "Length and language:")
        self.options_label.setText(into if translate else length)
        self.options_label.setBuddy(self.target_combo if translate else self.length_combo)
        for w in (self.target_combo, self.layout_combo):
            w.setVisible(translate)
        for w in (self.length_combo, self.language_combo):
            w.setVisible(not translate)
