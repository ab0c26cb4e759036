"""FormulaPanel and ViewFrame alone: formulas shown as given (escaped), the frame's export button and readout."""

from widget_helpers import show

from explorer.gui.widgets.formula_panel import FormulaPanel
from explorer.gui.widgets.line_plot import LinePlot
from explorer.gui.widgets.view_frame import ViewFrame


def test_formulas_are_shown_escaped_and_line_by_line(qtbot):
    panel = show(qtbot, FormulaPanel(), 300, 200)
    panel.set_formulas([("Scaled dot", "score = q·k / √d"), ("Bias", "b < 0\nfor j > i")], "a note")
    text = panel.text()
    assert "q·k / √d" in text and "b &lt; 0<br>for j &gt; i" in text and "a note" in text
    assert panel.plain_text() == "Scaled dot: score = q·k / √d\nBias: b < 0\nfor j > i"


def test_the_frame_forwards_export_and_shows_the_figure_readout(qtbot):
    figure = LinePlot()
    frame = show(qtbot, ViewFrame("Loss <w>", figure), 300, 250)
    assert "Loss &lt;w&gt;" in frame.title.text()
    with qtbot.waitSignal(frame.export_requested):
        frame.export_button.click()
