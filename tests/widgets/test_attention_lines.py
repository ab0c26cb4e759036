"""AttentionLinesFigure alone, from numpy maps: the lines it draws are the map's pairs at or above the threshold,
with the map's weights as opacities; masked pairs draw nothing; hover and click isolate a token's lines."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from widget_helpers import click_scene, in_view, move_to_scene, show

from explorer.core.head_colours import head_rgb
from explorer.core.lines import head_lines, isolate
from explorer.gui.widgets.attention_lines import AttentionLinesFigure

N, HEADS = 12, 3
TOKENS = [f"t{i}" for i in range(N)]
VISIBLE = np.tril(np.ones((N, N), dtype=bool))


def causal_maps(seed: int = 0) -> np.ndarray:
    """(H, N, N) float32: rows of random weights over the visible keys, summing to 1; 0 where masked."""
    scores = np.random.default_rng(seed).normal(size=(HEADS, N, N)) * 2.0
    scores = np.where(VISIBLE, scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


MAPS = causal_maps()


def figure_with(qtbot, threshold: float, shown=(0, 1, 2)) -> AttentionLinesFigure:
    figure = show(qtbot, AttentionLinesFigure(), 600, 500)
    heads = [head_lines(h, MAPS[h], VISIBLE, threshold) for h in range(HEADS)]
    figure.show_lines(TOKENS, heads, int(VISIBLE.sum()), threshold, "layer 0", shown=shown)
    return figure


def expected(head: int, threshold: float, keep=None) -> set[tuple[int, int, int]]:
    """(query, key, alpha 0..255) of every visible pair ≥ threshold, from the map itself."""
    rows, cols = np.nonzero(VISIBLE & (MAPS[head] >= threshold) & (keep if keep is not None else True))
    return {(int(r), int(c), int(round(float(MAPS[head, r, c]) * 255))) for r, c in zip(rows, cols)}


def drawn(figure, head: int) -> set[tuple[int, int, int]]:
    rows, cols, codes = figure.drawn_lines()[head]
    return set(zip(rows.tolist(), cols.tolist(), codes.tolist()))


@pytest.mark.parametrize("threshold", [0.0, 0.05, 0.3])
def test_the_lines_drawn_are_the_maps_pairs_at_or_above_the_threshold_with_their_weights(qtbot, threshold):
    figure = figure_with(qtbot, threshold)
    for head in range(HEADS):
        assert drawn(figure, head) == expected(head, threshold)
        assert all(VISIBLE[r, c] for r, c, _ in drawn(figure, head))  # masked pairs draw nothing
    total = 3 * int(VISIBLE.sum())
    count = sum(len(expected(h, threshold)) for h in range(HEADS))
    text = figure.count.text()
    assert (f"{count:,} of {total:,}" in text) if threshold else (f"{total:,}" in text)


def test_each_stroke_is_a_heads_colour_at_one_opacity_and_holds_its_lines(qtbot):
    figure = figure_with(qtbot, 0.05)
    segments = 0
    for pen, path in figure.canvas.lines.strokes:
        colour = pen.color()
        assert (colour.red(), colour.green(), colour.blue()) in {head_rgb(h) for h in range(HEADS)}
        segments += path.elementCount() // 2  # a move and a line per segment
    assert segments == sum(len(expected(h, 0.05)) for h in range(HEADS))
    assert len(figure.canvas.lines.strokes) < segments  # batched by opacity, not one stroke per line


def test_a_head_change_draws_only_that_heads_lines(qtbot):
    figure = figure_with(qtbot, 0.05, shown=(0,))
    assert set(figure.drawn_lines()) == {0}
    figure.set_shown_heads((2,))
    assert set(figure.drawn_lines()) == {2} and drawn(figure, 2) == expected(2, 0.05)
    assert figure.chips.checked() == (2,)


def test_clicking_a_chip_adds_its_head(qtbot):
    figure = figure_with(qtbot, 0.05, shown=(0,))
    with qtbot.waitSignal(figure.heads_changed):
        figure.chips.chips[1].click()
    assert set(figure.drawn_lines()) == {0, 1}


def test_selecting_a_query_isolates_its_row_and_a_key_its_column(qtbot):
    figure = figure_with(qtbot, 0.0)
    figure.select(("query", 7))
    row = np.zeros((N, N), dtype=bool)
    row[7] = True
    for head in range(HEADS):
        assert drawn(figure, head) == expected(head, 0.0, keep=row)
    figure.select(("key", 2))
    column = np.zeros((N, N), dtype=bool)
    column[:, 2] = True
    for head in range(HEADS):
        assert drawn(figure, head) == expected(head, 0.0, keep=column)
    figure.select(None)
    assert drawn(figure, 0) == expected(0, 0.0)


def test_hovering_a_token_label_isolates_it_and_reads_out_its_strongest_line(qtbot, every_mouse_move):
    figure = figure_with(qtbot, 0.0, shown=(1,))
    canvas = figure.canvas
    with qtbot.waitSignal(figure.hovered) as signal:
        move_to_scene(qtbot, canvas, in_view(canvas.view, 0.05, 5))
    strongest = int(np.argmax(MAPS[1, 5]))
    assert 'query 5 "t5": 6 lines' in signal.args[0]
    assert f'strongest → {strongest} "t{strongest}" {MAPS[1, 5, strongest]:.4f} (head 1)' in signal.args[0]
    assert {r for r, _, _ in drawn(figure, 1)} == {5}
    move_to_scene(qtbot, canvas, in_view(canvas.view, 0.97, 3))
    assert {c for _, c, _ in drawn(figure, 1)} == {3}


def test_clicking_pins_a_token_and_escape_lets_go(qtbot):
    figure = figure_with(qtbot, 0.0)
    canvas = figure.canvas
    with qtbot.waitSignal(figure.token_selected) as signal:
        click_scene(qtbot, canvas, in_view(canvas.view, 0.02, 9))
    assert signal.args == ["query", 9] and figure.selected == ("query", 9)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key_Escape)
    assert figure.selected is None


def test_a_long_text_scrolls_and_follows_the_selected_token(qtbot):
    n = 2048
    figure = show(qtbot, AttentionLinesFigure(), 600, 500)
    rows = np.arange(n, dtype=np.int32)
    lines = head_lines(0, np.eye(n, dtype=np.float32), np.eye(n, dtype=bool), 0.05)
    figure.show_lines([f"w{i}" for i in range(n)], [lines], n, 0.05, shown=(0,))
    low, high = figure.canvas.view.viewRange()[1]
    assert high - low < 60  # rows of readable height, not 2,048 squeezed labels
    figure.select(("query", 1500))
    low, high = figure.canvas.view.viewRange()[1]
    assert low < 1500 < high
    assert np.array_equal(isolate(lines, "query", 1500).rows, rows[1500:1501])


def test_a_threshold_typed_asks_for_new_lines(qtbot):
    figure = figure_with(qtbot, 0.05)
    with qtbot.waitSignal(figure.threshold_changed) as signal:
        figure.threshold_box.setValue(0.2)
    assert signal.args == [pytest.approx(0.2)]
