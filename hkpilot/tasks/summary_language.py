"""A summary in the language asked for, even when the model answered in the document's.

Small models often summarise an English document in English although they were asked
for Chinese. When the finished summary is in the wrong language, each point is
translated (its bullet and its cited anchors kept as they are) and a Notice says so.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator

from hkpilot.engines.base import CancelToken, Engine
from hkpilot.i18n import N_
from hkpilot.tasks.events import Event, Notice, Result, Token
from hkpilot.tasks.languages import in_language

TRANSLATED = N_("The model wrote the summary in the document's language; it was translated into the language asked for.")

_LINE = re.compile(r"^(\s*(?:[-*•·]|\d{1,2}[.)、])?\s*)(.*?)(\s*(?:[\[【][^\[\]【】\n]{1,120}[\]】]\s*[.。]?\s*)*)$")


def ensure_language(events: Iterable[Event], engine: Engine, lang: str, cancel: CancelToken) -> Iterator[Event]:
    """Pass ``events`` on; a Result whose text is not in ``lang`` gets its points translated."""
    for event in events:
        if isinstance(event, Result) and event.text.strip() and not in_language(event.text, lang):
            event.text = yield from _translate_lines(engine, event.text, lang, cancel)
            yield Notice(TRANSLATED)
        yield event


def _translate_lines(engine: Engine, text: str, lang: str, cancel: CancelToken) -> Generator[Event, None, str]:
    from hkpilot.tasks.translate import translate_text

    window = engine.info().context_window
    out: list[str] = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m is None or not m.group(2).strip() or in_language(m.group(2), lang):
            out.append(line)
            continue
        translated = m.group(2)
        for event in translate_text(engine, m.group(2), lang, cancel, "", window):
            if isinstance(event, Result):
                translated = event.text or translated
            elif not isinstance(event, Token):  # the view shows the final text when it comes
                yield event
        out.append(f"{m.group(1)}{translated}{m.group(3)}")
    return "\n".join(out)
