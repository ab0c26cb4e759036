"""The Seq2seq Lab's task, score and positions choices read in the interface's language (they showed their
English keys, 'reverse' and 'sinusoidal', in the Chinese window), while the values kept are the same keys."""

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.gui.i18n import install_translators
from explorer.gui.tools.seq2seq.view import setting_fields


@pytest.fixture
def chinese(qapp):
    translators = install_translators(QCoreApplication.instance(), "zh_CN")
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_the_choices_are_translated_and_keep_their_keys(chinese):
    fields = {field.name: dict(field.choices) for field in setting_fields() if field.choices}
    assert fields["task"] == {"复制": "copy", "反转": "reverse", "排序": "sort", "日期": "dates"}
    assert fields["positions"] == {"正弦": "sinusoidal", "可学习": "learned"}
    assert set(fields["score"].values()) == {"additive", "dot", "general", "concat"}
    assert "加性" in fields["score"]
