"""The status bar names the Patching and Query–Key tools' jobs, in Chinese too: they read '正在处理…' (Working)
while a sweep ran for a minute (seen in the zh window on SmolLM2)."""

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.gui.i18n import install_translators
from explorer.gui.job_status import job_label


@pytest.fixture
def chinese(qapp):
    translators = install_translators(QCoreApplication.instance(), "zh_CN")
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


KINDS = ("patching", "patching-scores", "patching-attribution", "neuron-view", "qk-scatter")


def test_each_kind_has_its_own_name(qapp):
    assert all(job_label(kind) != "Working" for kind in KINDS)


def test_each_name_reads_in_chinese(chinese):
    for kind in KINDS:
        assert job_label(kind) != "正在处理" and not any("a" <= c.lower() <= "z" for c in job_label(kind)), kind
