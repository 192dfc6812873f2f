"""Small widgets the panes share: the message bar, plain-text views, drop handling."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QToolButton,
    QWidget,
)

from hkpilot.gui.file_dialogs import dropped_documents

INFO, WARNING, ERROR = "info", "warning", "error"

_LEVEL_STYLES = {
    INFO: "background:#e8f1fb; border:1px solid #9cc2e8; color:#0b3b66;",
    WARNING: "background:#fff6dc; border:1px solid #e6c35c; color:#5c4300;",
    ERROR: "background:#fde8e8; border:1px solid #e39a9a; color:#7a1010;",
}

_DARK_STYLES = {
    INFO: "background:#10304f; border:1px solid #3d6f9e; color:#dcebfa;",
    WARNING: "background:#4a3a05; border:1px solid #a8871f; color:#fff1c7;",
    ERROR: "background:#531616; border:1px solid #b04848; color:#ffe0e0;",
}

DATA_PROPERTY = "hkpilotData"
"""Dynamic property on widgets that show data (file names, engine names), not UI text."""

AUTONYM_PROPERTY = "hkpilotAutonym"
"""Dynamic property on widgets that name languages in their own language (English, 繁體中文)."""


def mark_data(widget: QObject) -> None:
    """Say that ``widget`` shows data, so translation checks leave it alone."""
    widget.setProperty(DATA_PROPERTY, True)


def mark_autonym(widget: QObject) -> None:
    """Say that ``widget`` names languages in their own language."""
    widget.setProperty(AUTONYM_PROPERTY, True)


class Retranslating:
    """Mixin, listed before the Qt base class: ``retranslate_ui()`` runs again on every
    ``LanguageChange`` (a language switch at run time), so each widget only says its strings."""

    def retranslate_ui(self) -> None:
        """Set every visible string again, in the current language."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]  # the Qt base class's, next in the MRO


class MessageBar(Retranslating, QFrame):
    """A non-modal line for errors, warnings and notes; the text is always plain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.level = INFO
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # model and file text is never markup
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mark_data(self.label)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.close_button.setToolTip(self.tr("Dismiss this message"))
        self.close_button.setAccessibleName(self.tr("Dismiss message"))
        self.setAccessibleName(self.tr("Messages"))

    def show_message(self, level: str, text: str) -> None:
        """Show ``text`` (plain) at ``level`` (info, warning or error)."""
        from hkpilot.gui.appearance import dark_palette, high_contrast

        self.level = level
        if high_contrast():  # the theme's own colours, a strong border: nothing of ours lowers the contrast
            style = "border:2px solid palette(window-text);"
        else:
            styles = _DARK_STYLES if dark_palette() else _LEVEL_STYLES
            style = styles.get(level, styles[INFO])
        self.setStyleSheet(f"#messageBar {{{style} border-radius:4px;}}")
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    @property
    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` (a path, a file name) as it is: Qt reads tooltips that look
    like markup as rich text, so the text is escaped inside an explicit rich-text wrapper."""
    return f"<qt>{html.escape(text)}</qt>" if text else ""


def plain_text_view(parent: QWidget | None, read_only: bool) -> QPlainTextEdit:
    """A plain-text box (no markup, no links) for source or model text."""
    view = QPlainTextEdit(parent)
    view.setReadOnly(read_only)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setTabChangesFocus(True)  # Tab moves on, so the window can be walked with the keyboard alone
    return view  # the application's font: the system's size, or the person's ui.text_size


class DocumentDropFilter(QObject):
    """Event filter that takes drops of supported documents and hands their paths on.

    Installed on a pane and on its text views' viewports, so a file dropped anywhere on
    the pane opens it instead of pasting its address into a text box.
    """

    def __init__(self, parent: QObject, on_drop: Callable[[list[Path]], None], folders: bool = False) -> None:
        super().__init__(parent)
        self._on_drop = on_drop
        self._folders = folders  # a batch takes whole folders too

    def _paths(self, event: QDropEvent) -> list[Path]:
        found = dropped_documents(event.mimeData())
        if self._folders and event.mimeData().hasUrls():
            found += [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()
                      and Path(u.toLocalFile()).is_dir()]
        return found

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDropEvent):
            if self._paths(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = self._paths(event)
            if paths:
                event.acceptProposedAction()
                self._on_drop(paths)
                return True
        return False
