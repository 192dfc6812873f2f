"""The settings dialog: built from OPTIONS, policy locks greyed, API key to the keyring only."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from hkpilot import paths
from hkpilot.config import secrets
from hkpilot.config.schema import OPTIONS
from hkpilot.config.settings import Settings
from hkpilot.gui.main_window import MainWindow
from hkpilot.gui.settings_dialog import SettingsDialog
from tests.gui.fake_session import FakeSession

pytestmark = pytest.mark.gui


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def _clean_keys(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(secrets, "_session_keys", {})
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def make_dialog(qtbot, session: FakeSession | None = None) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(session or FakeSession())
    qtbot.addWidget(dialog)
    return dialog


def test_one_editor_per_option_of_the_right_kind(qtbot) -> None:
    dialog = make_dialog(qtbot)
    assert set(dialog.editors) == {o.key for o in OPTIONS}
    for option in OPTIONS:
        editor = dialog.editors[option.key]
        if option.choices:
            assert isinstance(editor, QComboBox)
        elif option.type is int:
            assert isinstance(editor, QSpinBox)
            assert editor.minimum() == option.minimum and editor.maximum() == option.maximum
        elif option.type is float:
            assert isinstance(editor, QDoubleSpinBox)
            assert editor.minimum() == option.minimum and editor.maximum() == option.maximum
        elif option.type is bool:
            assert isinstance(editor, QCheckBox)
        elif option.key == "local.model_path":
            assert editor.findChild(QLineEdit) is not None and dialog.browse_button.text()
        else:
            assert isinstance(editor, QLineEdit)
    assert dialog.api_key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_policy_locked_key_is_greyed_with_a_tooltip(qtbot, _gui_env: Path) -> None:
    _gui_env.mkdir(parents=True, exist_ok=True)
    (_gui_env / "policy.toml").write_text('[locked]\n"engine.kind" = "server"\n', encoding="utf-8")
    assert paths.policy_files() == [_gui_env / "policy.toml"]
    dialog = make_dialog(qtbot)
    editor = dialog.editors["engine.kind"]
    assert not editor.isEnabled()
    assert editor.toolTip() == "Set by your administrator"
    assert isinstance(editor, QComboBox) and editor.currentData() == "server"
    assert dialog.editors["local.n_ctx"].isEnabled()
    assert dialog.editors["local.n_ctx"].toolTip() == ""


def test_ok_saves_changed_values_and_resets_the_engine(qtbot) -> None:
    session = FakeSession()
    dialog = make_dialog(qtbot, session)
    n_ctx = dialog.editors["local.n_ctx"]
    kind = dialog.editors["engine.kind"]
    assert isinstance(n_ctx, QSpinBox) and isinstance(kind, QComboBox)
    n_ctx.setValue(4096)
    kind.setCurrentIndex(kind.findData("server"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert session.reset_count == 1
    fresh = Settings()
    assert fresh.get("local.n_ctx") == 4096 and fresh.get("engine.kind") == "server"


def test_api_key_without_a_keyring_is_kept_for_the_session_only(qtbot) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    session = FakeSession()
    window = MainWindow(session)
    qtbot.addWidget(window)
    dialog = window.open_settings()
    url = dialog.editors["server.url"]
    assert isinstance(url, QLineEdit)
    url.setText("http://127.0.0.1:8080/v1")
    dialog.api_key_edit.setText("sk-test-secret")
    dialog.accept()
    assert dialog.keyring_unavailable
    assert window.message_bar.level == "warning"
    assert "this session only" in window.message_bar.text
    assert secrets.get_api_key("http://127.0.0.1:8080/v1") == "sk-test-secret"
    assert "sk-test-secret" not in paths.settings_file().read_text(encoding="utf-8")


def test_api_key_goes_to_the_keyring(qtbot) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    dialog = make_dialog(qtbot)
    url = dialog.editors["server.url"]
    assert isinstance(url, QLineEdit)
    url.setText("http://127.0.0.1:9000/v1")
    dialog.api_key_edit.setText("sk-kept")
    dialog.accept()
    assert not dialog.keyring_unavailable
    assert backend.store == {("hkpilot", "http://127.0.0.1:9000/v1"): "sk-kept"}
    assert "sk-kept" not in paths.settings_file().read_text(encoding="utf-8")
    again = make_dialog(qtbot)
    assert again.api_key_edit.text() == ""
    assert "stored" in again.api_key_edit.placeholderText()


def test_api_key_needs_a_server_url(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.api_key_edit.setText("sk-orphan")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.error_label.isVisible() and "server URL" in dialog.error_label.text()


def test_language_chosen_in_the_dialog_applies_at_once(qtbot, window: MainWindow) -> None:
    dialog = window.open_settings()
    combo = dialog.editors["ui.language"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("zh-HK"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == "草擬", timeout=3000)
    assert window.language_actions["zh-HK"].isChecked()
