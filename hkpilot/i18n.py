"""Translation of core and CLI messages without Qt.

Strings are marked with ``N_`` where they are defined and translated with ``gettext``
where they are shown. The catalogue is ``translations/hkpilot_<lang>.po``, read directly
(a few hundred lines), so no build step stands between a fix and the user.
"""

from __future__ import annotations

import ast
import locale
import os
from functools import lru_cache
from pathlib import Path

from hkpilot.resources import translations_dir

SUPPORTED = ("en", "zh-HK")
_current = "en"


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``text`` for translation; it is translated where it is shown."""
    return text


def normalise_language(value: str | None) -> str:
    """Map a locale name (zh_HK.UTF-8, zh-Hant, en_GB...) to a supported UI language."""
    if not value:
        return "en"
    v = value.replace("_", "-").split(".")[0].lower()
    if v.startswith("zh"):
        return "zh-HK"  # every Chinese locale gets the Traditional (Hong Kong) UI
    return "en"


def system_language() -> str:
    """The UI language the operating system asks for."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        if os.environ.get(var):
            return normalise_language(os.environ[var].split(":")[0])
    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    return normalise_language(loc)


def set_language(lang: str) -> None:
    """Switch the language of core messages (``en`` or ``zh-HK``)."""
    global _current
    _current = normalise_language(lang) if lang not in SUPPORTED else lang


def current_language() -> str:
    return _current


def _unquote(s: str) -> str:
    return str(ast.literal_eval(s))


def parse_po(path: Path) -> dict[str, str]:
    """Read msgid/msgstr pairs from a .po file; fuzzy and empty entries are skipped."""
    catalogue: dict[str, str] = {}
    for entry in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current: list[str] | None = None
        fuzzy = False
        for raw in entry.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith(("msgid ", "msgstr ")):
                name, _, value = line.partition(" ")
                current = fields.setdefault(name, [])
                current.append(_unquote(value))
            elif line.startswith('"') and current is not None:
                current.append(_unquote(line))
        key, value = "".join(fields.get("msgid", [])), "".join(fields.get("msgstr", []))
        if key and value and not fuzzy:
            catalogue[key] = value
    return catalogue


@lru_cache(maxsize=4)
def _catalogue(lang: str) -> dict[str, str]:
    path = translations_dir() / f"hkpilot_{lang.replace('-', '_')}.po"
    return parse_po(path) if path.is_file() else {}


def gettext(text: str) -> str:
    """``text`` in the current language, or itself when there is no translation."""
    if _current == "en":
        return text
    return _catalogue(_current).get(text, text)


_ = gettext


def spellings(text: str) -> set[str]:
    """``text`` in every supported language (to recognise a label stored in another language)."""
    return {text, *(t for lang in SUPPORTED if lang != "en" and (t := _catalogue(lang).get(text)))}
