"""Prompt texts for the tasks, kept together so they can be reviewed and tuned."""

from __future__ import annotations

from hkpilot.engines.base import Message
from hkpilot.tasks.languages import PROMPT_NAMES


def translation_messages(text: str, source: str, target: str, insist: bool = False) -> list[Message]:
    if insist:
        return [{"role": "user", "content": f"Translate into {PROMPT_NAMES[target]}. Output only the translation.\n\n{text}"}]
    system = (
        "You are a professional translator in the Hong Kong SAR Government. "
        f"Translate the user's text from {PROMPT_NAMES[source]} into {PROMPT_NAMES[target]}. "
        "Keep the meaning, numbers, dates, names and line breaks. Use the formal register of "
        "government documents. Reply with the translation only: no notes, no quotes, no explanations."
    )
    # One worked example: small models then answer in the target language far more often,
    # and the shared prefix stays in llama.cpp's KV cache from one block to the next.
    example_src, example_out = _EXAMPLE["en" if source == "en" else "zh"], _EXAMPLE["zh" if source == "en" else "en"]
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": example_src},
        {"role": "assistant", "content": to_example_script(example_out, target)},
        {"role": "user", "content": text},
    ]


_EXAMPLE = {
    "en": "The office will be closed on Monday. Enquiries should be directed to our hotline.",
    "zh": "辦事處將於星期一關閉。如有查詢，請致電本處熱線。",
}


def to_example_script(text: str, target: str) -> str:
    from hkpilot.tasks.languages import to_script

    return to_script(text, "zh-Hans") if target == "zh-Hans" else text


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
