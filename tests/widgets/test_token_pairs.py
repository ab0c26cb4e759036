"""TokenPairs alone: two token lists aligned by position, the differing positions found and highlighted, and
the positions past a shorter text marked as missing."""

from PySide6.QtCore import Qt
from widget_helpers import show

from explorer.gui.widgets.token_pairs import DIFFERENT, MISSING, TokenPairs, differing_positions


def test_differing_positions_counts_the_positions_past_the_shorter_text():
    assert differing_positions(["a", "b", "c"], ["a", "x", "c"]) == [1]
    assert differing_positions(["a", "b"], ["a", "b", "c", "d"]) == [2, 3]
    assert differing_positions([], []) == []


def test_the_differing_column_is_highlighted_and_the_others_are_not(qtbot):
    pairs = show(qtbot, TokenPairs(), 600, 120)
    pairs.show_pair(["When", " Mary", " gave"], ["When", " John", " gave"])
    assert pairs.columnCount() == 3 and pairs.differing == [1]
    assert pairs.item(0, 1).background().color() == DIFFERENT and pairs.item(1, 1).font().bold()
    assert pairs.item(0, 0).background().style() == Qt.NoBrush and pairs.item(1, 2).text() == "␣gave"
    assert "differ" in pairs.item(1, 1).toolTip()


def test_a_shorter_text_leaves_its_missing_positions_marked(qtbot):
    pairs = show(qtbot, TokenPairs(), 600, 120)
    pairs.show_pair(["a", "b"], ["a", "b", "c"])
    assert pairs.columnCount() == 3 and pairs.item(0, 2).text() == ""
    assert pairs.item(0, 2).background().color() == MISSING and pairs.item(1, 2).text() == "c"
    pairs.clear_pair()
    assert pairs.columnCount() == 0 and pairs.differing == []
