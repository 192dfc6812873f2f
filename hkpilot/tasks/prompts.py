"""Prompt texts for the tasks, kept together so they can be reviewed and tuned."""

from __future__ import annotations

from hkpilot.engines.base import Message
from hkpilot.tasks.languages import PROMPT_NAMES


def translation_messages(text: str, source: str, target: str) -> list[Message]:
    system = (
        "You are a professional translator in the Hong Kong SAR Government. "
        f"Translate the user's text from {PROMPT_NAMES[source]} into {PROMPT_NAMES[target]}. "
        "Keep the meaning, numbers, dates, names and line breaks. Use the formal register of "
        "government documents. Reply with the translation only: no notes, no quotes, no explanations."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


LENGTH_GUIDE = {
    "short": "3 to 5 bullet points",
    "medium": "6 to 10 bullet points",
    "long": "a detailed summary of 10 to 20 bullet points grouped under short headings",
}


def summary_messages(text: str, length: str, lang: str, partial: bool = False) -> list[Message]:
    what = "part of a longer document" if partial else "a document"
    system = (
        "You summarise documents for Hong Kong Government officers. "
        f"Write in {PROMPT_NAMES[lang]}. Use {LENGTH_GUIDE[length]}. "
        "Each paragraph of the source starts with its anchor in square brackets, such as [p:12]; "
        "end every bullet point with the anchors it is based on, e.g. [p:3] [p:7]. "
        "State only what the source says; do not invent facts."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Summarise {what}:\n\n{text}"}]


def merge_messages(summaries: str, length: str, lang: str) -> list[Message]:
    system = (
        "You combine partial summaries of one long document into a single summary for Hong Kong "
        f"Government officers. Write in {PROMPT_NAMES[lang]}. Use {LENGTH_GUIDE[length]}. "
        "Keep the anchors in square brackets that the partial summaries cite. Remove repetition."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Partial summaries, in document order:\n\n{summaries}"}]
