"""The model manager: which GGUF models there are, what each needs, and loading one.

Lists the starter model and the models folders (``app/model_list.py``) with name, size,
quantization, context length and whether the model has a chat template; estimates the
memory a context size and a number of GPU layers need (``engines/memory_estimate.py``)
against what this computer has free, refuses a load that cannot fit and warns about one
that leaves little room; loads in the background through the window's job runner and
then shows where the model runs (backend, layers on the GPU). Models the administrator's
catalogue does not allow are listed greyed, with the reason, and cannot be chosen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hkpilot.app.model_choice import Snapshot, load_model, take_snapshot
from hkpilot.app.model_list import STARTER, ModelEntry
from hkpilot.engines import memory_estimate as mem
from hkpilot.engines.memory_estimate import estimate, gib, judge
from hkpilot.errors import HKPilotError
from hkpilot.gui import file_dialogs
from hkpilot.gui.appearance import high_contrast
from hkpilot.gui.icons import icon
from hkpilot.gui.jobs import JobHandle, JobOp, JobRunner
from hkpilot.gui.widgets import Retranslating, mark_data, plain_tooltip
from hkpilot.i18n import gettext
from hkpilot.tasks.events import Progress, Result

log = logging.getLogger(__name__)

COLUMNS = (
    QT_TRANSLATE_NOOP("ModelManager", "Name"), QT_TRANSLATE_NOOP("ModelManager", "File"),
    QT_TRANSLATE_NOOP("ModelManager", "Size"), QT_TRANSLATE_NOOP("ModelManager", "Quantization"),
    QT_TRANSLATE_NOOP("ModelManager", "Context"), QT_TRANSLATE_NOOP("ModelManager", "Chat template"),
    QT_TRANSLATE_NOOP("ModelManager", "Status"),
)
LOCKED_KEYS = ("engine.kind", "local.model_path", "local.n_ctx", "local.n_gpu_layers")



class ModelManager(Retranslating, QDialog):
    """Choose, size and load the local model.

    Signals:
        loaded(str): a model was loaded (its file name); the window refreshes its labels.
    """

    loaded = Signal(str)

    def __init__(self, session: Any, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.snapshot: Snapshot | None = None
        self.verdict: mem.LoadVerdict | None = None
        self.chosen: Path | None = None
        self.load_handle: JobHandle | None = None
        self.setMinimumSize(820, 560)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line per model; a long name is elided, its tip has it whole
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self.update_estimate)
        self.add_button = QPushButton(icon("add"), "", self)
        self.add_button.clicked.connect(self.add_model_file)
        self.list_note = QLabel(self)
        self.list_note.setWordWrap(True)

        self.ctx_spin = QSpinBox(self)
        self.ctx_spin.setRange(512, 262_144)
        self.ctx_spin.setSingleStep(1024)
        self.ctx_spin.setValue(int(session.settings.get("local.n_ctx")))
        self.gpu_spin = QSpinBox(self)
        self.gpu_spin.setRange(-1, 1000)
        self.gpu_spin.setValue(int(session.settings.get("local.n_gpu_layers")))
        for spin in (self.ctx_spin, self.gpu_spin):
            spin.valueChanged.connect(self.update_estimate)
        self.ctx_label, self.gpu_label = QLabel(self), QLabel(self)
        self.ctx_label.setBuddy(self.ctx_spin)
        self.gpu_label.setBuddy(self.gpu_spin)
        self.estimate_label, self.free_label, self.verdict_label = QLabel(self), QLabel(self), QLabel(self)
        for label in (self.estimate_label, self.free_label, self.verdict_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.sizing_box = QGroupBox(self)
        form = QFormLayout(self.sizing_box)
        form.addRow(self.ctx_label, self.ctx_spin)
        form.addRow(self.gpu_label, self.gpu_spin)
        form.addRow(self.estimate_label)
        form.addRow(self.free_label)
        form.addRow(self.verdict_label)

        self.in_use_label = QLabel(self)
        self.in_use_label.setTextFormat(Qt.TextFormat.PlainText)
        self.in_use_label.setWordWrap(True)
        mark_data(self.in_use_label)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setFormat("")  # a busy bar: the line beside it says what happens
        self.progress.hide()
        self.progress_label = QLabel(self)
        self.load_button = QPushButton(icon("model"), "", self)
        self.load_button.setDefault(True)
        self.load_button.clicked.connect(self.load_selected)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.addButton(self.load_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._tick)
        self._load_seconds = 0.0

        top = QHBoxLayout()
        top.addWidget(self.list_note, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.sizing_box)
        layout.addWidget(self.in_use_label)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        for key, widget in (("local.n_ctx", self.ctx_spin), ("local.n_gpu_layers", self.gpu_spin)):
            widget.setEnabled(not session.settings.is_locked(key))
        self.setAcceptDrops(True)  # a .gguf dropped here is listed and chosen
        self.retranslate_ui()
        self.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_model(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_model(event)
        if path is not None:
            event.acceptProposedAction()
            self.chosen = path
            self.refresh()

    @staticmethod
    def _dropped_model(event: QDropEvent) -> Path | None:
        mime = event.mimeData()
        for url in mime.urls() if mime is not None and mime.hasUrls() else []:
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".gguf"):
                return Path(url.toLocalFile())
        return None

    # --- text ----------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Model manager"))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("ModelManager", str(c)) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Models"))
        self.table.setAccessibleDescription(self.tr("The model files on this computer; choose one to size and load it"))
        self.add_button.setText(self.tr("Add a model file…"))
        self.add_button.setAccessibleName(self.tr("Add a model file"))
        self.add_button.setToolTip(self.tr("Choose a .gguf file anywhere on this computer"))
        self.list_note.setText(self.tr("Models in your models folder, the shared folder and the starter model. "
                                  "Bigger models write better and need more memory."))
        self.sizing_box.setTitle(self.tr("Size the load"))
        self.ctx_label.setText(self.tr("Context size (tokens):"))
        self.ctx_spin.setAccessibleName(self.tr("Context size"))
        self.ctx_spin.setToolTip(self.tr("How much text the model reads at once; more needs more memory"))
        self.gpu_label.setText(self.tr("Layers on the GPU:"))
        self.gpu_spin.setAccessibleName(self.tr("Layers on the GPU"))
        self.gpu_spin.setSpecialValueText(self.tr("All"))
        self.gpu_spin.setToolTip(self.tr("How many of the model's layers run on the graphics card (All: every one)"))
        self.load_button.setText(self.tr("Use and load"))
        self.load_button.setAccessibleName(self.tr("Use and load"))
        self.load_button.setToolTip(self.tr("Use this model with these sizes and load it now, in the background"))
        self.progress.setAccessibleName(self.tr("Loading progress"))
        for label, name in ((self.estimate_label, self.tr("Memory estimate")), (self.free_label, self.tr("Free memory")),
                            (self.verdict_label, self.tr("Whether the load is safe"))):
            label.setAccessibleName(name)
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        self.show_in_use()

    # --- listing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the models again (off the GUI thread)."""
        self.list_note.setEnabled(False)
        settings, chosen = self.session.settings, self.chosen
        self.runner.call(lambda: take_snapshot(settings, chosen), self.show_snapshot, self._failed)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        if not shiboken6.isValid(self):
            return  # the dialog was closed while the list was being made
        self.list_note.setEnabled(True)
        keep = self.selected_entry()
        self.snapshot = snapshot
        self.table.setRowCount(len(snapshot.entries))
        current = self._current_model()
        select = 0
        palette = self.palette()  # kept alive: PySide hands out references into it
        grey = QBrush(QColor(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)))
        for row, entry in enumerate(snapshot.entries):
            info = entry.info
            cells = (
                entry.name + (" " + self.tr("(starter)") if entry.origin == STARTER else ""),
                entry.path.name,
                f"{gib(info.size)} GB" if info else "",
                info.quantization if info else "",
                f"{info.context_length:,}" if info and info.context_length else "",
                (self.tr("Yes") if info.has_chat_template else self.tr("No (completion only)")) if info else "",
                self._status(entry, current),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                tip = str(entry.path) if col == 1 else (gettext(entry.refusal) if entry.refusal else text)
                cell.setToolTip(plain_tooltip(tip))
                if not entry.allowed or not entry.installed or info is None:
                    # Greyed but still selectable, so a keyboard or screen-reader user can learn why.
                    cell.setForeground(grey)
                self.table.setItem(row, col, cell)
            if (keep and keep.path == entry.path) or (keep is None and current and entry.path == current):
                select = row
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if snapshot.entries:
            self.table.selectRow(select)
        self.update_estimate()

    def _status(self, entry: ModelEntry, current: Path | None) -> str:
        if not entry.installed:
            return self.tr("Not installed (hkpilot models install-starter)")
        if entry.info is None:
            return self.tr("Unreadable")
        if not entry.allowed:
            return self.tr("Not allowed by your administrator")
        if current is not None and entry.path == current:
            return self.tr("In use") if getattr(self.session, "engine_loaded", False) else self.tr("Chosen")
        return self.tr("Available")

    def _current_model(self) -> Path | None:
        from hkpilot.engines.factory import local_model_path

        if self.session.settings.get("engine.kind") != "local":
            return None
        return local_model_path(self.session.settings)

    def selected_entry(self) -> ModelEntry | None:
        if self.snapshot is None:
            return None
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.snapshot.entries[rows.pop()] if len(rows) == 1 else None

    def add_model_file(self) -> None:
        path = file_dialogs.ask_model_file(self, str(self.chosen or ""))
        if path is not None:
            self.chosen = path
            self.refresh()

    # --- estimate and verdict ------------------------------------------------------------------
    def update_estimate(self) -> None:
        entry, snap = self.selected_entry(), self.snapshot
        shape = snap.shapes.get(entry.path) if entry is not None and snap is not None else None
        self.verdict = None
        if entry is None or snap is None or shape is None:
            self.estimate_label.setText(self.tr("Choose a model to see how much memory it needs."))
            self.free_label.setText("")
            self.verdict_label.setText(self._status(entry, None) if entry is not None else "")
            self.update_buttons()
            return
        self.ctx_spin.setMaximum(shape.trained_context or 262_144)
        self.gpu_spin.setMaximum(max(shape.n_layers, 0))
        est = estimate(shape, self.ctx_spin.value(), self.gpu_spin.value(), snap.gpu)
        text = self.tr("Needs about {total} GB: the model {weights} GB, the context {kv} GB, working space {extra} GB.").format(
            total=gib(est.total), weights=gib(est.weights), kv=gib(est.kv_cache), extra=gib(est.overhead))
        if est.vram:
            text += " " + self.tr("On the graphics card: {gpu_layers} of {layers} layers ({vram} GB).").format(
                gpu_layers=est.gpu_layers, layers=est.n_layers, vram=gib(est.vram))
        self.estimate_label.setText(text)
        self.gpu_spin.setEnabled(snap.gpu and not self.session.settings.is_locked("local.n_gpu_layers"))
        ram = self.tr("{free} GB of memory free").format(free=gib(snap.ram_free)) if snap.ram_free is not None \
            else self.tr("free memory unknown")
        if not snap.gpu:
            gpu = self.tr("this build runs models on the CPU only")
        elif snap.vram_free is None:
            gpu = self.tr("free GPU memory unknown")
        else:
            gpu = self.tr("{free} GB free on the GPU").format(free=gib(snap.vram_free))
        self.free_label.setText(self.tr("This computer now: {ram}; {gpu}.").format(ram=ram, gpu=gpu))
        self.verdict = judge(est, snap.ram_free, snap.vram_free)
        text = {mem.OK: self.tr("Safe to load."), mem.WARN: self.tr("Warning: {reason}"),
                mem.REFUSE: self.tr("Not loaded: {reason}")}[self.verdict.level].format(reason=self.verdict.render())
        if not entry.allowed:
            text = gettext(entry.refusal)
        self.verdict_label.setText(text)
        colour = {mem.OK: "", mem.WARN: "color:#8a5a00;", mem.REFUSE: "color:#a00000;"}[self.verdict.level]
        self.verdict_label.setStyleSheet("" if high_contrast() else colour)  # contrast themes keep their colours
        self.update_buttons()

    def update_buttons(self) -> None:
        entry = self.selected_entry()
        loading = self.load_handle is not None and self.load_handle.running
        blocked = self.session.settings.is_locked("engine.kind") and self.session.settings.get("engine.kind") != "local"
        ok = (entry is not None and entry.allowed and entry.installed and entry.info is not None
              and self.verdict is not None and self.verdict.level != mem.REFUSE and not blocked)
        self.load_button.setEnabled(ok and not loading)
        self.add_button.setEnabled(not loading)

    # --- loading -------------------------------------------------------------------------------
    def load_selected(self) -> None:
        """Store the choice and load the model in the background, with progress."""
        entry = self.selected_entry()
        if entry is None or not self.load_button.isEnabled():
            return
        session, ctx, layers = self.session, self.ctx_spin.value(), self.gpu_spin.value()
        path, starter = entry.path, entry.origin == STARTER
        op = (JobOp(self.runner, lambda _cancel: load_model(session, path, starter, ctx, layers), self._loaded)
              .on_progress(self._load_progress).failure(self._failed))
        self._load_seconds = 0.0
        self.progress.show()
        self.progress_label.setText(self.tr("Saving the choice…"))
        self._clock.start()
        self.load_handle = op.run_in_background()
        self.load_handle.finished.connect(self._load_ended)
        self.update_buttons()

    def _load_progress(self, progress: Progress) -> None:
        if progress.done >= 1 and shiboken6.isValid(self):
            self.progress_label.setText(self.tr("Checking and loading the model…"))

    def _tick(self) -> None:
        self._load_seconds += 0.5
        if self.load_handle is not None and self.load_handle.running and self._load_seconds >= 1:
            self.progress_label.setText(self.tr("Checking and loading the model… {seconds} s").format(
                seconds=int(self._load_seconds)))

    def _loaded(self, result: Result | None) -> None:
        info = result.stats.get("info") if result is not None else None
        if not shiboken6.isValid(self):
            return  # closed while loading: the model is loaded all the same
        self.progress_label.setText(self.tr("Loaded in {seconds} s.").format(seconds=max(int(self._load_seconds), 1)))
        self.show_in_use(info)
        self.loaded.emit(getattr(info, "name", ""))
        self.refresh()

    def _load_ended(self, _outcome: str) -> None:
        if not shiboken6.isValid(self):
            return
        self._clock.stop()
        self.progress.hide()
        self.update_buttons()

    def _failed(self, error: BaseException) -> None:
        text = error.render() if isinstance(error, HKPilotError) else type(error).__name__
        log.warning("model manager: %s", type(error).__name__)
        if not shiboken6.isValid(self):
            return
        self.list_note.setEnabled(True)
        self.progress_label.setText(self.tr("Could not load: {error}").format(error=text))

    def show_in_use(self, info: Any = None) -> None:
        """The loaded model and where it runs (backend, layers on the GPU)."""
        if info is None and getattr(self.session, "engine_loaded", False):
            try:
                info = self.session.engine().info()
            except HKPilotError:
                info = None
        if info is None:
            self.in_use_label.setText(self.tr("No model is loaded now; the chosen one loads when it is first used."))
            return
        detail = getattr(info, "detail", {}) or {}
        self.in_use_label.setText(self.tr(
            "In use: {name} · runs on {backend} · layers on the GPU {layers} · context {ctx:,} tokens").format(
            name=info.name, backend=detail.get("backend", "?"), layers=detail.get("gpu_layers", "?"),
            ctx=int(info.context_window)))

    def done(self, result: int) -> None:
        self._clock.stop()
        super().done(result)
