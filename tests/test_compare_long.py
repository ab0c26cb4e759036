"""The Compare tool past the screen's size (issue 27): A and B as block maxima computed block by block, zoomed
regions finer down to cells, no B − A (a difference of maxima is not the maximum of the difference), and an export
that says why it refuses rather than writing 4 GB maps. A tiny random model and 600 tokens, past an EXACT_UP_TO
lowered to 256 for the test (the tiny model's context is 2,048)."""

import numpy as np
import pytest

import models.analysis
from explorer.core import summary_pixels
from explorer.core.summary_pixels import EXACT_UP_TO as LIMIT  # 2,048, as the export reads it
from explorer.gui.tools.compare.compute import PairCache, head_maps, region_maps
from explorer.gui.tools.compare.tool import too_long_for_the_diff
from models.options import RunOptions

N, PIXELS, EXACT = 600, 100, 256


@pytest.fixture(autouse=True)
def exact_up_to_256(monkeypatch):
    monkeypatch.setattr(summary_pixels, "EXACT_UP_TO", EXACT)


class Context:
    def __init__(self):
        self.reports = []

    def report(self, done, total, message=""):
        self.reports.append((done, total, message))


@pytest.fixture(scope="module")
def pair(tiny_causal_lm):
    ids = [int(i) for i in np.random.default_rng(5).integers(3, tiny_causal_lm.config.vocab_size, N)]
    cache = PairCache()
    cache.key = ("text", 0)
    window = RunOptions.from_dict({"mask": "causal,window=64"})
    cache.runs = (tiny_causal_lm.run_ids([ids]), tiny_causal_lm.run_ids([ids], options=window))
    return cache


def block_maxima(full: np.ndarray, visible: np.ndarray, rows, cols) -> np.ndarray:
    """The maximum of each block's visible cells, straight from the full map (NaN-free: hidden cells are 0)."""
    out = np.zeros((len(rows) - 1, len(cols) - 1), dtype=np.float32)
    for i, (r0, r1) in enumerate(zip(rows[:-1], rows[1:])):
        for j, (c0, c1) in enumerate(zip(cols[:-1], cols[1:])):
            cells = full[r0:r1, c0:c1][visible[r0:r1, c0:c1]]
            out[i, j] = cells.max() if cells.size else 0.0
    return out


def test_a_long_text_shows_a_and_b_as_block_maxima_without_a_diff(pair, monkeypatch):
    ctx = Context()
    monkeypatch.setattr(models.analysis, "diff_map", lambda *a: pytest.fail("a full N × N diff was built"))
    maps = head_maps(pair, pair.key, 1, 3, PIXELS, ctx)
    assert N > EXACT and maps.summary and maps.diff is None and maps.diff_pixels is None
    rows, cols = maps.edges
    assert rows[0] == cols[0] == 0 and rows[-1] == cols[-1] == N and len(rows) - 1 <= PIXELS
    for variant, values in enumerate((maps.a, maps.b)):
        run = pair.runs[variant]
        full, visible = run.attention_and_visibility(1, 3)
        np.testing.assert_allclose(values, block_maxima(full, visible, rows, cols), rtol=1e-6, atol=1e-7)
    assert ctx.reports and ctx.reports[-1][0] == ctx.reports[-1][1]  # progress, to the end
    assert "600" in too_long_for_the_diff(N)


def test_a_zoomed_region_of_a_long_text_comes_cell_by_cell_once_it_fits(pair):
    region = region_maps(pair, pair.key, 1, 0, 2, PIXELS, (300, 380, 250, 340), Context())
    assert region.variant == 1 and list(region.row_edges) == list(range(300, 381))
    full, _ = pair.runs[1].attention_and_visibility(0, 2)
    np.testing.assert_allclose(region.values, full[300:380, 250:340], rtol=1e-6, atol=1e-8)
    assert region_maps(pair, ("another text", 0), 1, 0, 2, PIXELS, (0, 10, 0, 10), Context()) is None


def test_a_short_text_keeps_its_exact_maps_and_diff(tiny_causal_lm):
    cache = PairCache()
    cache.key = ("short", 0)
    ids = list(range(3, 40))
    cache.runs = (tiny_causal_lm.run_ids([ids]), tiny_causal_lm.run_ids([ids], options=RunOptions(temperature=0.5)))
    maps = head_maps(cache, cache.key, 0, 0, PIXELS)
    assert not maps.summary and maps.a.shape == (37, 37)
    np.testing.assert_allclose(maps.diff, cache.runs[1].attention(0, 0) - cache.runs[0].attention(0, 0), atol=1e-7)


def test_export_comparison_of_a_long_text_says_why_it_writes_nothing(qapp, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from PySide6.QtCore import QObject

    from explorer.gui.tools.compare.export import CompareExport

    errors, submitted = [], []
    context = SimpleNamespace(show_error=lambda title, message: errors.append(message), jobs=None)
    tool = QObject()  # the tool is the export's parent; what export_to reads of it is set below
    tool.context, tool.result, tool.cache = context, SimpleNamespace(tokens=["t"] * (LIMIT + 1)), None
    export = CompareExport(tool)
    monkeypatch.setattr(export, "submit", submitted.append)
    assert export.export_to(tmp_path / "cmp.json") is False
    assert not submitted and not (tmp_path / "cmp.json").exists()
    assert errors == [
        f"Export Comparison writes whole maps, for texts of up to {LIMIT} tokens; this one has {LIMIT + 1}"
    ]
