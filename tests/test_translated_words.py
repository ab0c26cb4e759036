"""Words the interface used to show in English inside Chinese text (issue 21 item 10): the status bar's summary of
a run's mask and positions, and the pooling kernel in a figure title."""

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication

from explorer.gui.i18n import install_translators
from explorer.gui.variant_bridge import describe_run_options
from models.options import parse_mask


@pytest.fixture
def chinese(qapp):
    translators = install_translators(QCoreApplication.instance(), "zh_CN")
    assert translators, "the Chinese catalogue is found or compiled"
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def a_run(mask: str, positional: str):
    options = SimpleNamespace(
        mask=parse_mask(mask), positional=positional, rope_theta=100000.0, padding_mask=True, temperature=1.0
    )
    return SimpleNamespace(options=options, kv_heads=3, n_heads=9, kind="GQA")


def test_the_status_summary_reads_in_english_by_default(qapp):
    text = describe_run_options(a_run("causal,window=8,no-self", "rope"))
    assert text.startswith("mask causal,window=8,no-self · pos RoPE θ=100000 · KV heads 3/9 (GQA)")


@pytest.mark.parametrize(
    ("mask", "positional", "words"),
    [
        ("causal,window=8", "rope", ["因果", "window=8"]),
        ("bidirectional,no-self", "learned", ["双向", "不看自身", "可学习"]),
    ],
)
def test_the_status_summary_reads_in_chinese(chinese, mask, positional, words):
    text = describe_run_options(a_run(mask, positional))
    for word in words:
        assert word in text
    for english in ("causal", "bidirectional", "learned", "no-self", "mask ", "pos "):
        assert english not in text


@pytest.mark.parametrize("kind", ["lab-train", "head-importance", "attention-flow", "generate", "lab-costs"])
def test_the_status_bar_names_a_job_in_chinese(chinese, kind):
    from explorer.gui.job_status import job_label

    label = job_label(kind)
    words = label.replace("MHA", "").replace("GQA", "").replace("MQA", "")  # the groupings' names stay as they are
    assert label and all(not ("a" <= char.lower() <= "z") for char in words)


def test_a_job_of_another_kind_is_never_named_by_its_internal_kind(qapp):
    from explorer.gui.job_status import job_label

    assert job_label("foundations-scores-qk") == "Working" and job_label("lab-train") == "Training the lab model"


def test_one_token_is_singular_in_english_and_counted_in_chinese(qapp):
    from explorer.gui.i18n import token_count

    assert (token_count(1), token_count(0), token_count(12)) == ("1 token", "0 tokens", "12 tokens")


def test_token_counts_read_in_chinese(chinese):
    from explorer.gui.i18n import token_count

    assert (token_count(1), token_count(12)) == ("1 个词元", "12 个词元")
