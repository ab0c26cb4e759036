"""LensPanel alone: one row per layer with its top tokens and probabilities, or a note."""

import pytest
from widget_helpers import show

from explorer.gui.widgets.lens_panel import LensPanel

LENS = [[(" the", 0.5), (" a", 0.25)], [(" mat", 0.75), ("\n", 0.125)], [(" mat", 0.875), (" floor", 0.0625)]]


@pytest.fixture
def panel(qtbot):
    return show(qtbot, LensPanel(), 400, 300)


def test_each_layer_lists_its_top_tokens(panel):
    panel.show_lens(LENS)
    table = panel.table
    assert table.rowCount() == 3 and table.columnCount() == 2 and table.isEnabled()
    assert table.verticalHeaderItem(2).text() == "layer 2"
    assert table.item(2, 0).text() == "␣mat  88%" and table.item(1, 1).text() == "↵  12%"
    assert "top 2" in panel.note.text()


def test_a_message_replaces_the_rows(panel):
    panel.show_lens(LENS)
    panel.show_message("an encoder")
    assert panel.table.rowCount() == 0 and not panel.table.isEnabled() and panel.note.text() == "an encoder"
    assert panel.lens is None
