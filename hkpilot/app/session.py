"""The Session: settings, the engine (loaded once, lazily) and the jobs both faces run."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from hkpilot.app.job_guard import JobGuard
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
        self.guard = JobGuard(self.settings)  # classification gate, provenance, audit (app/job_guard.py)

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
        self.guard.classify(doc, password)  # doc.meta.classification: the marking found, if any
        return doc

    def set_classification(self, doc: Document, level: str) -> str:
        """Raise (or, where policy allows, lower) ``doc``'s level; return the level's display name."""
        return self.guard.set_level(doc, level).display()

    # -- jobs ---------------------------------------------------------------------------

    def translate_job(
        self,
        doc: Document,
        target: str,
        output: Path,
        cancel: CancelToken,
        layout: str = "replace",
        glossary: list[Path] | None = None,
    ) -> Iterator[Event]:
        """``layout``: "replace", "side-by-side" or "interleaved" (documents/translated_output.py).
        ``glossary``: term and memory files (None: the policy's ``glossary.default``); the
        Result's findings list script changes and glossary violations (tasks/quality.py)."""
        from hkpilot.tasks.quality import collect, job_glossary
        from hkpilot.tasks.translate import check_request, translate_document

        check_request(doc, target, output, layout)  # before the model loads: a mistake costs nothing
        terms = job_glossary(glossary, self.settings.policy.extra)  # a bad glossary fails before the model loads too
        from hkpilot.tasks.glossary import policy_glossaries

        used = glossary if glossary is not None else policy_glossaries(self.settings.policy.extra)
        yield from self.guard.run("translate", [doc], target, lambda: collect(translate_document(
            doc, self.engine(), target, output, cancel, layout=layout, glossary=terms)), self.engine_label(), used)

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        """The Result's findings hold the citation check (anchors, quotes, coverage)."""
        from hkpilot.tasks.quality import collect, summary_checks
        from hkpilot.tasks.summarise import summarise_document
        from hkpilot.tasks.summary_language import ensure_language

        def job() -> Iterator[Event]:
            engine = self.engine()
            summary = summarise_document(doc, engine, length, lang, cancel)
            return collect(ensure_language(summary, engine, lang, cancel), summary_checks(doc))  # language asked for

        yield from self.guard.run("summarise", [doc], lang, job, self.engine_label())

    def draft_job(
        self,
        doc_type: str,
        lang: str,
        points: str,
        cancel: CancelToken,
        references: list[Document] | None = None,
        fields: dict[str, str] | None = None,
    ) -> Iterator[Event]:
        """``fields``: the template's field values; the Result's findings hold the format check."""
        from hkpilot.tasks.draft import draft_document
        from hkpilot.tasks.quality import collect

        yield from self.guard.run("draft", list(references or []), lang, lambda: collect(
            draft_document(self.engine(), doc_type, lang, points, cancel, references, fields)), self.engine_label())

    def rewrite_job(self, text: str, action: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        """A Notice (and a "numbers" finding) when the rewrite changed numbers, dates or amounts."""
        from hkpilot.tasks.quality import collect, rewrite_checks
        from hkpilot.tasks.rewrite import rewrite_text

        yield from self.guard.run("rewrite", [], lang, lambda: collect(
            rewrite_text(self.engine(), text, action, lang, cancel), rewrite_checks(text)), self.engine_label())
