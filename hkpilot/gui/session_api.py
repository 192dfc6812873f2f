"""What the GUI needs from ``hkpilot.app.session.Session``, as a Protocol.

The panes are typed against this, so a test can hand them a small fake session and
the real one (written in ``app/``) fits without the GUI importing it at module level.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from hkpilot.config.settings import Settings
from hkpilot.documents.model import Document
from hkpilot.engines.base import CancelToken
from hkpilot.tasks.events import Event


class SessionLike(Protocol):
    """The services one window drives: documents, the engine and the three jobs."""

    settings: Settings

    def engine_label(self) -> str: ...

    def reset_engine(self) -> None: ...

    def open_document(self, path: Path) -> Document: ...

    def translate_job(
        self,
        doc: Document,
        target: str,
        output: Path,
        cancel: CancelToken,
        layout: str = "replace",
        glossary: list[Path] | None = None,
    ) -> Iterator[Event]: ...

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]: ...

    def draft_job(
        self,
        doc_type: str,
        lang: str,
        points: str,
        cancel: CancelToken,
        references: list[Document] | None = None,
    ) -> Iterator[Event]: ...


def default_session() -> SessionLike:
    """The real Session with the user's settings (imported late: ``app/`` may be loading models)."""
    from hkpilot.app.session import Session

    session: SessionLike = Session()
    return session
