"""Engine errors in the Chinese interface: known messages translated whole, others after a translated lead chosen
by the exception's type or the argument named; English left as the engine wrote it. Before error_text.py the
window showed every engine error in English (e.g. "text: is empty; …" in the zh status bar)."""

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.gui.error_text import argument_of, describe
from explorer.gui.i18n import install_translators
from explorer.gui.jobs import user_message
from models.errors import ModelLoadError, NumericalError


@pytest.fixture
def chinese(qapp):
    translators = install_translators(QCoreApplication.instance(), "zh_CN")
    assert translators, "the zh_CN catalogue was not installed"
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_english_is_left_as_the_engine_wrote_it(qapp):
    for error in (ValueError("text: is empty; type some text to see its attention"), ModelLoadError("x: missing")):
        assert user_message(error) == str(error)


def test_a_known_message_is_translated_whole(chinese):
    error = ValueError("text: is empty; type some text to see its attention")
    assert user_message(error) == "文本为空；请输入一些文本以查看其注意力"


def test_a_kind_of_engine_error_gets_a_chinese_lead_and_the_english_detail(chinese):
    detail = "layer 7 head 2: the map is not finite (NaN at 3 cells); lower the temperature"
    assert describe(NumericalError(detail)) == f"出现了非有限值，因此不予显示：{detail}"
    assert describe(ModelLoadError("nope: not found")) == "无法加载模型：nope: not found"
    assert describe(FileNotFoundError(2, "No such file", "a.jsonl")).startswith("找不到文件：")


def test_an_argument_named_first_chooses_the_lead(chinese):
    detail = "text 2: produced no tokens; type some text to see its attention"
    assert describe(ValueError(detail)) == f"无法运行该文本：{detail}"
    assert describe(ValueError("temperature: must be above 0, not -1")).startswith("无法使用该温度：")
    tsne = "perplexity: t-SNE needs fewer than the 28 points (queries and keys) it places, and the perplexity is 30"
    assert describe(ValueError(tsne)) == f"t-SNE 无法放置这么少的点：请选择 PCA，或给出更长的文本：{tsne}"
    assert describe(ValueError("--in: a.csv is not a file")).startswith("无法使用该语料：")
    unknown = "Export failed: unknown thing"
    assert describe(ValueError(unknown)) == unknown  # not an argument: shown as it is


def test_the_argument_is_the_name_before_the_first_colon():
    assert argument_of("text 2: is empty") == "text"
    assert argument_of("kv_heads: must divide 9") == "kv_heads"
    assert argument_of("a sentence with words: and more") == ""
    assert argument_of("no colon here") == ""
    assert argument_of("--in: a.txt is not a file") == "in"
