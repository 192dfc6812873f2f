"""File choosers, kept in one place so tests can replace them (they are modal)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMimeData
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".xlsx", ".txt")
"""What the panes open: Word, PDF, Excel and plain text."""

_last_folder: Path | None = None

QT_CATALOGUE_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
"""Labels of Qt's own file dialog that Qt's Traditional Chinese catalogue (qtbase_zh_TW) leaves in
English. Named here so that lupdate puts them in HKPilot's catalogue, which is installed after Qt's
and so asked first (gui/language.py)."""


def _start_folder(suggested: Path | None = None) -> str:
    if suggested is not None:
        return str(suggested)
    return str(_last_folder or Path.home())


def _remember(path: Path) -> Path:
    global _last_folder
    _last_folder = path.parent
    return path


def document_filter() -> str:
    """The name filter for documents, translated."""
    patterns = " ".join(f"*{s}" for s in DOCUMENT_SUFFIXES)
    documents = QCoreApplication.translate("FileDialogs", "Documents ({patterns})").format(patterns=patterns)
    return documents + ";;" + QCoreApplication.translate("FileDialogs", "All files (*)")


def ask_open_documents(parent: QWidget | None, multiple: bool = False) -> list[Path]:
    """Ask for one (or several) documents to read; [] when the person cancels."""
    if multiple:
        title = QCoreApplication.translate("FileDialogs", "Open documents")
        names, _ = QFileDialog.getOpenFileNames(parent, title, _start_folder(), document_filter())
    else:
        title = QCoreApplication.translate("FileDialogs", "Open a document")
        name, _ = QFileDialog.getOpenFileName(parent, title, _start_folder(), document_filter())
        names = [name] if name else []
    return [_remember(Path(n)) for n in names]


def ask_save_path(parent: QWidget | None, suggested: Path, suffix: str = ".docx") -> Path | None:
    """Ask where to save a Word (or, for translated workbooks, Excel) file; ``suffix`` is added when missing."""
    if suffix == ".xlsx":
        title = QCoreApplication.translate("FileDialogs", "Save as Excel workbook")
        name_filter = QCoreApplication.translate("FileDialogs", "Excel workbooks (*.xlsx)")
    else:
        title = QCoreApplication.translate("FileDialogs", "Save as Word document")
        name_filter = QCoreApplication.translate("FileDialogs", "Word documents (*.docx)")
    name, _ = QFileDialog.getSaveFileName(parent, title, _start_folder(suggested), name_filter)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
        # The dialog asked about the name typed, not this one: ask before replacing it.
        if path.exists() and not confirm_replace(parent, path):
            return None
    return _remember(path)


def confirm_replace(parent: QWidget | None, path: Path) -> bool:
    """Ask whether an existing file may be replaced."""
    title = QCoreApplication.translate("FileDialogs", "Replace file?")
    text = QCoreApplication.translate("FileDialogs", "{name} already exists. Do you want to replace it?").format(name=path.name)
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_model_file(parent: QWidget | None, current: str) -> Path | None:
    """Ask for a GGUF model file."""
    start = str(Path(current).parent) if current else _start_folder()
    title = QCoreApplication.translate("FileDialogs", "Choose a model file")
    models = QCoreApplication.translate("FileDialogs", "GGUF models (*.gguf)")
    everything = QCoreApplication.translate("FileDialogs", "All files (*)")
    name, _ = QFileDialog.getOpenFileName(parent, title, start, models + ";;" + everything)
    return Path(name) if name else None


def dropped_documents(mime: QMimeData | None) -> list[Path]:
    """Local files of a supported type in a drag's data, in order."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in DOCUMENT_SUFFIXES]


EXPORT_FILTERS = (
    (".docx", QT_TRANSLATE_NOOP("FileDialogs", "Word documents (*.docx)")),
    (".pdf", QT_TRANSLATE_NOOP("FileDialogs", "PDF documents (*.pdf)")),
    (".txt", QT_TRANSLATE_NOOP("FileDialogs", "Plain text (*.txt)")),
)


def ask_export_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to export text as .docx, .pdf or .txt; the chosen filter decides a missing suffix."""
    title = QCoreApplication.translate("FileDialogs", "Export")
    filters = [QCoreApplication.translate("FileDialogs", str(name)) for _suffix, name in EXPORT_FILTERS]
    name, chosen = QFileDialog.getSaveFileName(parent, title, _start_folder(suggested), ";;".join(filters))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in {s for s, _n in EXPORT_FILTERS}:
        suffix = next((s for (s, _n), f in zip(EXPORT_FILTERS, filters, strict=True) if f == chosen), ".docx")
        path = path.with_name(path.name + suffix)
        if path.exists() and not confirm_replace(parent, path):
            return None
    return _remember(path)


def ask_folder(parent: QWidget | None, purpose: str = "documents") -> Path | None:
    """Ask for a folder: of documents to add to a batch, or (``purpose="output"``) for outputs."""
    if purpose == "output":
        title = QCoreApplication.translate("FileDialogs", "Choose the folder for the outputs")
    else:
        title = QCoreApplication.translate("FileDialogs", "Add a folder of documents")
    name = QFileDialog.getExistingDirectory(parent, title, _start_folder())
    return Path(name) if name else None
