"""Document text and model output are data, never instructions or markup.

Prompts put document text between triple quotes; ``fence`` makes sure the text cannot
close those quotes itself and carry on as if it were the prompt. What a small model does
with instructions written inside a document cannot be fully controlled, so the tasks
check the answer instead: a translation that is not in the target language after the
retry is flagged (``NOT_TRANSLATED``), a summary point without a valid citation is
flagged by the citation check. No key ever enters a prompt, so no injected instruction
can make a model print one.
"""

from __future__ import annotations

import re

from hkpilot.i18n import N_

NOT_TRANSLATED = N_(
    "The answer for {anchor} is not in the target language; check it: the text may contain instructions to the model."
)

_QUOTES = re.compile(r'"{3,}')


def fence(text: str) -> str:
    """``text`` with every run of three or more double quotes turned into curly quotes."""
    return _QUOTES.sub(lambda m: "”" * len(m.group(0)), text)
