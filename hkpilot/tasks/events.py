"""What a running job yields to its face: progress, streamed tokens, warnings, a result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Progress:
    done: int
    total: int
    label: str = ""  # already translated for display, no document text


@dataclass
class Token:
    text: str
    anchor: str = ""  # the block being produced, when there is one


@dataclass
class Notice:
    """A warning the face shows; ``message`` is an English template marked with N_."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        from hkpilot.i18n import gettext

        try:
            return gettext(self.message).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return gettext(self.message)


@dataclass
class Finding:
    """What a check found in the output, for the faces to list for review: ``kind`` is
    "script", "glossary", "citations", "format" or "numbers"; ``items`` are the checking
    module's dataclasses (``tasks/quality.py`` gathers them onto the Result)."""

    kind: str
    items: list[Any]
    anchor: str = ""


@dataclass
class Result:
    text: str = ""
    output_path: Path | None = None
    coverage: float = 1.0  # share of the source that was read
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


Event = Progress | Token | Notice | Finding | Result
