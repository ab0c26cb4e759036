"""The Chinese interface: the .ts source is complete, up to date with the code, and compiles to what Qt loads.

`make translations` re-runs pyside6-lupdate and pyside6-lrelease; these tests say when someone forgot to.
"""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from explorer.gui import catalogues, i18n
from explorer.gui.catalogues import find_catalogue
from explorer.gui.i18n import install_translators, interface_language, system_language, tr

ROOT = Path(__file__).resolve().parent.parent
TS_FILES = sorted((ROOT / "resources" / "i18n").glob("*.ts"))
BIN = Path(sys.executable).parent
MIN_FINISHED = 0.95
PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # {name} and {name:.2f}: the format spec must survive too


def tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed (it comes with PySide6)")
    return str(path)


def messages(ts: Path) -> list[tuple[str, ET.Element]]:
    """(source, translation element) of each live message: strings lupdate marked vanished or obsolete
    no longer appear in the code and are not counted."""
    found = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation.get("type") not in ("vanished", "obsolete"):
            found.append((message.findtext("source"), translation))
    return found


def is_finished(translation: ET.Element) -> bool:
    return translation.get("type") != "unfinished" and bool((translation.text or "").strip())


def compiled(ts: Path, tmp_path: Path) -> Path:
    qm = tmp_path / ts.with_suffix(".qm").name
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=120)
    return qm


def test_there_is_a_simplified_chinese_source():
    assert [ts.name for ts in TS_FILES] == ["attention_explorer_zh_CN.ts"]


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_at_least_95_percent_of_the_strings_are_translated(ts):
    live = messages(ts)
    finished = sum(is_finished(t) for _source, t in live)
    untranslated = [source for source, t in live if not is_finished(t)]
    assert live and finished / len(live) >= MIN_FINISHED, f"{finished}/{len(live)} finished; missing: {untranslated}"


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_the_source_is_up_to_date_with_the_code(ts, tmp_path):
    """lupdate over the GUI's code now finds exactly the strings the .ts holds: run `make translations`."""
    fresh = tmp_path / ts.name
    sources = sorted(str(p) for p in (ROOT / "explorer" / "gui").rglob("*.py"))
    subprocess.run(
        [tool("pyside6-lupdate"), *sources, "-source-language", "en", "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    in_code = {source for source, _t in messages(fresh)}
    in_ts = {source for source, _t in messages(ts)}
    assert sorted(in_code - in_ts) == [], "strings in the code that the .ts lacks: run `make translations`"
    assert sorted(in_ts - in_code) == [], "strings in the .ts that the code no longer has: run `make translations`"


def test_every_string_shares_the_one_empty_context():
    """self.tr() would file strings under the class's name, which i18n.tr (context "") never looks up."""
    for ts in TS_FILES:
        names = {context.findtext("name") or "" for context in ET.parse(ts).getroot().iter("context")}
        assert names == {i18n.CONTEXT}, ts.name


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_placeholders_and_shortcut_keys_survive_translation(ts):
    for source, translation in messages(ts):
        if not is_finished(translation):
            continue
        text = translation.text
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (source, text)
        if re.search(r"&\w", source):  # a menu accelerator: keep one, e.g. 文件(&F)
            assert re.search(r"&\w", text), (source, text)


def test_the_compiled_catalogue_turns_english_into_chinese(qapp, tmp_path):
    qm = compiled(ROOT / "resources" / "i18n" / "attention_explorer_zh_CN.ts", tmp_path)
    installed = install_translators(qapp, "zh_CN", folder=tmp_path)
    try:
        assert len(installed) == 2, "ours and Qt's own (qtbase_zh_CN, for standard dialog buttons)"
        assert tr("&File") == "文件(&F)"
        assert tr("Sequence {number} of {count}").format(number=2, count=5) == "第 2 条序列，共 5 条"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert tr("a string nobody translated") == "a string nobody translated"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
    assert tr("&File") == "&File" and qm.exists()


def test_english_installs_nothing_and_a_missing_catalogue_is_english(qapp, tmp_path, caplog):
    assert install_translators(qapp, "en") == []
    installed = install_translators(qapp, "zh_CN", folder=tmp_path)  # an empty folder: no catalogue built
    try:
        assert len(installed) <= 1  # Qt's own may load; ours is missing
        assert tr("&File") == "&File" and "make translations" in caplog.text
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))


def test_the_language_follows_the_system_unless_one_was_picked(tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    chinese, taiwan, french = QLocale("zh_CN"), QLocale("zh_TW"), QLocale("fr_FR")
    assert [system_language(loc) for loc in (chinese, taiwan, french)] == ["zh_CN", "zh_CN", "en"]
    assert interface_language(settings, chinese) == "zh_CN"
    settings.setValue(i18n.LANGUAGE_KEY, "en")
    assert interface_language(settings, chinese) == "en"
    settings.setValue(i18n.LANGUAGE_KEY, "zh_CN")
    assert interface_language(settings, french) == "zh_CN"
    settings.setValue(i18n.LANGUAGE_KEY, "klingon")  # a hand-edited settings file: follow the system
    assert interface_language(settings, french) == "en"


def test_a_checkout_without_built_catalogues_compiles_them_on_first_use(qapp, tmp_path, monkeypatch):
    """`LANG=zh_CN.UTF-8 python main.py` with no `make`: the .ts is compiled once into the user's cache."""
    folder, cache = tmp_path / "i18n", tmp_path / "cache"
    folder.mkdir()
    shutil.copy2(TS_FILES[0], folder)  # a checkout: the source only
    monkeypatch.setenv("ATTENTION_EXPLORER_CACHE", str(cache))
    installed = install_translators(qapp, "zh_CN", folder=folder)
    try:
        assert tr("&File") == "文件(&F)"
        (compiled_once,) = (cache / "i18n").glob("attention_explorer_zh_CN-*.qm")
        assert find_catalogue(folder, "attention_explorer_zh_CN") == compiled_once, "the second start reuses it"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))


def test_a_built_catalogue_is_used_only_while_it_is_newer_than_its_source(tmp_path, monkeypatch):
    folder = tmp_path / "i18n"
    folder.mkdir()
    source = Path(shutil.copy2(TS_FILES[0], folder))
    built = compiled(source, folder)
    monkeypatch.setenv("ATTENTION_EXPLORER_CACHE", str(tmp_path / "cache"))
    os.utime(built, (source.stat().st_mtime + 10,) * 2)
    assert find_catalogue(folder, "attention_explorer_zh_CN") == built
    os.utime(built, (source.stat().st_mtime - 10,) * 2)  # the .ts was edited since `make` built it
    stale_replaced = find_catalogue(folder, "attention_explorer_zh_CN")
    assert stale_replaced.parent == tmp_path / "cache" / "i18n"
    built.unlink()
    source.unlink()  # a wheel's folder without its catalogue: nothing to load, nothing to compile
    assert find_catalogue(folder, "attention_explorer_zh_CN") is None


def test_a_catalogue_that_cannot_be_compiled_leaves_english_and_says_why(qapp, tmp_path, monkeypatch, caplog):
    folder = tmp_path / "i18n"
    folder.mkdir()
    shutil.copy2(TS_FILES[0], folder)
    monkeypatch.setenv("ATTENTION_EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(catalogues, "lrelease", lambda: None)
    installed = install_translators(qapp, "zh_CN", folder=folder)
    try:
        assert tr("&File") == "&File"
        assert "lrelease was not found" in caplog.text
        assert not (tmp_path / "cache" / "i18n").exists() or not any((tmp_path / "cache" / "i18n").iterdir())
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
