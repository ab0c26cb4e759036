"""NavigationBar alone: its controls emit layer/head, view and sequence; the set_* calls clamp and stay quiet."""

import pytest
from PySide6.QtCore import Qt
from widget_helpers import show

from explorer.gui.widgets.navigation import NavigationBar


@pytest.fixture
def bar(qtbot):
    bar = show(qtbot, NavigationBar(), 700, 40)
    bar.set_shape(4, 6)
    bar.set_sequences(3, 0)
    return bar


def test_set_shape_sets_the_ranges_and_counts(bar):
    assert (bar.layer.maximum(), bar.head.maximum()) == (3, 5)
    assert (bar.layer_count.text(), bar.head_count.text()) == ("/ 3", "/ 5")


def test_layer_and_head_controls_emit_both_values(qtbot, bar):
    with qtbot.waitSignal(bar.layer_head_changed) as changed:
        bar.layer.setValue(2)
    assert changed.args == [2, 0]
    with qtbot.waitSignal(bar.layer_head_changed) as changed:
        bar.head.setValue(5)
    assert changed.args == [2, 5]


def test_arrow_key_in_the_layer_box_steps_the_layer(qtbot, bar):
    bar.layer.setFocus()
    with qtbot.waitSignal(bar.layer_head_changed) as changed:
        qtbot.keyClick(bar.layer, Qt.Key_Up)
    assert changed.args == [1, 0]


def test_view_and_sequence_choosers_emit_their_values(qtbot, bar):
    with qtbot.waitSignal(bar.view_changed) as changed:
        bar.view.setCurrentIndex(bar.view.findData("mean"))
    assert changed.args == ["mean"]
    with qtbot.waitSignal(bar.seq_changed) as changed:
        bar.seq.setCurrentIndex(2)
    assert changed.args == [2]


def test_set_position_clamps_to_the_shape_and_emits_nothing(qtbot, bar):
    with qtbot.assertNotEmitted(bar.layer_head_changed), qtbot.assertNotEmitted(bar.view_changed):
        bar.set_position(10, 10, "grid")
    assert (bar.layer.value(), bar.head.value()) == (3, 5)
    assert bar.view.currentData() == "grid"
    assert not bar.head.isEnabled(), "the head box means nothing when every head is shown"
    bar.set_position(1, 2, "head")
    assert bar.head.isEnabled() and (bar.layer.value(), bar.head.value()) == (1, 2)


def test_a_smaller_shape_clamps_the_position_quietly(qtbot, bar):
    bar.set_position(3, 5, "head")
    with qtbot.assertNotEmitted(bar.layer_head_changed):
        bar.set_shape(2, 3)
    assert (bar.layer.value(), bar.head.value()) == (1, 2)


def test_sequence_chooser_lists_the_batch_and_hides_for_one_sequence(qtbot, bar):
    assert [bar.seq.itemText(i) for i in range(bar.seq.count())] == [f"Sequence {i} of 3" for i in (1, 2, 3)]
    assert bar.seq.isVisible()
    with qtbot.assertNotEmitted(bar.seq_changed):
        bar.set_sequences(1, 0)
    assert not bar.seq.isVisible()
