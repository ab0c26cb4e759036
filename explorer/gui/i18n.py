"""Translating the interface: one `tr` for every user-visible string, read by Qt Linguist's `pyside6-lupdate`.

Every string goes through `tr("...")` with a literal argument, so `pyside6-lupdate` finds it. All strings share
one (empty) context: `lupdate` gives module-level calls that context, and a string reads the same wherever it
appears. Placeholders use str.format after translation: `tr("Layer {layer}").format(layer=3)`.

The compiled catalogues (`resources/i18n/*.qm`) come with the wheel, are built from the `.ts` sources by make, or
are compiled on first use (see catalogues.py). Which language: the one picked in the Language menu, else the
system locale's.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from explorer.resource_files import resource

from .catalogues import find_catalogue

log = logging.getLogger(__name__)

CONTEXT = ""  # what pyside6-lupdate records for a call to a plain function named `tr`
CATALOGUE = "attention_explorer"  # attention_explorer_<language>.ts / .qm
LANGUAGE_KEY = "language"  # in QSettings; absent or "" follows the system
SOURCE_LANGUAGE = "en"
# Each language by its own name, as a menu of languages shows them (never translated).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


def tr(text: str, disambiguation: str | None = None, count: int = -1) -> str:
    """The text in the interface's language (the text itself when no translation is installed)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation, count)


def token_count(count: int) -> str:
    """'1 token' or '12 tokens' in the interface's language (English has two forms; Chinese one)."""
    return tr("1 token") if count == 1 else tr("{n} tokens").format(n=count)


def system_language(locale: QLocale | None = None) -> str:
    """The interface language for a locale: Chinese of any region reads Simplified Chinese, anything else English.

    A Traditional-script reader gets Simplified rather than English: closer to what they read.
    """
    locale = locale or QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Chinese else SOURCE_LANGUAGE


def picked_language(settings: QSettings) -> str:
    """The language picked in the Language menu, or "" to follow the system."""
    value = str(settings.value(LANGUAGE_KEY, "") or "")
    return value if value in LANGUAGES else ""


def interface_language(settings: QSettings, locale: QLocale | None = None) -> str:
    return picked_language(settings) or system_language(locale)


def translations_folder() -> Path:
    return resource("i18n")


def install_translators(app: QCoreApplication, language: str, folder: Path | None = None) -> list[QTranslator]:
    """Install the app's catalogue and Qt's own (standard dialog buttons) for the language.

    Returns the translators installed, kept by the caller: Qt does not own them, and one collected by Python
    silently stops translating. A catalogue that is neither built nor can be compiled leaves the interface in
    English, with a log line saying why.
    """
    if language == SOURCE_LANGUAGE:
        return []
    folder = translations_folder() if folder is None else folder
    installed = []
    ours = QTranslator(app)
    catalogue = find_catalogue(folder, f"{CATALOGUE}_{language}")
    if catalogue is not None and ours.load(str(catalogue)):
        installed.append(ours)
    else:
        log.warning("no %s translation in %s; build it with `make translations`", language, folder)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    if installed:
        QLocale.setDefault(QLocale(language))  # numbers and dates in standard dialogs follow the language
    return installed
