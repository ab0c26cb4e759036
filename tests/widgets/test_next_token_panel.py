"""NextTokenPanel alone: one row per predicted token with its probability, or a note for encoders."""

import pytest
from widget_helpers import show

from explorer.gui.widgets.next_token_panel import NextTokenPanel

PREDICTIONS = [(" mat", 0.625), ("\n", 0.25), (" floor", 0.0312)]
PIECES = [(2803, "Ġmat"), (198, "Ċ"), (4062, "Ġfloor")]


@pytest.fixture
def panel(qtbot):
    return show(qtbot, NextTokenPanel(), 300, 300)


def test_rows_show_tokens_and_probabilities(panel):
    panel.show_predictions(PREDICTIONS, PIECES)
    table = panel.table
    assert table.isEnabled() and table.rowCount() == 3
    assert [table.item(row, 0).text() for row in range(3)] == ["␣mat", "↵", "␣floor"]  # " mat" and "mat" differ
    assert table.item(1, 0).toolTip() == "'\\n'  ·  id 198  ·  piece 'Ċ'"
    bars = [table.cellWidget(row, 1) for row in range(3)]
    assert [bar.value() for bar in bars] == [625, 250, 31]
    assert [bar.text() for bar in bars] == ["62.5%", "25.0%", "3.1%"]
    assert panel.note.text() == "After the last token, the model predicts:"


def test_an_encoder_gets_a_note_and_no_rows(panel):
    panel.show_predictions(PREDICTIONS)
    panel.show_predictions(None)
    assert panel.table.rowCount() == 0 and not panel.table.isEnabled()
    assert "causal language model" in panel.note.text()


def test_fewer_predictions_replace_the_rows(panel):
    panel.show_predictions(PREDICTIONS)
    panel.show_predictions([("!", 1.0)])
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "!"
    assert panel.table.cellWidget(0, 1).text() == "100.0%"
