"""Prompt texts for the tasks, kept together so they can be reviewed and tuned."""

from __future__ import annotations

from hkpilot.engines.base import Message
from hkpilot.tasks.languages import PROMPT_NAMES
from hkpilot.tasks.untrusted import fence


def translation_messages(
    text: str,
    source: str,
    target: str,
    insist: bool = False,
    terms: list[tuple[str, str]] | None = None,
    example: tuple[str, str] | None = None,
) -> list[Message]:
    """``terms``: glossary pairs found in ``text`` (tasks/glossary.py); ``example``: a close
    translation-memory pair that replaces the stock worked example."""
    if terms:
        return glossary_translation_messages(text, source, target, terms, example, insist)
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
    if example:
        example_src, example_out = example
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

    return to_script(text, target) if target != "en" else text


def glossary_translation_messages(
    text: str, source: str, target: str, terms: list[tuple[str, str]], example: tuple[str, str] | None, insist: bool
) -> list[Message]:
    from hkpilot.tasks.glossary_translate import glossary_messages

    return glossary_messages(text, source, target, terms, example, insist)


LENGTH_GUIDE = {
    "short": "3 to 5 bullet points",
    "medium": "6 to 10 bullet points",
    "long": "10 to 20 bullet points grouped under short headings",
}

# Instructions come after the document: small models follow the last thing they read.
_SUMMARY_ASK = {
    "en": (
        'Summarise the {what} above in English, in {guide}. Start each bullet with "- " and end it with '
        "the anchors of the paragraphs it is based on, such as [p:2]. State only what the text says."
    ),
    "zh-HK": (
        "以香港繁體中文撮要上面的{what_zh}，寫成{guide_zh}。每個要點以「- 」開始，句末註明所依據段落的標記，"
        "例如 [p:2]。只可寫出原文有的內容。"
    ),
}
_GUIDE_ZH = {"short": "3 至 5 個要點", "medium": "6 至 10 個要點", "long": "10 至 20 個要點，並以小標題分組"}


def summary_messages(text: str, length: str, lang: str, partial: bool = False) -> list[Message]:
    ask = _SUMMARY_ASK[lang].format(
        what="part of a longer document" if partial else "document",
        what_zh="長文件的其中一部分" if partial else "文件",
        guide=LENGTH_GUIDE[length],
        guide_zh=_GUIDE_ZH[length],
    )
    system = (
        "You summarise documents for Hong Kong Government officers. "
        "Each source paragraph starts with its anchor in square brackets."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": f'Document:\n"""\n{fence(text)}\n"""\n\n{ask}'}]


def merge_messages(summaries: str, length: str, lang: str) -> list[Message]:
    if lang == "zh-HK":
        ask = (
            "以上是同一份長文件各部分的撮要（按文件次序）。"
            f"以香港繁體中文把它們合併為一份撮要，寫成{_GUIDE_ZH[length]}，保留方括號內的段落標記，刪去重複內容。"
        )
    else:
        ask = (
            f"Above are summaries of the parts of one long document, in order. Combine them into one summary in English, "
            f"in {LENGTH_GUIDE[length]}. Keep the anchors in square brackets; remove repetition."
        )
    system = "You summarise documents for Hong Kong Government officers."
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f'Partial summaries:\n"""\n{fence(summaries)}\n"""\n\n{ask}'},
    ]
