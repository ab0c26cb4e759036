"""A run's warning that its text was cut to the model's context (Gemma 3: 32,768 tokens) reads in the interface's
language, with the numbers the engine gave; any other warning is shown as the engine said it."""

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.gui.error_text import describe_warning
from explorer.gui.i18n import install_translators

CUT = "text: longer than the model's context of 32768 tokens; dropped 20116 tokens"


@pytest.fixture
def chinese(qapp):
    translators = install_translators(QCoreApplication.instance(), "zh_CN")
    yield
    for translator in translators:
        QCoreApplication.instance().removeTranslator(translator)


def test_a_cut_text_is_said_in_english_with_its_numbers(qapp):
    said = describe_warning(CUT)
    assert said == "text: longer than the model's context of 32768 tokens; the last 20116 tokens were dropped"
    assert describe_warning("something else: kept as it is") == "something else: kept as it is"


def test_a_cut_text_is_said_in_chinese(chinese):
    said = describe_warning(CUT.replace("text:", "text 2:"))
    assert said == "文本 2：超过模型的上下文长度 32768 个词元；已丢弃最后 20116 个词元"
