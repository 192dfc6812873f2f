"""Notices about an answer the engine could not deliver whole: cut off mid-way, or read from a cut prompt.

The engine records these in ``last_stats`` (per thread); the task turns them into Notices
right after the request, so no face presents a truncated answer as complete.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TypeVar

from hkpilot.engines.base import Engine
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice

INCOMPLETE = N_("The server's answer was cut off before it finished; that text is incomplete.")
INCOMPLETE_AT = N_("The server's answer for {anchor} was cut off before it finished; that text is incomplete.")
PROMPT_DROPPED = N_(
    "The server read about {count} fewer prompt tokens than were sent: it may have dropped part of the text."
)
INCOMPLETE_NOTICES = (INCOMPLETE, INCOMPLETE_AT)

T = TypeVar("T")


def answer_notices(engine: Engine, anchor: str = "") -> Iterator[Notice]:
    """Notices for the request just made on this thread, if it was cut short or its prompt was."""
    stats = getattr(engine, "last_stats", None)
    if stats is None:
        return
    if stats.finish_reason == "incomplete":
        yield Notice(INCOMPLETE_AT, {"anchor": anchor}) if anchor else Notice(INCOMPLETE)
    if stats.prompt_dropped > 0:
        yield Notice(PROMPT_DROPPED, {"count": stats.prompt_dropped})


def hold_cut_notices(events: Generator[Event, None, T], held: list[Event]) -> Generator[Event, None, T]:
    """Pass ``events`` on, but put the "cut off" notices into ``held``: a task that asks again
    (a translated block) reports them only when the answer it keeps is the cut one."""
    try:
        while True:
            event = next(events)
            if isinstance(event, Notice) and event.message in INCOMPLETE_NOTICES:
                held.append(event)
            else:
                yield event
    except StopIteration as stop:
        return stop.value
    finally:
        events.close()
