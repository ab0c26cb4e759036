"""Compare's layer and head boxes say their range (tooltip) and say so when a typed value was out of it, as
Generate's do, instead of silently clamping it; the tool shows the sentence in the status bar."""

from PySide6.QtCore import Qt

from explorer.gui.tools.compare.view import CompareView


def type_into(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def test_a_layer_past_the_last_is_set_to_it_and_said_and_the_tooltips_give_the_range(qtbot):
    view = CompareView("viridis")
    qtbot.addWidget(view)
    view.show()
    view.set_shape(18, 4)  # Gemma 3: 18 layers of 4 heads
    said = []
    for box in (view.layer, view.head):
        box.out_of_range.connect(said.append)
    type_into(qtbot, view.layer, "40")
    assert view.layer.value() == 17
    assert said == ["Layer: 40 is out of range (from 0 to 17); set to 17"]
    type_into(qtbot, view.head, "2")  # in range: nothing said
    assert view.head.value() == 2 and len(said) == 1
    assert view.layer.toolTip().endswith("(from 0 to 17)") and view.head.toolTip().endswith("(from 0 to 3)")
