"""Property-based tests of the token-label functions: a token's text (models' TextTokenizer.label) and its
axis label (explorer.core.display.display_label) never raise, and an axis label is short and printable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.display import MAX_LABEL_CHARS, display_label

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None)

# Every character there is, lone surrogates (category Cs) and control characters included.
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=40)
awkward = st.sampled_from(
    [
        "\ud800",
        "\udfff",
        "a\ud83d",
        "\x00",
        "\x1b[31m",
        "\r\n",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\u2028",
        "\xa0",
        "\u3000",
    ]
)
tokens = st.one_of(
    any_text,
    st.lists(st.one_of(awkward, any_text), max_size=6).map("".join),
    st.builds(lambda c, n: c * n, st.one_of(awkward, st.sampled_from([" ", "x", "é", "猫"])), st.integers(0, 5000)),
)


def check_label(label: str) -> None:
    assert isinstance(label, str) and 1 <= len(label) <= MAX_LABEL_CHARS
    assert label.isprintable(), f"{label!r} holds a character Qt would draw as nothing or a box"
    label.encode("utf-8")  # no lone surrogate survives


@FUZZ
@given(token=tokens)
def test_display_label_is_short_printable_text_for_any_string(token):
    check_label(display_label(token))


@FUZZ
@given(token=st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P", "S")), min_size=1, max_size=14))
def test_display_label_keeps_an_ordinary_token_as_it_is(token):
    assert display_label(token) == token


@pytest.fixture(scope="module", params=["smollm", "minilm"])
def tokenizer(request):
    return request.getfixturevalue(request.param).tokenizer


def test_every_id_of_the_shipped_tokenizers_has_a_label(tokenizer):
    for token_id in range(tokenizer.vocab_size):
        label = tokenizer.label(token_id)
        assert isinstance(label, str) and label, token_id
        label.encode("utf-8")
        check_label(display_label(label))


@FUZZ
@given(data=st.data())
def test_any_id_in_the_vocabulary_or_just_past_it_has_a_label(tokenizer, data):
    token_id = data.draw(st.integers(0, tokenizer.vocab_size + 1000))
    label = tokenizer.label(token_id)
    assert isinstance(label, str) and label
    check_label(display_label(label))


@FUZZ
@given(token_id=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**32)))
def test_an_id_outside_every_vocabulary_is_a_value_error_naming_it(tokenizer, token_id):
    with pytest.raises(ValueError, match="token id: "):
        tokenizer.label(token_id)
