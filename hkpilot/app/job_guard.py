"""What every job of a Session passes through, in this order:

1. the classification gate: a document above the engine's cap is refused (exit 5) before
   the engine is even created, so nothing reaches a server not cleared for it;
2. provenance: outputs written during the job carry where they came from
   (``documents/provenance.py``), and the Result carries it for later saves;
3. the audit trail, when policy asks: one hash-chained entry per job, with its outcome.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hkpilot.app import audit
from hkpilot.app.classification import Level, Scheme, check_engine, detect, highest, load_scheme
from hkpilot.config.security import SecurityPolicy
from hkpilot.documents import provenance
from hkpilot.documents.model import Document
from hkpilot.errors import Cancelled, ClassificationRefused, HKPilotError
from hkpilot.tasks.events import Event, Result

log = logging.getLogger(__name__)

_DETECTED = "_hkpilot_detected_level"  # attribute kept on the Document: the level found on it


class JobGuard:
    """The policy side of one Session: levels, provenance and the audit trail."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.policy = SecurityPolicy.of(settings)
        self.scheme: Scheme = load_scheme(self.policy)
        self._model_digest: dict[str, str] = {}

    # -- levels ---------------------------------------------------------------------------

    def classify(self, doc: Document, password: str | None = None) -> Level:
        """Detect ``doc``'s marking and record it in ``doc.meta.classification``."""
        detection = detect(doc, self.scheme, password)
        setattr(doc, _DETECTED, detection.level.name)
        doc.meta.classification = detection.level.name if detection.level.rank else ""
        if detection.level.rank:
            log.info("classification %s found in: %s", detection.level.name, ", ".join(detection.found_in))
        return detection.level

    def level_of(self, doc: Document) -> Level:
        """The level a job works with: the detected one, or the one the person set."""
        name = doc.meta.classification
        return (self.scheme.level(name) if name else None) or self.scheme.lowest

    def detected_level(self, doc: Document) -> Level:
        name = getattr(doc, _DETECTED, None)
        if name is None:
            return self.classify(doc)
        return self.scheme.level(str(name)) or self.scheme.lowest

    def set_level(self, doc: Document, requested: str) -> Level:
        """The person's choice of level: raising is always allowed, lowering only by policy."""
        from hkpilot.app.classification import choose_level

        level = choose_level(self.scheme, self.detected_level(doc), requested, self.policy, doc.path.name)
        doc.meta.classification = level.name if level.rank else ""
        return level

    def engine_kind(self) -> str:
        return "server" if self.settings.get("engine.kind") == "server" else "local"

    def check(self, docs: list[Document]) -> Level:
        """Refuse the job when any document is above the engine's cap; return the highest level."""
        kind = self.engine_kind()
        for doc in docs:
            check_engine(self.scheme, self.policy, kind, self.level_of(doc), doc.path.name)
        return highest((self.level_of(d) for d in docs), self.scheme)

    # -- provenance -----------------------------------------------------------------------

    def model_sha256(self, path: Path) -> str:
        """The local model's SHA-256 (cached by path, size and time; hashed once otherwise)."""
        try:
            st = path.stat()
        except OSError:
            return ""
        key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
        if key not in self._model_digest:
            try:
                if self.policy.allowed_model_sha256:  # the engine hashes it anyway: one hash, shared
                    from hkpilot.engines.catalogue import pinned_digest

                    self._model_digest[key] = pinned_digest(path)
                else:
                    from hkpilot.app.model_list import cached_sha256

                    self._model_digest[key] = cached_sha256(path)
            except OSError:
                self._model_digest[key] = ""
        return self._model_digest[key]

    def provenance(self, task: str, lang: str, glossary: list[Path] | None = None) -> provenance.Provenance:
        from hkpilot.engines.factory import local_model_path

        kind = self.engine_kind()
        if kind == "server":
            model, digest = str(self.settings.get("server.model") or ""), ""
        else:
            path = local_model_path(self.settings)
            model, digest = path.name, self.model_sha256(path) if path.is_file() else ""
        names, hashes = [], []
        for g in glossary or []:
            names.append(Path(g).name)
            try:
                hashes.append(hashlib.sha256(Path(g).read_bytes()).hexdigest())
            except OSError:
                hashes.append("")
        label = self.policy.output_label
        if label == "default":
            label = provenance.default_label(task, lang)
        return provenance.Provenance(task=task, engine=kind, model=model, model_sha256=digest,
                                     glossary=", ".join(names), glossary_sha256=", ".join(hashes), label=label)

    # -- the wrapper ------------------------------------------------------------------------

    def run(self, task: str, docs: list[Document], lang: str, job: Callable[[], Iterator[Event]],
            engine_label: str = "", glossary: list[Path] | None = None) -> Iterator[Event]:
        """Gate, then run ``job()`` with provenance, recording the outcome in the audit trail."""
        log_path = self.policy.audit_log
        if log_path is not None:
            audit.check_writable(log_path)
        outcome, error, level = "failed", "", self.scheme.lowest
        try:
            level = highest((self.level_of(d) for d in docs), self.scheme)
            level = self.check(docs)
            prov = self.provenance(task, lang, glossary)
            yield from _with_provenance(prov, job())
            outcome = "succeeded"
        except (Cancelled, GeneratorExit):
            outcome = "cancelled"
            raise
        except ClassificationRefused as exc:
            outcome, error = "refused", exc.code
            raise
        except HKPilotError as exc:
            error = exc.code
            raise
        except BaseException as exc:
            error = type(exc).__name__
            raise
        finally:
            if log_path is not None:
                self._audit(log_path, task, docs, level, outcome, error, engine_label)

    def _audit(self, path: Path, task: str, docs: list[Document], level: Level, outcome: str, error: str,
               engine_label: str) -> None:
        record = {
            "task": task, "engine": self.engine_kind(), "engine_detail": engine_label,
            "documents": [_sha256(d) for d in docs], "classification": level.name,
            "outcome": outcome, "error": error,
        }
        try:
            audit.append(path, record)
        except OSError as exc:  # the check before the job passed; say so loudly, never lose the work
            log.error("audit entry not written: %s", type(exc).__name__)


def _sha256(doc: Document) -> str:
    if doc.fingerprint:
        return doc.fingerprint
    try:
        h = hashlib.sha256()
        with open(doc.path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return ""


def _with_provenance(prov: provenance.Provenance, events: Iterator[Event]) -> Iterator[Event]:
    """Run each step of ``events`` with ``prov`` current, never leaving it set between steps.

    A generator may be resumed from another thread (the GUI's runner), so the context is
    set and reset around every step instead of across yields.
    """
    try:
        while True:
            with provenance.using(prov):
                try:
                    event = next(events)
                except StopIteration:
                    return
            if isinstance(event, Result):
                event.stats.setdefault("provenance", prov)
            yield event
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            with provenance.using(prov):
                close()
