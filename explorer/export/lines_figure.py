"""Attention as lines, as a figure or as data: queries on the left, keys on the right, one line per pair drawn.

Drawn with matplotlib from the numbers (explorer.core.lines.HeadLines), never from the widget: one
LineCollection per head, in the head's colour (explorer.core.head_colours, the window's head chips), each
line's opacity its weight. SVG and PDF stay vector; PNG goes through the same save() as every other figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.core.head_colours import head_rgb
from explorer.core.lines import HeadLines
from explorer.export.atomic import write_atomic
from explorer.export.figure import figure_inches, remember_rc, save
from explorer.export.figure_style import rc_params, theme_of, tick_labels
from explorer.export.figure_text import figure_text

LINE_POINTS = 0.9
LEGEND_INCHES = 0.95  # one "head 11" entry of the legend, with its line and the gap after it
ROW_INCHES = 0.15  # a token row's height, until the figure is three times as tall as wide
SIDES = ("query", "key")
SELECTED_COLOUR = "#e03030"  # the window's mark on the selected token


def count_text(heads: list[HeadLines], pairs: int, threshold: float, selected=None, tokens=None) -> str:
    """'1,234 of 2,098,176 lines ≥ 0.05', 'all 78 lines', or '3 lines of query 7 "it" ≥ 0.05'."""
    drawn = sum(len(one) for one in heads)
    fields = {"drawn": f"{drawn:,}", "total": f"{pairs * len(heads):,}", "threshold": f"{threshold:g}"}
    if selected is not None:
        side, index = selected
        token = tokens[index].strip() if tokens else str(index)
        where = figure_text(side) + f" {index} “{token}”"
        if threshold > 0:
            return figure_text("{drawn} lines of {where} ≥ {threshold}", where=where, **fields)
        return figure_text("{drawn} lines of {where}", where=where, **fields)
    if threshold > 0:
        return figure_text("{drawn} of {total} lines ≥ {threshold}", **fields)
    return figure_text("all {total} lines", **fields)


def lines_figure(
    tokens: list[str],
    heads: list[HeadLines],
    *,
    pairs: int,
    threshold: float,
    selected: tuple[str, int] | None = None,
    title: str = "",
    caption: str = "",
    theme: str = "light",
    width_inches: float = 6.0,
):
    """The lines of these heads (already isolated to `selected`'s row or column when one is given)."""
    from matplotlib import rc_context
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    n = len(tokens)
    _check(tokens, heads, selected)
    height = min(max(n * ROW_INCHES + 1.6, width_inches * 0.75), width_inches * 3.0)
    # Thinner than a row is apart, so thousands of rows still show their lines rather than one painted block.
    line_points = min(LINE_POINTS, max(0.05, (height - 1.6) * 72.0 / max(n, 1) * 0.5))
    params = rc_params(theme_of(theme))
    with rc_context(params):
        figure = Figure(figsize=(width_inches, height), layout="constrained")
        ax = figure.add_subplot()
        for one in heads:
            segments = np.zeros((len(one), 2, 2))  # (L, 2 ends, x/y)
            segments[:, 1, 0] = 1.0
            segments[:, 0, 1], segments[:, 1, 1] = one.rows, one.cols
            colours = np.zeros((len(one), 4))
            colours[:, :3] = np.array(head_rgb(one.head)) / 255.0
            colours[:, 3] = np.clip(one.weights, 0.0, 1.0)  # opacity is the weight itself
            collection = LineCollection(segments, colors=colours, linewidths=line_points, capstyle="butt")
            collection.set_gid(f"lines-head-{one.head}")
            ax.add_collection(collection)
        if selected is not None:
            ax.plot([0.0 if selected[0] == "query" else 1.0], [selected[1]], "o", color=SELECTED_COLOUR, ms=4)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(max(n, 1) - 0.5, -0.5)
        ax.set_xticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(count_text(heads, pairs, threshold, selected, tokens), fontsize="small")
        right = ax.secondary_yaxis("right")
        _label_columns(figure, ax, right, tokens, selected)
        ax.set_ylabel(figure_text("query"))
        right.set_ylabel(figure_text("key"))
        handles = [Line2D([], [], color=np.array(head_rgb(one.head)) / 255.0, lw=2) for one in heads]
        if handles:
            labels = [figure_text("head {head}", head=one.head) for one in heads]
            columns = min(len(handles), max(1, int(width_inches / LEGEND_INCHES)))  # rows of them, never past the edges
            figure.legend(handles, labels, loc="outside upper center", ncols=columns, fontsize="small")
        if title:
            ax.set_title(title)
        if caption:
            figure.supxlabel(caption, fontsize="small", style="italic")
        remember_rc(figure, params)  # save() draws with the same settings
    return figure


def _check(tokens, heads, selected) -> None:
    n = len(tokens)
    for one in heads:
        if len(one) and (one.rows.max() >= n or one.cols.max() >= n or min(one.rows.min(), one.cols.min()) < 0):
            raise ValueError(f"heads: head {one.head} has a line outside the {n} tokens")
    if selected is not None and (selected[0] not in SIDES or not 0 <= selected[1] < n):
        raise ValueError(f"selected: {selected!r} is not a query or key of the {n} tokens")


def _label_columns(figure, ax, right, tokens: list[str], selected) -> None:
    """Token labels down both columns, thinned to the room they have; the selected token's always shown, marked."""
    figure.draw_without_rendering()  # the axes' laid-out height decides how many labels fit
    points = ax.get_position().height * figure.get_size_inches()[1] * 72.0
    positions, labels = tick_labels(tokens, points)
    if selected is not None and selected[1] not in positions:
        positions, labels = [*positions, selected[1]], [*labels, tick_labels(tokens[selected[1] :], 1e9)[1][0]]
    for axis, side in ((ax.yaxis, "query"), (right.yaxis, "key")):
        axis.set_ticks(positions, labels)
        for position, label in zip(positions, axis.get_ticklabels()):
            if selected == (side, position):
                label.set_color(SELECTED_COLOUR)  # a colour, not bold: CJK fallback fonts often have no bold
    ax.tick_params(axis="y", length=2, width=0.5, pad=1.5)
    right.spines["right"].set_visible(False)
    right.tick_params(axis="y", length=2, width=0.5, pad=1.5)


def write_lines(
    path: str | Path, tokens: list[str], heads: list[HeadLines], *, width=1600, dpi=300, before_write=None, **style
):
    """The lines figure written to path (.png, .svg or .pdf), `width / dpi` inches wide; style as lines_figure."""
    figure = lines_figure(tokens, heads, width_inches=figure_inches(width, dpi), **style)
    save(figure, path, width=width, dpi=dpi, before_write=before_write)


def lines_payload(tokens: list[str], heads: list[HeadLines], pairs: int, threshold: float, **about) -> dict:
    """The lines as JSON-ready data: every line's query, key and weight, per head; about: model, layer, ..."""
    return {
        **about,
        "tokens": list(tokens),
        "threshold": threshold,
        "visible_pairs_per_head": pairs,
        "heads": [
            {"head": one.head, "query": one.rows.tolist(), "key": one.cols.tolist(), "weight": one.weights.tolist()}
            for one in heads
        ],
    }


def write_lines_json(path: str | Path, payload: dict) -> None:
    import json

    write_atomic(Path(path), json.dumps(payload, ensure_ascii=False).encode("utf-8"))
