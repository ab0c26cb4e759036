"""Generate's spin boxes say their range (tooltip) and say so when a typed value was out of it, instead of
silently keeping the old value (a number past the maximum could not even be typed; one below the minimum was
put back without a word). The tool shows the sentence in the status bar."""

from PySide6.QtCore import Qt

from explorer.gui.tools.generate.state import MAX_COUNT
from explorer.gui.tools.generate.view import GenerateView
from explorer.gui.widgets.range_spin import RangeSpinBox


def type_into(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


def test_a_count_past_the_maximum_is_set_to_the_maximum_and_said(qtbot):
    view = GenerateView("viridis", "linear")
    qtbot.addWidget(view)
    view.show()
    view.count.setValue(20)
    said = []
    view.count.out_of_range.connect(said.append)
    type_into(qtbot, view.count, "5000")
    assert view.count.value() == MAX_COUNT  # the nearest value in range, not the old 20 nor the typed-so-far 500
    assert said == [f"New tokens: 5000 is out of range (from 1 to {MAX_COUNT}); set to {MAX_COUNT}"]
    assert view.count.toolTip().endswith(f"(from 1 to {MAX_COUNT})")


def test_a_temperature_below_the_minimum_is_said_and_every_box_tells(qtbot):
    view = GenerateView("viridis", "linear")
    qtbot.addWidget(view)
    view.show()
    view.sampling.setCurrentIndex(1)
    said = []
    for box in view.range_boxes():
        box.out_of_range.connect(said.append)
    type_into(qtbot, view.temperature, "0")
    assert view.temperature.value() == 0.05
    assert said == ["Sampling temperature: 0 is out of range (from 0.05 to 5.00); set to 0.05"]
    type_into(qtbot, view.temperature, "0.7")  # in range: nothing said
    assert view.temperature.value() == 0.7 and len(said) == 1
    assert {view.count, view.temperature, view.seed, view.layer, view.head} == set(view.range_boxes())


def test_the_tooltip_follows_a_new_range(qtbot):
    box = RangeSpinBox(0, 0, "Layer", "The layer whose head is shown")
    qtbot.addWidget(box)
    box.setMaximum(29)  # a model with 30 layers was loaded
    assert box.toolTip() == "The layer whose head is shown (from 0 to 29)"
    box.setRange(0, 11)
    assert box.toolTip() == "The layer whose head is shown (from 0 to 11)"


def test_query_key_and_patching_spin_boxes_tell_their_range_too(qtbot):
    from explorer.gui.tools.geometry.view import GeometryView
    from explorer.gui.tools.patching.results import AttributionPage

    geometry, attribution = GeometryView(), AttributionPage()
    qtbot.addWidget(geometry)
    qtbot.addWidget(attribution)
    attribution.show()
    said = []
    for box in (*geometry.range_boxes(), *attribution.range_boxes()):
        assert isinstance(box, RangeSpinBox) and "(from " in box.toolTip()
        box.out_of_range.connect(said.append)
    type_into(qtbot, attribution.steps, "5000")
    assert attribution.steps.value() == 1024
    assert said == ["IG steps: 5000 is out of range (from 1 to 1024); set to 1024"]
    assert geometry.pool_points.toolTip().endswith("(from 2 to 100000)")
