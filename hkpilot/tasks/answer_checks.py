"""Notices about an answer the engine could not deliver whole: cut off mid-way, or read from a cut prompt.

The engine records these in ``last_stats`` (per thread); the task turns them into Notices
right after the request, so no face presents a truncated answer as complete.
"""

from __future__ import annotations

from collections.abc import Iterator

from hkpilot.engines.base import Engine
from hkpilot.i18n import N_
from hkpilot.tasks.events import Notice

INCOMPLETE = N_("The server's answer was cut off before it finished; that text is incomplete.")
INCOMPLETE_AT = N_("The server's answer for {anchor} was cut off before it finished; that text is incomplete.")
PROMPT_DROPPED = N_(
    "The server read about {count} fewer prompt tokens than were sent: it may have dropped part of the text."
)
INCOMPLETE_NOTICES = (INCOMPLETE, INCOMPLETE_AT)


def answer_notices(engine: Engine, anchor: str = "") -> Iterator[Notice]:
    """Notices for the request just made on this thread, if it was cut short or its prompt was."""
    stats = getattr(engine, "last_stats", None)
    if stats is None:
        return
    if stats.finish_reason == "incomplete":
        yield Notice(INCOMPLETE_AT, {"anchor": anchor}) if anchor else Notice(INCOMPLETE)
    if stats.prompt_dropped > 0:
        yield Notice(PROMPT_DROPPED, {"count": stats.prompt_dropped})
