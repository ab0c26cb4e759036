"""NextTokenPanel during a knockout: each token's probability beside the baseline's, and the change."""

import pytest
from widget_helpers import show

from explorer.core.views import TokenChange
from explorer.gui.widgets.next_token_panel import NextTokenPanel

CHANGES = [
    TokenChange(" mat", 2803, "Ġmat", 0.5, 0.625),
    TokenChange(" rug", 5000, "Ġrug", 0.25, 0.125),
    TokenChange(" floor", 4062, "Ġfloor", 0.0625, 0.0625),
]


@pytest.fixture
def panel(qtbot):
    return show(qtbot, NextTokenPanel(), 400, 300)


def test_changes_add_baseline_and_delta_columns(panel):
    panel.show_changes(CHANGES, knocked_out=2)
    table = panel.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Next token", "Probability", "Baseline", "Δ"]
    assert [table.item(r, 0).text() for r in range(3)] == ["␣mat", "␣rug", "␣floor"]
    assert [table.cellWidget(r, 1).text() for r in range(3)] == ["50.0%", "25.0%", "6.2%"]
    assert [table.item(r, 2).text() for r in range(3)] == ["62.5%", "12.5%", "6.2%"]
    assert [table.item(r, 3).text() for r in range(3)] == ["-12.5 pp", "+12.5 pp", "+0.0 pp"]
    assert "2 head(s) knocked out" in panel.note.text()
    assert "id 5000" in table.item(1, 0).toolTip()


def test_back_to_plain_predictions_drops_the_extra_columns(panel):
    panel.show_changes(CHANGES, knocked_out=1)
    panel.show_predictions([(" mat", 0.625)])
    assert panel.table.columnCount() == 2 and panel.table.rowCount() == 1
