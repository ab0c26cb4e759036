"""TokenStrip alone: one chip per token, special and pad tokens styled apart, selection and clicks."""

import pytest
from PySide6.QtCore import Qt
from widget_helpers import show

from explorer.gui.widgets.token_strip import PAD_FOREGROUND, SPECIAL_BACKGROUND, TokenStrip

TOKENS = ["<s>", " The", " cat", "\n", "<pad>", "<pad>"]
SPECIAL = [True, False, False, False, True, True]
IS_REAL = [True, True, True, True, False, False]
IDS = [1, 504, 2368, 198, 0, 0]
PIECES = ["<s>", "ĠThe", "Ġcat", "Ċ", "<pad>", "<pad>"]


@pytest.fixture
def strip(qtbot):
    strip = show(qtbot, TokenStrip(), 500, 90)
    strip.show_tokens(TOKENS, SPECIAL, IS_REAL, IDS, PIECES)
    return strip


def test_one_chip_per_token_with_visible_whitespace(strip):
    assert strip.count() == len(TOKENS)
    assert [strip.item(i).text() for i in range(strip.count())] == ["<s>", "␣The", "␣cat", "↵", "<pad>", "<pad>"]
    # The tooltip shows what the tokenizer really holds: the raw piece and the id.
    assert strip.item(2).toolTip() == "#2  ␣cat  ·  id 2368  ·  piece 'Ġcat'"


def test_special_and_pad_tokens_are_marked(strip):
    kinds = [strip.item(i).data(Qt.UserRole) for i in range(strip.count())]
    assert kinds == ["special", "token", "token", "token", "pad", "pad"]
    special, pad, plain = strip.item(0), strip.item(4), strip.item(1)
    assert special.font().bold() and special.background().color() == SPECIAL_BACKGROUND
    assert special.toolTip() == "#0  <s>  ·  id 1  ·  piece '<s>'  ·  special"
    assert pad.font().italic() and pad.foreground().color() == PAD_FOREGROUND
    assert pad.toolTip() == "#4  <pad>  ·  id 0  ·  piece '<pad>'  ·  special  ·  padding"
    assert not plain.font().bold() and not plain.font().italic()


def test_select_token_selects_one_and_clears_out_of_range(strip):
    strip.select_token(2)
    assert strip.currentRow() == 2 and [strip.row(i) for i in strip.selectedItems()] == [2]
    strip.select_token(None)
    assert strip.selectedItems() == []
    strip.select_token(3)
    strip.select_token(len(TOKENS))
    assert strip.selectedItems() == []


def test_clicking_a_chip_emits_its_position(qtbot, strip):
    for index in (2, 0, 5):
        chip = strip.visualItemRect(strip.item(index)).center()
        with qtbot.waitSignal(strip.token_clicked) as clicked:
            qtbot.mouseClick(strip.viewport(), Qt.LeftButton, pos=chip)
        assert clicked.args == [index]


def test_new_tokens_replace_the_old_ones(strip):
    strip.show_tokens(["a", "b"], [False, False], [True, True])
    assert [strip.item(i).text() for i in range(strip.count())] == ["a", "b"]
    assert strip.item(1).toolTip() == "#1  b"  # without ids and pieces, the tooltip has neither
