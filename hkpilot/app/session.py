"""The Session: settings, the engine (loaded once, lazily) and the jobs both faces run."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from hkpilot.config.settings import Settings
from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken, Engine
from hkpilot.engines.factory import create_engine, engine_label
from hkpilot.i18n import N_, gettext
from hkpilot.tasks.events import Event

log = logging.getLogger(__name__)


class Session:
    """One user's working state; the GUI keeps one, the CLI makes one per command."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    # -- engine -------------------------------------------------------------------------

    def engine(self) -> Engine:
        """The configured engine, loaded on first use (blocking: call it off the GUI thread)."""
        with self._lock:
            if self._engine is None:
                self._engine = create_engine(self.settings)
            return self._engine

    @property
    def engine_loaded(self) -> bool:
        return self._engine is not None

    def engine_label(self) -> str:
        kind = gettext(N_("Server")) if self.settings.get("engine.kind") == "server" else gettext(N_("Local"))
        return f"{kind} · {engine_label(self.settings)}"

    def reset_engine(self) -> None:
        """Drop the engine so the next job loads what the settings now say."""
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

    def close(self) -> None:
        self.reset_engine()

    # -- documents ----------------------------------------------------------------------

    def open_document(self, path: Path, password: str | None = None) -> Document:
        from hkpilot.documents.loader import load_document

        doc = load_document(Path(path), password=password)
        log.info("opened %s document: %d blocks", doc.format, len(doc.blocks))
        return doc

    # -- jobs ---------------------------------------------------------------------------

    def translate_job(self, doc: Document, target: str, output: Path, cancel: CancelToken) -> Iterator[Event]:
        from hkpilot.tasks.translate import check_request, translate_document

        check_request(doc, target, output)  # before the model loads: a mistake costs nothing
        yield from translate_document(doc, self.engine(), target, output, cancel)

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        from hkpilot.tasks.summarise import summarise_document

        yield from summarise_document(doc, self.engine(), length, lang, cancel)

    def draft_job(
        self,
        doc_type: str,
        lang: str,
        points: str,
        cancel: CancelToken,
        references: list[Document] | None = None,
    ) -> Iterator[Event]:
        from hkpilot.tasks.draft import draft_document

        yield from draft_document(self.engine(), doc_type, lang, points, cancel, references)

    def rewrite_job(self, text: str, action: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        from hkpilot.tasks.rewrite import rewrite_text

        yield from rewrite_text(self.engine(), text, action, lang, cancel)
