"""TokenAxis alone: one label per cell centre, thinned so labels never overlap, sized to the widest label."""

import math

from explorer.core.display import label_step
from explorer.gui.widgets.token_axis import MAX_AXIS_PIXELS, TokenAxis

TOKENS = [f" tok{i}" for i in range(100)]


def axis_with_labels(orientation="left", rotate=False, tokens=TOKENS) -> TokenAxis:
    axis = TokenAxis(orientation, rotate=rotate)
    axis.set_labels(tokens)
    return axis


def test_labels_are_display_labels(qtbot):
    axis = axis_with_labels(tokens=["<s>", " cat", "\n", " " + "x" * 30])
    assert axis.labels == ["<s>", "␣cat", "↵", "␣" + "x" * 12 + "…"]  # a leading space is marked, not dropped


def test_every_label_shows_when_there_is_room(qtbot):
    axis = axis_with_labels()
    line = axis.metrics.height() + 1
    ((spacing, values),) = axis.tickValues(0, 9, 10 * line + 1)
    assert spacing == 1 and values == [float(i) for i in range(10)]
    assert axis.tickStrings(values, 1, 1) == [f"␣tok{i}" for i in range(10)]


def test_labels_thin_to_multiples_of_a_step_when_crowded(qtbot):
    axis = axis_with_labels()
    size = 200.0
    step = label_step(100, size, axis.metrics.height() + 1)
    assert step > 1, "100 labels cannot fit in 200 pixels"
    ((spacing, values),) = axis.tickValues(0, 99, size)
    assert spacing == step and values == [float(v) for v in range(0, 100, step)]
    pixels_between_labels = step * size / 100
    assert pixels_between_labels >= axis.metrics.height() + 1, "neighbouring labels do not overlap"
    assert (step - 1) * size / 100 < axis.metrics.height() + 1, "and no more are dropped than need be"
    ((_, panned),) = axis.tickValues(7, 99, size)  # panning keeps the same multiples, so labels do not jump
    assert all(v % step == 0 for v in panned) and panned[0] == math.ceil(7 / step) * step


def test_ticks_stay_inside_the_tokens(qtbot):
    axis = axis_with_labels(tokens=TOKENS[:5])
    ((_, values),) = axis.tickValues(-3.0, 12.0, 1000)
    assert values == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert axis.tickValues(6, 9, 1000) == []
    assert axis.tickStrings([4.0, 5.0], 1, 1) == ["␣tok4", ""]


def test_axis_is_sized_to_the_widest_label_up_to_a_limit(qtbot):
    short = axis_with_labels(tokens=["a", "b"])
    long = axis_with_labels(tokens=["a", "x" * 13])
    assert short.width() < long.width() <= MAX_AXIS_PIXELS + 12
    rotated = axis_with_labels("top", rotate=True, tokens=["a", "x" * 13])
    flat = axis_with_labels("top", rotate=False, tokens=["a", "x" * 13])
    assert rotated.height() > flat.height() == int(flat.metrics.height() + 8)
