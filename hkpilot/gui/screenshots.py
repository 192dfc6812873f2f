"""``hkpilot gui --screenshots DIR``: every pane and dialog, in English and Chinese, as PNGs.

Runs offscreen in a throw-away HKPilot folder (the person's own settings, history and
batch are not touched), opens a sample notice, fills the outputs with sample text (no
model runs: the point is the interface), and grabs each tab and dialog. Reviewers look
at the pictures; ``tests/gui/test_screenshots.py`` checks they are made and not blank.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_PARAGRAPHS = (
    "Public holiday arrangements for the Christmas period",
    "All offices of the Department will close at noon on 24 December 2025 (Wednesday).",
    "Counter services at the Licensing Office will resume at 9:00 a.m. on 29 December.",
    "Staff on shift duty should follow the roster issued by their section heads.",
    "Enquiries: Administration Section, 2123 4567.",
)
SAMPLE_TRANSLATION = (
    "聖誕節期間的公眾假期安排\n\n"
    "本署所有辦事處將於2025年12月24日（星期三）中午關閉。\n\n"
    "牌照事務處的櫃枱服務將於12月29日上午9時恢復。\n\n"
    "輪班當值的員工應依照所屬組別主管發出的更表當值。\n\n"
    "查詢：行政組，電話2123 4567。"
)
SAMPLE_SUMMARY = (
    "- Offices close at noon on Wednesday 24 December 2025. [p:2]\n"
    "- Licensing counters reopen at 9:00 a.m. on 29 December. [p:3]\n"
    "- Shift staff follow their section's roster; enquiries to the Administration Section. [p:4, p:5]"
)
SAMPLE_POINTS = "Christmas: offices close at noon on 24 December\nLicensing counters reopen 29 December, 9 a.m.\n" \
                "Shift staff follow the roster\nEnquiries: Administration Section, 2123 4567"
SAMPLE_DRAFT = (
    "MEMO\n\nTo: All staff\nFrom: Administration Section\nDate: 10 December 2025\n\n"
    "Christmas holiday arrangements\n\n"
    "All offices will close at noon on Wednesday, 24 December 2025. Counter services at the Licensing "
    "Office will resume at 9:00 a.m. on Monday, 29 December.\n\n"
    "Colleagues on shift duty should follow the roster issued by their section heads.\n\n"
    "For enquiries, please contact the Administration Section at 2123 4567."
)


def _isolate() -> Path:
    """A temporary HKPILOT_HOME with the starter model linked in (when it is installed)."""
    from hkpilot.engines import catalogue

    real_starter = catalogue.starter_path()
    home = Path(tempfile.mkdtemp(prefix="hkpilot-shots-"))
    os.environ["HKPILOT_HOME"] = str(home)
    os.environ["HKPILOT_NO_MODAL"] = "1"
    os.environ.pop("HKPILOT_POLICY", None)
    if real_starter.is_file():
        models = home / "data" / "models"
        models.mkdir(parents=True, exist_ok=True)
        for src in (real_starter, real_starter.with_name(real_starter.name + ".verified.json")):
            if src.is_file():
                try:
                    (models / src.name).symlink_to(src)
                except OSError:
                    shutil.copy2(src, models / src.name)
    return home


def _sample_files(folder: Path) -> list[Path]:
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, paragraphs in (("christmas-notice.docx", SAMPLE_PARAGRAPHS),
                             ("typhoon-arrangements.docx", SAMPLE_PARAGRAPHS[1:3]),
                             ("staff-circular-12.docx", SAMPLE_PARAGRAPHS[2:])):
        d = docx.Document()
        for text in paragraphs:
            d.add_paragraph(text)
        d.save(str(folder / name))
        files.append(folder / name)
    return files


def _wait(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def _seed(window: Any, files: list[Path]) -> None:
    """Sample content in every pane (no model is run)."""
    from hkpilot.app.batch import DONE, BatchQueue
    from hkpilot.app.history import History

    session = window.session
    document = session.open_document(files[0])
    for pane, text in ((window.translate_pane, SAMPLE_TRANSLATION), (window.summarise_pane, SAMPLE_SUMMARY)):
        pane._document_opened(document)
        pane.output_view.setPlainText(text)
    window.summarise_pane.feedback.start()
    window.summarise_pane.feedback.progress(1, 1)
    window.summarise_pane.feedback.finish("succeeded", 1.0)
    window.draft_pane.points_edit.setPlainText(SAMPLE_POINTS)
    window.draft_pane.output_view.setPlainText(SAMPLE_DRAFT)
    history = History()
    for task, src, opts, out in (("translate", files[0], {"target": "zh-HK"}, files[0].with_suffix(".zh-HK.docx")),
                                 ("summarise", files[1], {"length": "short"}, ""), ("draft", "", {"doc_type": "memo"}, "")):
        job = history.start_job(task, src, opts, session.engine_label())
        history.finish_job(job, "succeeded", out)
        if src:
            history.add_recent(src)
    queue = BatchQueue("translate", {"target": "zh-HK", "layout": "replace"})
    queue.add(files)
    for item, seconds in zip(queue.items[:2], (14.2, 9.8), strict=False):
        item.status, item.blocks_done, item.blocks_total, item.seconds = DONE, 3, 3, seconds
        item.coverage, item.output = 1.0, str(Path(item.path).with_suffix(".zh-HK.docx"))
    queue.save()
    window.batch_pane.queue = BatchQueue.load() or queue
    window.batch_pane.refresh_table()
    window.history_pane.refresh()
    _wait(lambda: window.translate_pane.meter.fit is not None)


def _grab(widget: Any, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def _save_dialog(window: Any, suggested: Path) -> Any:
    """Qt's own Save dialog as ``file_dialogs.ask_save_path`` shows it where there is no native one
    (Qt's strings from qtbase_zh_TW, the gaps from HKPilot's catalogue), opened without blocking."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(window, QCoreApplication.translate("FileDialogs", "Save as Word document"), str(suggested),
                         QCoreApplication.translate("FileDialogs", "Word documents (*.docx)"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.selectFile(suggested.name)
    dialog.resize(760, 460)
    dialog.open()
    return dialog


def take_screenshots(out_dir: Path, languages: tuple[str, ...] = ("en", "zh-HK")) -> list[Path]:
    """Render the window's tabs and dialogs in each language into ``out_dir``; return the files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from hkpilot.app.session import Session
    from hkpilot.gui.app import build_app, create_main_window
    from hkpilot.gui.context_meter import ask_when_too_long
    from hkpilot.gui.crash import CrashDialog

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app = build_app(["hkpilot"])
    session = Session()
    window = create_main_window(session, app)
    window.resize(1180, 760)
    files = _sample_files(Path(os.environ["HKPILOT_HOME"]) / "samples")
    _seed(window, files)
    written: list[Path] = []
    try:
        for lang in languages:
            window.switch_language(lang, persist=False)
            _wait(lambda: False, 0.2)
            tag = lang.replace("-", "_")
            window.show_message("info", QCoreApplication.translate(
                "MainWindow", "Settings saved. The model will reload when it is next used."))
            for index, name in enumerate(("draft", "translate", "summarise", "batch", "history")):
                window.tabs.setCurrentIndex(index)
                written.append(_grab(window, out_dir / f"{tag}-{index + 1}-{name}.png"))
            manager = window.extras.open_model_manager()
            _wait(partial(lambda m: m.snapshot is not None, manager))
            written.append(_grab(manager, out_dir / f"{tag}-6-model-manager.png"))
            manager.reject()
            settings = window.open_settings()
            written.append(_grab(settings, out_dir / f"{tag}-7-settings.png"))
            settings.reject()
            shortcuts = window.extras.show_shortcuts()
            written.append(_grab(shortcuts, out_dir / f"{tag}-8-shortcuts.png"))
            shortcuts.reject()
            from hkpilot.app.work_meter import ContextFit

            question = ask_when_too_long(window, ContextFit(15_300, 7_296, 8_192, True, True), "summarise",
                                         lambda _c: None)
            written.append(_grab(question, out_dir / f"{tag}-9-too-long.png"))
            question.reject()
            crash = CrashDialog("details", saved_to=str(Path(os.environ["HKPILOT_HOME"]) / "data" / "recovery"),
                                parent=window)
            written.append(_grab(crash, out_dir / f"{tag}-10-crash.png"))
            crash.reject()
            about = window.show_about()
            written.append(_grab(about, out_dir / f"{tag}-11-about.png"))
            about.reject()
            bilingual = window.quality_tools.open_dialog()
            written.append(_grab(bilingual, out_dir / f"{tag}-12-bilingual.png"))
            bilingual.reject()
            save = _save_dialog(window, files[0].with_suffix(".zh-HK.docx"))
            written.append(_grab(save, out_dir / f"{tag}-13-save-dialog.png"))
            save.reject()
            save.deleteLater()
    finally:
        window.language.apply("en")
        window.runner.shutdown(wait=True)
        window.close()
        window.deleteLater()
        session.close()
        QApplication.processEvents()
    return written


def main(out_dir: Path) -> int:
    """The CLI entry: isolate, render, print the files written, remove the throw-away folder."""
    home = _isolate()
    try:
        for path in take_screenshots(out_dir):
            print(path)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    sys.stdout.flush()
    return 0
