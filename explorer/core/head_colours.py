"""One colour per head, the same in the window's head selector, its lines and every exported lines figure."""

from __future__ import annotations

# d3's category10 (BertViz's head colours), then ten darker hues from category20b/c that stay apart from the
# first ten (category20's pale twins did not: head 1's orange and head 11's peach read as one head); head 20
# takes head 0's colour again.
HEAD_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#e7ba52", "#003c30", "#a55194", "#6b6ecf", "#8ca252", "#bd9e39", "#d6616b", "#c51b7d",
)  # fmt: skip


def head_colour(head: int) -> str:
    """'#rrggbb' of a head (0-based); heads past the list's end reuse it in order."""
    if head < 0:
        raise ValueError(f"head: {head} is below 0")
    return HEAD_COLOURS[head % len(HEAD_COLOURS)]


def head_rgb(head: int) -> tuple[int, int, int]:
    """(r, g, b) 0..255 of a head's colour."""
    text = head_colour(head)
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
