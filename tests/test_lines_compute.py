"""The Lines view's numbers (issue 28 item 1): every line is a visible pair of the head's exact map at or above the
threshold, with the map's weight, read through the same compute the heatmap uses; the threshold policy for long
texts; the figure and JSON drawn from those numbers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

from explorer.core.display import visible_of
from explorer.core.lines import check_threshold, default_threshold, head_lines, minimum_threshold
from explorer.core.views import MapRequest
from explorer.export.lines_figure import count_text, lines_payload, write_lines, write_lines_json
from explorer.gui.tools.maps.compute import compute_lines, compute_map

TEXT = "The animal didn't cross the street because it was too tired, and the street was wide."


def finished(generator):
    """The value a generator job returns, its progress reports drained."""
    try:
        while True:
            next(generator)
    except StopIteration as stop:
        return stop.value


@pytest.fixture(scope="module")
def windowed_run(tiny_causal_lm):
    """A sliding window: masked pairs on both sides of the visible band."""
    return tiny_causal_lm.run(TEXT, mask="causal,window=5")


@pytest.mark.parametrize("threshold", [0.0, 0.1])
def test_lines_are_the_exact_maps_visible_pairs_at_or_above_the_threshold(windowed_run, threshold):
    run, layer = windowed_run, 1
    result = finished(compute_lines(run, MapRequest(layer, 0, 0, "lines", threshold=threshold), 1, 1))
    assert len(result.heads) == run.n_heads
    for head, lines in enumerate(result.heads):
        full, visible = run.attention_and_visibility(layer, head)  # the engine's own map, independently
        rows, cols = np.nonzero(visible & (full >= threshold))
        assert lines.head == head
        np.testing.assert_array_equal(lines.rows, rows)
        np.testing.assert_array_equal(lines.cols, cols)
        np.testing.assert_allclose(lines.weights, full[rows, cols], atol=1e-6)
        assert visible[lines.rows, lines.cols].all()  # masked pairs are never lines
        shown = compute_map(run, MapRequest(layer, head, 0, "head"), 1, 1)  # the heatmap's numbers
        np.testing.assert_array_equal(lines.weights, shown.matrix[lines.rows, lines.cols])
        assert result.pairs == int(visible_of(shown.pixels).sum()) == int(visible.sum())


def test_norm_weighted_lines_are_the_norm_weighted_maps_numbers(windowed_run):
    run = windowed_run
    result = finished(compute_lines(run, MapRequest(0, 0, 0, "lines", weighting="norm", threshold=0.05), 1, 1))
    for head in (0, run.n_heads - 1):
        shown = compute_map(run, MapRequest(0, head, 0, "head", weighting="norm"), 1, 1)
        visible = visible_of(shown.pixels)
        rows, cols = np.nonzero(visible & (shown.matrix >= 0.05))
        np.testing.assert_array_equal(result.heads[head].rows, rows)
        np.testing.assert_array_equal(result.heads[head].weights, shown.matrix[rows, cols])


def test_long_texts_get_a_threshold_and_8k_tokens_no_lower_than_0_05():
    assert default_threshold(256) == 0.0 and minimum_threshold(256) == 0.0
    assert default_threshold(257) == 0.05
    assert minimum_threshold(2048) == 0.02 and default_threshold(2048) == 0.05
    assert minimum_threshold(8192) == 0.05 and default_threshold(8192) == 0.05
    assert minimum_threshold(16384) == 0.1
    with pytest.raises(ValueError, match="threshold: 0.01 is below 0.05, the lowest for 8,192 tokens"):
        check_threshold(0.01, 8192)
    with pytest.raises(ValueError, match="outside 0..1"):
        check_threshold(1.5, 10)
    assert check_threshold(0.05, 8192) == 0.05


def test_a_map_with_a_value_that_is_not_finite_is_refused_not_drawn():
    matrix = np.array([[1.0, 0.0], [np.nan, 0.5]], dtype=np.float32)
    with pytest.raises(ValueError, match="not finite"):
        head_lines(3, matrix, np.ones((2, 2), dtype=bool), 0.0)
    hidden = np.array([[True, False], [False, True]])
    assert len(head_lines(3, matrix, hidden, 0.0)) == 2  # a masked NaN is no line and no error


def random_lines(n=9, heads=3, threshold=0.1):
    rng = np.random.default_rng(1)
    visible = np.tril(np.ones((n, n), dtype=bool))
    out = []
    for head in range(heads):
        scores = np.where(visible, rng.normal(size=(n, n)) * 2, -np.inf)
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        out.append(head_lines(head, (weights / weights.sum(-1, keepdims=True)).astype(np.float32), visible, threshold))
    return [f"w{i}" for i in range(n)], out, int(visible.sum())


def opacity(style: str) -> float:
    """A path's stroke-opacity in matplotlib's SVG; none written means 1."""
    fields = dict(part.split(": ") for part in style.split("; "))
    return float(fields.get("stroke-opacity", 1.0))


def test_the_svg_holds_one_vector_line_per_pair_with_its_weight_as_opacity(tmp_path):
    tokens, heads, pairs = random_lines()
    path = tmp_path / "lines.svg"
    write_lines(path, tokens, heads, pairs=pairs, threshold=0.1, title="layer 1 · lines")
    root = ElementTree.parse(path).getroot()
    groups = {
        g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id", "").startswith("lines-")
    }
    for one in heads:
        drawn = list(groups[f"lines-head-{one.head}"].iter("{http://www.w3.org/2000/svg}path"))
        assert len(drawn) == len(one)
        opacities = sorted(opacity(p.get("style")) for p in drawn)
        np.testing.assert_allclose(opacities, sorted(one.weights), atol=1e-3)
    assert not (tmp_path / "lines.png").exists()
    write_lines(tmp_path / "lines.pdf", tokens, heads, pairs=pairs, threshold=0.1)
    assert (tmp_path / "lines.pdf").read_bytes().startswith(b"%PDF")


def test_the_count_line_and_the_json_say_what_was_drawn(tmp_path):
    tokens, heads, pairs = random_lines()
    drawn = sum(len(one) for one in heads)
    assert count_text(heads, pairs, 0.1) == f"{drawn:,} of {3 * pairs:,} lines ≥ 0.1"
    assert count_text(heads, pairs, 0.0) == f"all {3 * pairs:,} lines"
    path = tmp_path / "lines.json"
    write_lines_json(path, lines_payload(tokens, heads, pairs, 0.1, model="tiny", layer=1))
    data = json.loads(path.read_text())
    assert data["tokens"] == tokens and data["threshold"] == 0.1 and data["layer"] == 1
    assert data["heads"][2]["weight"] == pytest.approx(heads[2].weights.tolist())
    assert data["heads"][2]["query"] == heads[2].rows.tolist()
