"""Small rewrites of matplotlib's SVG so that simple renderers (ImageMagick's own MSVG) draw it as browsers do.

Each rewrite keeps the drawing the same for a full SVG renderer (browsers, librsvg, Inkscape):
- `rotate(a x y)` on a label placed at (x, y) becomes `translate(x y) rotate(a)` with the label at (0, 0):
  the same transform, but MSVG ignores a rotation about a point and drops the label.
- A label with CJK characters names only the CJK font (the last of the list): MSVG reads a list as one unknown
  name and draws with its default font, which has no CJK glyphs. CJK fonts carry Latin letters too, and full
  renderers fall back per glyph anyway.
"""

from __future__ import annotations

import re

_ROTATED = re.compile(r'x="([-\d.e]+)" y="([-\d.e]+)" transform="rotate\(([-\d.e]+) \1 \2\)"')
_TEXT = re.compile(r"(<text [^>]*?font-family: )([^;\"]+)([^>]*>)([^<]*)(</text>)")
CJK_START = 0x2E80  # CJK radicals onwards: ideographs, kana, hangul, fullwidth punctuation


def simple_renderer_svg(svg: str) -> str:
    """The SVG text with both rewrites applied."""
    svg = _ROTATED.sub(_translate_rotate, svg)
    return _TEXT.sub(_cjk_font_only, svg)


def _translate_rotate(match: re.Match) -> str:
    x, y, angle = match.groups()
    if float(angle) == 0.0:
        return f'x="{x}" y="{y}"'  # matplotlib writes rotate(-0 x y) for every upright label
    return f'x="0" y="0" transform="translate({x} {y}) rotate({angle})"'


def _cjk_font_only(match: re.Match) -> str:
    start, families, middle, text, end = match.groups()
    names = [name.strip() for name in families.split(",")]
    if len(names) > 1 and any(ord(char) >= CJK_START for char in text):
        families = names[-1]
    return f"{start}{families}{middle}{text}{end}"
