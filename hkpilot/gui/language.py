"""Switching the whole UI language at run time: Qt translators plus the core catalogue.

Installing or removing a QTranslator makes Qt send ``QEvent.LanguageChange`` to every
widget; each of ours answers with ``retranslate_ui()``. Qt's own strings (standard
buttons, file dialogs) come from Qt's ``qtbase_zh_TW`` catalogue, the closest
Traditional Chinese one Qt ships.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from hkpilot import i18n
from hkpilot.resources import translations_dir

log = logging.getLogger(__name__)

ENGLISH, CHINESE_HK = "en", "zh-HK"
UI_LANGUAGES = (ENGLISH, CHINESE_HK)

AUTONYMS = {ENGLISH: "English", CHINESE_HK: "繁體中文（香港）"}
"""Each language named in itself, as language menus do; never translated."""

QT_CATALOGUES = {CHINESE_HK: ("qtbase_zh_TW", "qt_zh_TW")}
APP_CATALOGUES = {CHINESE_HK: "hkpilot_zh_HK"}


def resolve_language(setting: str) -> str:
    """The UI language for a ``ui.language`` setting; "" follows the system locale."""
    if setting in UI_LANGUAGES:
        return setting
    return i18n.system_language() if not setting else i18n.normalise_language(setting)


def qm_path(lang: str) -> Path | None:
    """Where HKPilot's compiled catalogue for ``lang`` is (None for English)."""
    name = APP_CATALOGUES.get(lang)
    return translations_dir() / f"{name}.qm" if name else None


class UiLanguage:
    """Holds the installed translators of one application and swaps them."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = ENGLISH
        self._translators: list[QTranslator] = []
        self.missing_catalogue = False

    def apply(self, lang: str) -> str:
        """Switch Qt widgets and core messages to ``lang``; return the language now in use."""
        lang = lang if lang in UI_LANGUAGES else resolve_language(lang)
        i18n.set_language(lang)  # first: widgets re-read core messages on LanguageChange
        changed = bool(self._translators)
        for translator in self._translators:
            self.app.removeTranslator(translator)
        self._translators = []
        self.missing_catalogue = False
        if lang != ENGLISH:
            self._install_qt_catalogue(lang)
            self._install_app_catalogue(lang)
        territory = QLocale.Country.HongKong
        language = QLocale.Language.Chinese if lang == CHINESE_HK else QLocale.Language.English
        QLocale.setDefault(QLocale(language, territory))
        if not changed and not self._translators and lang != self.current:
            QCoreApplication.sendEvent(self.app, QEvent(QEvent.Type.LanguageChange))
        self.current = lang
        log.info("UI language: %s", lang)
        return lang

    def _install_qt_catalogue(self, lang: str) -> None:
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in QT_CATALOGUES.get(lang, ()):
            translator = QTranslator(self.app)
            if translator.load(name, folder):
                self.app.installTranslator(translator)
                self._translators.append(translator)
                return
        log.info("no Qt base catalogue for %s in %s", lang, folder)

    def _install_app_catalogue(self, lang: str) -> None:
        path = qm_path(lang)
        translator = QTranslator(self.app)
        if path is not None and translator.load(str(path)):
            self.app.installTranslator(translator)
            self._translators.append(translator)
        else:
            self.missing_catalogue = True
            log.warning("UI catalogue %s is missing; run 'python tools/qt_translations.py release'", path)
