"""Languages the tasks speak, and conversion into the script each one expects.

Small models write Chinese in Simplified characters whatever they are asked, so every
Chinese output passes through the HK script guard (``script_guard``: OpenCC ``s2hk`` for
Hong Kong standard Traditional, ``s2tw`` for Taiwan, names protected, changes recorded).
"""

from __future__ import annotations

import re

from hkpilot.errors import UsageError

TARGETS = ("zh-HK", "zh-Hant", "zh-Hans", "en")

# How the prompt names each language (kept in English: models follow English instructions best).
PROMPT_NAMES = {
    "zh-HK": "Traditional Chinese as written in Hong Kong (香港繁體中文)",
    "zh-Hant": "Traditional Chinese as written in Taiwan (臺灣正體中文)",
    "zh-Hans": "Simplified Chinese (简体中文)",
    "en": "British English as used by the Hong Kong Government",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def check_target(lang: str) -> str:
    if lang not in TARGETS:
        raise UsageError(detail=f"--to {lang} ({', '.join(TARGETS)})")
    return lang


def to_script(text: str, lang: str) -> str:
    """``text`` with its Chinese characters in the script ``lang`` uses (others untouched),
    protected names kept; ``script_guard.guard`` also says what changed."""
    if lang == "en" or not _CJK.search(text):
        return text
    from hkpilot.tasks.script_guard import convert

    return convert(text, lang)


def is_chinese(text: str) -> bool:
    """Whether Chinese characters make up most of the letters in ``text``."""
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= len(_LATIN.findall(text)) / 4


def needs_translation(text: str, target: str) -> bool:
    """False for blocks with nothing to translate: numbers, codes, or already in the target."""
    if not (_CJK.search(text) or _LATIN.search(text)):
        return False
    if target == "en":
        return bool(_CJK.search(text))
    if is_chinese(text):
        # Chinese already: only a script change is needed, done without the model.
        return False
    return True


def in_language(text: str, lang: str) -> bool:
    """Whether ``text`` is plausibly written in ``lang`` (an empty text is not)."""
    if not text.strip():
        return False
    if lang == "en":
        return not is_chinese(text)
    return bool(_CJK.search(text)) and is_chinese(text)


def source_language(target: str) -> str:
    return "en" if target != "en" else "zh-HK"
