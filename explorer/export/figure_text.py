"""The words exported figures draw (axis titles, colour-bar labels, legends, captions), in the interface's language.

Figure code is Qt-free and runs from the command line too, so it cannot ask Qt's tr(). The window says once,
at start, which language its figures are drawn in (set_language; a new language applies after a restart, as
the interface's does); every word a figure draws goes through figure_text(), which looks it up in a small
table keyed by the English text. The translations are the interface's own words for the same things (the
.ts catalogue's), so a figure reads as the window does. The command line draws in English.
"""

from __future__ import annotations

from explorer.core.diverging import DIFF_LABEL

CHINESE = {
    "key": "键",
    "query": "查询",
    "head": "头",
    "layer": "层",
    "n/a": "不适用",
    "head {head}": "头 {head}",
    "layer {layer}": "层 {layer}",
    "global": "全局",
    "local, window {window}": "局部，窗口 {window}",
    "each pixel: the maximum of a block of cells": "每个像素：一块单元格中的最大值",
    "each pixel: the mean of a block of cells": "每个像素：一块单元格的平均值",
    "attention (0 to 1)": "注意力（0 到 1）",
    "log₁₀ attention": "log₁₀ 注意力",
    "attention / row maximum": "注意力 / 行最大值",
    DIFF_LABEL: "B − A（注意力）",
    "max flow": "最大流",
    "input token": "输入词元",
    "attention flow into {where}": "流入 {where} 的注意力流",
    "mean over heads": "各头平均",
    "all heads": "所有头",
    "norm-weighted": "范数加权",
    "knocked out": "已敲除",
    "step {step}": "第 {step} 步",
    "importance": "重要性",
    "queries": "查询",
    "keys": "键",
    "position": "位置",
    "queries and keys": "查询与键",
    "{drawn} of {total} lines ≥ {threshold}": "{drawn} / {total} 条连线 ≥ {threshold}",
    "all {total} lines": "全部 {total} 条连线",
    "{drawn} lines of {where} ≥ {threshold}": "{where} 的 {drawn} 条连线 ≥ {threshold}",
    "{drawn} lines of {where}": "{where} 的 {drawn} 条连线",
    "lines": "连线",
}
TABLES = {"zh_CN": CHINESE, "zh": CHINESE}
_language = "en"


def set_language(code: str) -> None:
    """Draw figures in this language from now on ('zh_CN', 'en', …); one without a table draws English."""
    global _language
    _language = code or "en"


def figure_language() -> str:
    return _language


def layer_head_text(layer: int, head: int) -> str:
    """'layer 3 · head 5' in the figures' language."""
    return figure_text("layer {layer}", layer=layer) + " · " + figure_text("head {head}", head=head)


def figure_text(english: str, **fields) -> str:
    """english in the figures' language, with {fields} filled in; English itself where there is no translation."""
    table = TABLES.get(_language) or TABLES.get(_language.split("_")[0], {})
    return table.get(english, english).format(**fields) if fields else table.get(english, english)
