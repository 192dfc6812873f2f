"""Engine settings, built from the ``OPTIONS`` table; keys the policy locks are greyed.

Option labels are core strings (``N_`` in ``config/schema.py``), so they are shown
through the core gettext catalogue; everything else here goes through ``self.tr()``.
The API key goes to the OS keyring through ``config.secrets``, never to the settings file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hkpilot.config import secrets
from hkpilot.config.schema import OPTIONS, Option
from hkpilot.errors import HKPilotError
from hkpilot.gui import file_dialogs
from hkpilot.gui.connection_test import ConnectionTest
from hkpilot.gui.jobs import JobRunner
from hkpilot.gui.language import AUTONYMS
from hkpilot.gui.session_api import SessionLike
from hkpilot.gui.widgets import Retranslating, mark_autonym
from hkpilot.i18n import gettext

if TYPE_CHECKING:
    from hkpilot.engines.http_client import ServerConfig

log = logging.getLogger(__name__)

CORE_LABEL_PROPERTY = "hkpilotCoreCatalogue"
"""Dynamic property on labels translated by the core gettext catalogue, not by Qt."""

SECTIONS = (
    ("ui", QT_TRANSLATE_NOOP("SettingsDialog", "Interface")),
    ("engine", QT_TRANSLATE_NOOP("SettingsDialog", "Engine")),
    ("local", QT_TRANSLATE_NOOP("SettingsDialog", "Model on this computer")),
    ("server", QT_TRANSLATE_NOOP("SettingsDialog", "Departmental server")),
    ("generation", QT_TRANSLATE_NOOP("SettingsDialog", "Text generation")),
    ("history", QT_TRANSLATE_NOOP("SettingsDialog", "History")),
)
CHOICE_NAMES = {
    ("ui.language", ""): QT_TRANSLATE_NOOP("SettingsDialog", "Same as the system"),
    ("engine.kind", "local"): QT_TRANSLATE_NOOP("SettingsDialog", "On this computer"),
    ("engine.kind", "server"): QT_TRANSLATE_NOOP("SettingsDialog", "Departmental server"),
}
MODEL_PATH_KEY = "local.model_path"
SERVER_URL_KEY = "server.url"
INT_LIMIT = 2**31 - 1


def _section_of(option: Option) -> str:
    return option.key.partition(".")[0]


class SettingsDialog(Retranslating, QDialog):
    """Edit the options of ``OPTIONS``; on OK save them and drop the loaded engine."""

    def __init__(self, session: SessionLike, parent: QWidget | None = None, runner: JobRunner | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = session.settings
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.group_boxes: dict[str, QGroupBox] = {}
        self.keyring_unavailable = False
        self.language_before = str(self.settings.get("ui.language"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        # The sections scroll: on a 1366x768 laptop the whole table is taller than the screen.
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        sections = QWidget(self.scroll_area)
        sections_layout = QVBoxLayout(sections)
        sections_layout.setContentsMargins(0, 0, 6, 0)
        self.scroll_area.setWidget(sections)
        layout.addWidget(self.scroll_area, 1)
        forms: dict[str, QFormLayout] = {}
        for section, _title in SECTIONS:
            box = QGroupBox(sections)
            self.group_boxes[section] = box
            forms[section] = QFormLayout(box)
            sections_layout.addWidget(box)
        for option in OPTIONS:
            form = forms.get(_section_of(option)) or forms["generation"]
            label = QLabel(self)
            label.setProperty(CORE_LABEL_PROPERTY, True)
            editor = self._make_editor(option)
            self.labels[option.key], self.editors[option.key] = label, editor
            label.setBuddy(editor.findChild(QLineEdit) or editor)
            form.addRow(label, editor)
            if self.settings.is_locked(option.key):
                editor.setEnabled(False)
                label.setEnabled(False)
        self.api_key_label = QLabel(self)
        self.api_key_edit = QLineEdit(self)
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_label.setBuddy(self.api_key_edit)
        forms["server"].addRow(self.api_key_label, self.api_key_edit)
        self.connection_test = ConnectionTest(self.server_config, runner, self)  # checks the values shown, unsaved
        forms["server"].addRow(self.connection_test)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#a00000;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        hint, screen = sections.sizeHint(), self.screen().availableGeometry()
        self.resize(max(640, hint.width() + 40), min(hint.height() + 110, int(screen.height() * 0.85)))

    # --- building -------------------------------------------------------------------
    def _make_editor(self, option: Option) -> QWidget:
        value = self.settings.get(option.key)
        if option.choices:
            combo = QComboBox(self)
            for choice in option.choices:
                combo.addItem(AUTONYMS.get(choice, choice), choice)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            if option.key == "ui.language":
                mark_autonym(combo)
            return combo
        if option.type is bool:
            check = QCheckBox(self)
            check.setChecked(bool(value))
            return check
        if option.type is int:
            spin = QSpinBox(self)
            spin.setRange(int(option.minimum if option.minimum is not None else -INT_LIMIT),
                          int(option.maximum if option.maximum is not None else INT_LIMIT))
            spin.setValue(int(value))
            return spin
        if option.type is float:
            dspin = QDoubleSpinBox(self)
            dspin.setDecimals(2 if (option.maximum or 0) <= 10 else 1)
            dspin.setRange(float(option.minimum if option.minimum is not None else -1e9),
                           float(option.maximum if option.maximum is not None else 1e9))
            dspin.setSingleStep(0.1 if (option.maximum or 0) <= 10 else 1.0)
            dspin.setValue(float(value))
            return dspin
        line = QLineEdit(str(value), self)
        if option.key != MODEL_PATH_KEY:
            return line
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(line, 1)
        self.browse_button = QToolButton(holder)
        self.browse_button.clicked.connect(lambda: self._choose_model(line))
        row.addWidget(self.browse_button)
        return holder

    def _choose_model(self, line: QLineEdit) -> None:
        path = file_dialogs.ask_model_file(self, line.text())
        if path is not None:
            line.setText(str(path))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Engine settings"))
        for section, title in SECTIONS:
            self.group_boxes[section].setTitle(QCoreApplication.translate("SettingsDialog", str(title)))
        for option in OPTIONS:
            label_text = gettext(option.label)
            self.labels[option.key].setText(self.tr("{label}:").format(label=label_text))
            editor = self.editors[option.key]
            editor.setAccessibleName(label_text)
            inner = editor.findChild(QLineEdit)  # the model path's line edit sits in a holder with its button
            if inner is not None:
                inner.setAccessibleName(label_text)
            locked = self.settings.is_locked(option.key)
            tip = self.tr("Set by your administrator") if locked else ""
            editor.setToolTip(tip)
            self.labels[option.key].setToolTip(tip)
            if isinstance(editor, QComboBox):
                for index, choice in enumerate(option.choices):
                    name = CHOICE_NAMES.get((option.key, choice))  # autonyms and codes stay as they are
                    if name is not None:
                        editor.setItemText(index, QCoreApplication.translate("SettingsDialog", str(name)))
        if hasattr(self, "browse_button"):
            self.browse_button.setText(self.tr("Browse…"))
            self.browse_button.setAccessibleName(self.tr("Choose a model file"))
            self.browse_button.setToolTip(self.tr("Choose a model file"))
        self.connection_test.retranslate_ui()
        self.scroll_area.setAccessibleName(self.tr("Settings"))
        self.api_key_label.setText(self.tr("API key:"))
        self.api_key_edit.setAccessibleName(self.tr("API key"))
        url = str(self.settings.get(SERVER_URL_KEY))
        stored = bool(url) and secrets.get_api_key(url) is not None
        self.api_key_edit.setPlaceholderText(
            self.tr("A key is stored; type a new one to replace it") if stored
            else self.tr("Kept in the system keyring, never in the settings file")
        )

    # --- reading back --------------------------------------------------------------
    def value_of(self, key: str) -> Any:
        """The value the editor for ``key`` holds now."""
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox | QDoubleSpinBox):
            return editor.value()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        line = editor.findChild(QLineEdit)
        return line.text().strip() if line is not None else ""

    def server_config(self) -> ServerConfig:
        """The server settings as the editors show them now, with the key typed (if any)."""
        from hkpilot.engines.http_client import SERVER_KEYS, config_from_values

        values = {key: self.value_of(key) for key in SERVER_KEYS}
        return config_from_values(values, self.settings.policy.extra, api_key=self.api_key_edit.text().strip() or None)

    def done(self, result: int) -> None:
        self.connection_test.stop()
        super().done(result)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def accept(self) -> None:
        """Check, store and save; stay open with a message when something is wrong."""
        try:
            for option in OPTIONS:
                if self.settings.is_locked(option.key):
                    continue
                value = self.value_of(option.key)
                if value != self.settings.get(option.key):
                    self.settings.set(option.key, value)
            key = self.api_key_edit.text().strip()
            url = str(self.settings.get(SERVER_URL_KEY))
            if key and not url:
                self.show_error(self.tr("Enter the server URL before the API key."))
                return
            self.settings.save()
        except HKPilotError as exc:
            self.show_error(exc.render())
            return
        except OSError as exc:
            self.show_error(self.tr("The settings could not be saved: {error}").format(error=exc.strerror or exc))
            return
        if key:
            try:
                secrets.set_api_key(url, key)
            except secrets.KeyringUnavailable:
                self.keyring_unavailable = True  # the window says so, without blocking
            self.api_key_edit.clear()
        self.session.reset_engine()
        super().accept()

    @property
    def language_changed(self) -> bool:
        return str(self.settings.get("ui.language")) != self.language_before
