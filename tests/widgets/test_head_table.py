"""HeadTable alone: one row per head from numpy scores, n/a, numeric sorting with n/a last, the knockout column."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from widget_helpers import show

from explorer.gui.widgets.head_table import HeadTable

LAYERS, HEADS = 3, 4


def scores() -> dict:
    rng = np.random.default_rng(5)
    first = rng.random((LAYERS, HEADS))
    first[2, 1] = np.nan
    return {"previous_token": first, "entropy": rng.random((LAYERS, HEADS)) * 10}


@pytest.fixture
def table(qtbot):
    table = show(qtbot, HeadTable(), 600, 400)
    table.show_scores(scores(), [0, 0, 1, 1], knocked_out=[(1, 2)])
    return table


def column(table, index):
    return [table.text(row, index) for row in range(table.row_count())]


def test_one_row_per_head_with_every_score(table):
    assert table.row_count() == LAYERS * HEADS
    headers = [table.model().headerData(c, Qt.Horizontal) for c in range(table.model().columnCount())]
    assert headers == ["✕", "layer", "head", "KV group", "previous_token", "entropy"]
    np.testing.assert_allclose(table.values("entropy"), scores()["entropy"])
    row = table.row_of(2, 1)
    assert table.text(row, table.column_of("previous_token")) == "n/a"
    assert table.text(row, 3) == "0" and table.text(table.row_of(0, 3), 3) == "1"
    assert table.model().index(table.row_of(1, 2), 0).data(Qt.CheckStateRole) == Qt.Checked
    assert table.model().index(table.row_of(0, 0), 0).data(Qt.CheckStateRole) == Qt.Unchecked
    assert table.is_knocked_out(table.row_of(1, 2)) and not table.is_knocked_out(table.row_of(0, 0))


def test_sorting_is_numeric_and_na_goes_last_both_ways(table):
    index = table.column_of("previous_token")
    for ascending in (True, False):
        table.sort_by("previous_token", ascending)
        texts = column(table, index)
        assert texts[-1] == "n/a"
        numbers = [float(t) for t in texts[:-1]]
        assert numbers == sorted(numbers, reverse=not ascending)
        assert table.sort_key() == ("previous_token", ascending)
    table.sort_by("entropy", False)
    values = [float(table.text(row, table.column_of("entropy"))) for row in range(table.row_count())]
    assert values == sorted(values, reverse=True), "10 > 9: numbers, not text"


def test_the_checkbox_and_clicks(qtbot, table):
    row = table.row_of(0, 2)
    with qtbot.waitSignal(table.knockout_toggled) as toggled:
        table.tick(row, True)
    assert toggled.args == [0, 2, True]
    with qtbot.assertNotEmitted(table.knockout_toggled):
        table.set_knockouts([(2, 3)])
    assert table.is_knocked_out(table.row_of(2, 3))
    assert not table.is_knocked_out(table.row_of(0, 2))
    with qtbot.waitSignal(table.knockout_toggled) as toggled:  # a real click on the box, as a user ticks it
        box = table.visualRect(table.model().index(table.row_of(1, 0), 0))
        qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=box.center())
    assert toggled.args == [1, 0, True] and table.is_knocked_out(table.row_of(1, 0))
    with qtbot.waitSignal(table.head_clicked) as clicked:
        rect = table.visualRect(table.model().index(table.row_of(1, 1), 1))
        qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    assert clicked.args == [1, 1]


def test_new_scores_keep_the_sort(table):
    table.sort_by("entropy", True)
    table.show_scores(scores(), [0, 0, 1, 1])
    assert table.sort_key() == ("entropy", True)
