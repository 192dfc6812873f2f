"""Every string a person sees changes in zh-HK; the .ts is complete and matches the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QWidget,
)

from hkpilot.gui.crash import CrashDialog
from hkpilot.gui.main_window import MainWindow
from hkpilot.gui.widgets import AUTONYM_PROPERTY, DATA_PROPERTY
from hkpilot.resources import translations_dir

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
TS = translations_dir() / "hkpilot_zh_HK.ts"

ALLOWED = re.compile(r"^(HKPilot|API|URL|GGUF|Ctrl\+\w+|Esc|\.(docx|pdf|xlsx|txt)|[\d\s.,:%/()–-]*)$")
"""Texts that may stay the same in Chinese: proper nouns, numbers, keys, file extensions."""

Texts = dict[tuple[int, str], str]


def _key(obj: QObject, what: str) -> tuple[int, str]:
    return (int(shiboken6.getCppPointer(obj)[0]), what)


def ui_texts(root: QWidget) -> Texts:
    """Every user-visible string under ``root``: labels, buttons, tabs, menus, actions, tips..."""
    found: Texts = {}

    def add(obj: QObject, what: str, text: str) -> None:
        if text and text.strip():
            found[_key(obj, what)] = text

    for w in [root, *root.findChildren(QWidget)]:
        if w.property(DATA_PROPERTY) or w.property(AUTONYM_PROPERTY):
            continue
        add(w, "toolTip", w.toolTip())
        add(w, "accessibleName", w.accessibleName())
        add(w, "statusTip", w.statusTip())
        if w.isWindow():
            add(w, "windowTitle", w.windowTitle())
        if isinstance(w, QLabel):
            add(w, "text", w.text())
        elif isinstance(w, QAbstractButton):
            add(w, "text", w.text())
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, QMenu):
            add(w, "title", w.title())
        elif isinstance(w, QProgressBar):
            add(w, "format", w.format())
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            add(w, "placeholder", w.placeholderText())
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, f"tab{i}", w.tabText(i))
                add(w, f"tabTip{i}", w.tabToolTip(i))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item{i}", w.itemText(i))
    for action in root.findChildren(QAction):
        if action.property(AUTONYM_PROPERTY) or action.isSeparator():
            continue
        add(action, "text", action.text())
        add(action, "toolTip", action.toolTip())
    return found


def untranslated(english: Texts, chinese: Texts) -> list[str]:
    """Strings that are the same in both languages and are not on the allow-list."""
    same = []
    for key, text in english.items():
        if chinese.get(key) == text and not ALLOWED.match(text.replace("&", "").strip()):
            same.append(text)
    return same


def switch(qtbot, window: MainWindow, lang: str, tab_zero: str) -> None:  # type: ignore[no-untyped-def]
    window.switch_language(lang)
    qtbot.waitUntil(lambda: window.tabs.tabText(0) == tab_zero, timeout=3000)
    qtbot.wait(50)  # let every posted LanguageChange arrive


def test_every_visible_string_is_translated(qtbot, window: MainWindow, sample_docx: Path) -> None:
    window.translate_pane.open_path(sample_docx)
    qtbot.waitUntil(lambda: window.translate_pane.document is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.translate_pane.meter.fit is not None, timeout=5000)  # the context meter's line
    window.show_message("info", "x")
    english = ui_texts(window)
    assert len(english) > 100, "the walk should find the whole window"
    switch(qtbot, window, "zh-HK", "草擬")
    chinese = ui_texts(window)
    assert untranslated(english, chinese) == []
    assert set(english) <= set(chinese), "no string should disappear in Chinese"
    switch(qtbot, window, "en", "Draft")
    assert ui_texts(window) == english, "switching back restores every English string"


def test_dialogs_are_translated_too(qtbot, window: MainWindow) -> None:
    from hkpilot.app.work_meter import ContextFit
    from hkpilot.gui.context_meter import ask_when_too_long

    dialog = window.open_settings()
    crash = CrashDialog("details", saved_to="/tmp/recovery", parent=window)
    qtbot.addWidget(crash)
    manager = window.extras.open_model_manager()
    qtbot.waitUntil(lambda: manager.snapshot is not None, timeout=10_000)
    shortcuts = window.extras.show_shortcuts()
    about = window.show_about()
    bilingual = window.quality_tools.open_dialog()
    dialogs = (dialog, crash, manager, shortcuts, about, bilingual)
    english = {k: v for d in dialogs for k, v in ui_texts(d).items()}
    assert len(english) > 70 and all(ui_texts(d) for d in dialogs)
    switch(qtbot, window, "zh-HK", "草擬")
    chinese = {k: v for d in dialogs for k, v in ui_texts(d).items()}
    assert untranslated(english, chinese) == []
    question = ask_when_too_long(window, ContextFit(9000, 3000, 4096, True, True), "summarise", lambda _c: None)
    texts = [question.windowTitle(), question.text(), *(b.text() for b in question.buttons())]
    assert all(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts  # Qt's own Cancel too (qtbase_zh_TW)
    for d in (dialog, manager, shortcuts, question, about, bilingual):
        d.reject()


def visible_texts(dialog: QWidget) -> list[str]:
    """The words a person reads in ``dialog``: title, labels, buttons (text or tip), headers, filters."""
    texts = [dialog.windowTitle()]
    for w in dialog.findChildren(QWidget):
        if not w.isVisibleTo(dialog):
            continue
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text() or w.toolTip())
        if isinstance(w, QComboBox) and w.objectName() == "fileTypeCombo":
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QHeaderView):
            model = w.model()
            texts += [str(model.headerData(i, w.orientation())) for i in range(model.columnCount())] if model else []
    return [t for t in texts if t.strip()]


def answer_modal(qtbot, seen: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    """When a modal dialog is up, note its visible texts and close it with Esc."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, look)
            return
        if isinstance(dialog, QFileDialog):
            dialog.setViewMode(QFileDialog.ViewMode.Detail)  # shows the column headers too
        QApplication.processEvents()
        seen.append(visible_texts(dialog))
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(50, look)


def test_qt_own_dialogs_are_in_chinese(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Qt ships no zh_HK catalogue: qtbase_zh_TW is loaded, and HKPilot's own fills its gaps."""
    from hkpilot.gui import file_dialogs

    switch(qtbot, window, "zh-HK", "草擬")
    loaded = [Path(t.filePath()).name for t in window.language._translators]
    assert loaded == ["qtbase_zh_TW.qm", "hkpilot_zh_HK.qm"]  # HKPilot's last: Qt asks it first
    seen: list[list[str]] = []
    existing = tmp_path / "notice.docx"
    existing.write_bytes(b"")
    for ask in (lambda: file_dialogs.ask_open_documents(window),
                lambda: file_dialogs.ask_save_path(window, tmp_path / "out.docx"),
                lambda: file_dialogs.ask_folder(window),
                lambda: file_dialogs.confirm_replace(window, existing)):
        answer_modal(qtbot, seen)
        assert not ask()  # Esc is Cancel
    assert len(seen) == 4
    file_dialog, message_box = seen[1], seen[3]
    assert {"儲存(&S)", "取消", "檔名(&N)：", "位置(&L)：", "檔案類型(&T)：", "名稱", "修改日期"} <= set(file_dialog), file_dialog
    assert {"是(&Y)", "否(&N)"} <= set(message_box), message_box
    for texts in seen:  # every title, label, button, tip, header and filter: none left in English only
        assert [t for t in texts if not re.search(r"[\u4e00-\u9fff]", t)] == [], texts


def test_ts_has_no_unfinished_or_obsolete_messages() -> None:
    root = ET.parse(TS).getroot()
    assert root.get("language") == "zh_HK"
    messages = list(root.iter("message"))
    assert len(messages) > 100
    for message in messages:
        translation = message.find("translation")
        source = message.findtext("source")
        assert translation is not None and translation.get("type") is None, source
        assert (translation.text or "").strip(), source
        for field in re.findall(r"\{\w+", source or ""):
            assert field in (translation.text or ""), f"{source!r} lost the field {field}"


def test_ts_uses_hong_kong_wording() -> None:
    text = TS.read_text(encoding="utf-8")
    translations = " ".join(re.findall(r"<translation>(.*?)</translation>", text, flags=re.S))
    for mainland_or_simplified in ("保存", "设置", "文件夹", "软件", "打开", "帮助", "退出", "语言", "翻译", "设定", "信息"):
        assert mainland_or_simplified not in translations, mainland_or_simplified
    for hong_kong in ("檔案", "儲存", "設定", "開啟", "翻譯", "摘要", "草擬", "語言", "說明", "結束"):
        assert hong_kong in translations, hong_kong


@pytest.mark.skipif(shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) is None,
                    reason="pyside6-lupdate not installed")
def test_ts_matches_the_code(tmp_path: Path) -> None:
    """Running lupdate finds no string that the .ts does not already hold."""
    copy = tmp_path / "check.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "hkpilot" / "gui").glob("*.py"))
    lupdate = str(Path(sys.executable).parent / "pyside6-lupdate")
    out = subprocess.run([lupdate, "-no-obsolete", *sources, "-ts", str(copy)], capture_output=True, text=True,
                         check=True).stdout
    assert "0 new" in out, out
    assert 'type="unfinished"' not in copy.read_text(encoding="utf-8"), "run tools/qt_translations.py update"
