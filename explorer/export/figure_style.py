"""How an exported figure looks: themes, fonts with CJK fallback, colours, token labels, captions and file names.

Pure data and matplotlib settings, no Qt: the figure module (figure.py) draws with what this module decides.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from explorer.core.display import COLORMAPS, MASKED_CODE, MASKED_RGB, display_label, label_step
from explorer.export.figure_text import figure_text

log = logging.getLogger(__name__)

BASE_FONTS = ("DejaVu Sans",)  # matplotlib's own font, always there: Latin, Greek, arrows, ␣ and ↵
# Families with CJK coverage, best first; matplotlib falls back per glyph along the list (matplotlib ≥ 3.6).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans Mono CJK SC",
    "Noto Serif CJK SC",
)
CJK_PROBE = "猫"
TICK_POINTS = 6.5  # token labels: small, as in a paper's figure, and still readable when printed
TEXT_POINTS = 8.0
TITLE_POINTS = 9.0


@dataclass(frozen=True)
class Theme:
    background: str
    foreground: str


THEMES = {
    "light": Theme(background="white", foreground="black"),  # publication: whatever the screen palette
    "dark": Theme(background="#1e1e1e", foreground="#e6e6e6"),
}


def theme_of(name: str) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme: '{name}' is not one of {', '.join(THEMES)}")
    return THEMES[name]


@functools.lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """The font list for every figure: matplotlib's own font, then the first installed font that has CJK.

    Without a CJK font the figure is still written (CJK glyphs show as boxes), and a warning says so once.
    """
    from matplotlib import font_manager

    files = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    installed = [family for family in CJK_FONTS if family in files]
    # matplotlib embeds every PDF font as TrueType (CIDFontType2), so a font with CFF outlines (Noto Sans CJK's
    # .ttc) makes a PDF that renders but that poppler flags as malformed: a TrueType-outline font goes first.
    for family in sorted(installed, key=lambda name: not _has_truetype_outlines(files[name])):
        return (*BASE_FONTS, family)
    for entry in font_manager.fontManager.ttflist:  # any other font that draws a CJK character
        if _has_glyph(entry.fname, CJK_PROBE):
            return (*BASE_FONTS, entry.name)
    log.warning(
        "no font with CJK characters is installed: Chinese labels in figures will show as boxes "
        "(on Debian/Ubuntu: apt install fonts-noto-cjk fonts-wqy-zenhei)"
    )
    return BASE_FONTS


def _has_truetype_outlines(path: str) -> bool:
    """True for glyf-table (TrueType) fonts, False for CFF (PostScript-outline) OpenType fonts."""
    try:
        from fontTools.ttLib import TTFont

        return "glyf" in TTFont(path, fontNumber=0, lazy=True)
    except Exception:  # noqa: BLE001 - an unreadable font file only loses its place in the order
        return False


def _has_glyph(path: str, char: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        return FT2Font(path).get_char_index(ord(char)) != 0
    except (OSError, RuntimeError, ValueError):
        return False


def rc_params(theme: Theme) -> dict:
    """matplotlib settings for one figure: text stays text in SVG and PDF, and the theme's colours."""
    fg = theme.foreground
    return {
        "font.family": list(font_families()),
        "font.size": TEXT_POINTS,
        "svg.fonttype": "none",  # <text> elements: searchable, selectable, editable in Inkscape
        "svg.image_inline": True,
        "svg.hashsalt": "attention-explorer",  # fixed element ids: the same map gives the same file
        "pdf.fonttype": 42,  # TrueType glyphs with a Unicode map: pdftotext reads the labels back
        "figure.facecolor": theme.background,
        "savefig.facecolor": theme.background,
        "axes.facecolor": theme.background,
        "axes.edgecolor": fg,
        "axes.labelcolor": fg,
        "text.color": fg,
        "xtick.color": fg,
        "ytick.color": fg,
        "axes.titlesize": TITLE_POINTS,
        "figure.titlesize": TITLE_POINTS,
        "xtick.labelsize": TICK_POINTS,
        "ytick.labelsize": TICK_POINTS,
        "axes.linewidth": 0.6,
    }


def lookup_table(colormap: str) -> np.ndarray:
    """(256, 3) uint8 like the window's: the colormap's colours for codes 0..254, grey for masked cells."""
    if colormap not in COLORMAPS:
        raise ValueError(f"colormap: '{colormap}' is not one of {', '.join(COLORMAPS)}")
    import matplotlib

    table = np.empty((MASKED_CODE + 1, 3), dtype=np.uint8)
    colours = matplotlib.colormaps[colormap](np.linspace(0.0, 1.0, MASKED_CODE))[:, :3]
    table[:MASKED_CODE] = np.round(colours * 255).astype(np.uint8)
    table[MASKED_CODE] = MASKED_RGB
    return table


def tick_labels(tokens: list[str], axis_points: float) -> tuple[list[int], list[str]]:
    """Positions and position-free labels of the ticks to show on an axis that is axis_points long.

    Every k-th token, with k chosen so that the labels (one line of TICK_POINTS each) never overlap.
    """
    step = label_step(len(tokens), axis_points, TICK_POINTS * 1.25)
    positions = list(range(0, len(tokens), step))
    return positions, [display_label(tokens[i]) for i in positions]


def upright(label: str) -> bool:
    """A short CJK label (one or two wide characters, e.g. 猫) stands upright on the key axis; others turn."""
    return 0 < len(label) <= 2 and all(unicodedata.east_asian_width(char) in "WF" for char in label)


def variant_text(options: dict | None) -> str:
    """The attention variant in a few words, for a caption: 'causal · rope θ=10000 · 3 KV heads · T=1'."""
    if not options:
        return ""
    parts = [str(options.get("mask") or "model mask")]
    pos = options.get("pos")
    if pos:
        parts.append(f"{pos} θ={options['rope_theta']:g}" if pos == "rope" and options.get("rope_theta") else pos)
        if pos == "rope" and options.get("local_rope_theta"):  # Gemma 3's local layers rotate with their own θ
            parts[-1] += f" (global), {options['local_rope_theta']:g} (local)"
    if options.get("kv_heads") is not None:
        count = options["kv_heads"]
        parts.append(f"{count} KV head" + ("" if count == 1 else "s"))
    if options.get("temperature") not in (None, 1.0):
        parts.append(f"T={options['temperature']:g}")
    if options.get("padding_mask") is False:
        parts.append("no padding mask")
    return " · ".join(parts)


def weighting_text(weighting: str = "attention", renormalize: bool = False) -> str:
    """How the map's cells are weighted, for captions and file names: '' for attention itself, 'norm-weighted'
    (A·‖v W_O‖, Kobayashi et al. 2020) or 'norm-weighted, rows renormalised'."""
    if weighting == "attention":
        return ""
    return "norm-weighted, rows renormalised" if renormalize else "norm-weighted"


def caption_text(
    model: str, layer: int | None, head: int | str | None, options: dict | None, weighting: str = ""
) -> str:
    """'SmolLM2-135M · layer 3 · head 5 · causal · rope θ=10000 · 3 KV heads'; weighting: weighting_text's words."""
    parts = [model]
    if layer is not None:
        parts.append(figure_text("layer {layer}", layer=layer))
    if head is not None:
        parts.append(figure_text("head {head}", head=head) if isinstance(head, int) else figure_text(str(head)))
    variant = variant_text(options)
    return " · ".join(parts + [part for part in (weighting, variant) if part])


def default_name(
    model: str, layer: int | None, head: int | str | None, options: dict | None, suffix: str, weighting: str = ""
) -> str:
    """A file name that says what the figure shows: 'smollm2-135m_L03_H05_causal-rope-theta100000-3-kv.svg'.

    head may be an int, or a word for the layer's other views ('mean', 'heads'); None for every layer.
    weighting: weighting_text's words ('norm-weighted' gives '..._H05_norm-weighted_causal-...').
    """
    parts = [_slug(model) or "attention"]
    if layer is not None:
        parts.append(f"L{layer:02d}")
    if head is not None:
        parts.append(f"H{head:02d}" if isinstance(head, int) else _slug(str(head)))
    if weighting:
        parts.append(_slug(weighting))
    variant = _slug(variant_text(options).replace("KV heads", "kv").replace("KV head", "kv").replace("θ=", "theta"))
    return "_".join(parts + ([variant] if variant else [])) + suffix


def _slug(text: str) -> str:
    """Letters, digits, dots and dashes only: safe as part of a file name on every system."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9.=]+", "-", text)).replace("=", "").strip("-.")[:80]
