"""Figures exported from the Chinese interface draw their words in Chinese (issue 21, items 10 and 22).

Axis titles, colour-bar labels, legends, panel titles and captions of every figure go through figure_text in
the language the window set at start; the command line (no language set) draws English. The Head Atlas names
its score once, in the title, not again in the caption.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from explorer.export.atlas_figure import write_atlas
from explorer.export.figure import write_head, write_heads
from explorer.export.figure_style import caption_text
from explorer.export.figure_text import figure_text, set_language


@pytest.fixture
def chinese():
    set_language("zh_CN")
    yield
    set_language("en")


def svg_texts(path) -> set[str]:
    return {text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))}


def test_a_map_exported_in_chinese_has_chinese_axis_titles_and_colour_bar(tmp_path, chinese):
    path = tmp_path / "map.svg"
    caption = caption_text("smollm2", 3, 5, None)
    write_head(path, np.full((3, 3), 1 / 3), np.ones((3, 3), bool), ["a", "b", "c"], caption=caption, width=800)
    texts = svg_texts(path)
    assert {"键", "查询", "注意力（0 到 1）"} <= texts, texts
    assert "smollm2 · 层 3 · 头 5" in texts and not {"key", "query", "attention (0 to 1)"} & texts


def test_every_head_and_the_atlas_in_chinese(tmp_path, chinese):
    heads = tmp_path / "heads.svg"
    write_heads(heads, np.full((2, 2, 2), 0.5), np.ones((2, 2), bool), ["a", "b"], width=800)
    assert {"头 0", "头 1", "键", "查询"} <= svg_texts(heads)
    atlas = tmp_path / "atlas.svg"
    values = np.array([[0.1, np.nan], [0.5, 0.9]])
    write_atlas(atlas, values, levels=(0.0, 1.0), label="分数", width=800)
    assert {"头", "层", "不适用"} <= svg_texts(atlas)


def test_the_command_line_draws_english(tmp_path):
    path = tmp_path / "map.svg"
    write_head(path, np.full((2, 2), 0.5), np.ones((2, 2), bool), ["a", "b"], width=800)
    assert {"key", "query", "attention (0 to 1)"} <= svg_texts(path)
    assert figure_text("head {head}", head=2) == "head 2"
