"""Turning attention values into pixels and labels: pure numpy, shared by the window and the CLI exporter."""

from __future__ import annotations

import numpy as np

COLORMAPS = ("viridis", "magma", "inferno", "plasma", "cividis")  # perceptually uniform, colour-blind safe
SCALES = {
    "linear": "attention (0 to 1)",
    "log": "log₁₀ attention",
    "row": "attention / row maximum",
}
LOG_FLOOR = -4.0  # log scale shows 1e-4 .. 1; smaller weights share the darkest colour
SCALE_LEVELS = {"linear": (0.0, 1.0), "log": (LOG_FLOOR, 0.0), "row": (0.0, 1.0)}  # the colour bar's range
MASKED_CODE = 255  # pixel value of a masked cell; codes 0..254 are attention on the chosen scale
MASKED_RGB = (150, 150, 150)  # neutral grey: outside every colormap above
MAX_LABEL_CHARS = 14


def scale_values(matrix: np.ndarray, scale: str) -> tuple[np.ndarray, tuple[float, float]]:
    """Values on the chosen scale and the fixed levels of that scale (the colour bar's range)."""
    if scale == "log":
        with np.errstate(divide="ignore"):
            return np.maximum(np.log10(matrix), LOG_FLOOR), SCALE_LEVELS[scale]
    if scale == "row":
        row_max = matrix.max(axis=-1, keepdims=True)
        return np.divide(matrix, row_max, out=np.zeros_like(matrix), where=row_max > 0), SCALE_LEVELS[scale]
    if scale == "linear":
        return matrix, SCALE_LEVELS[scale]
    raise ValueError(f"scale: '{scale}' is not one of {', '.join(SCALES)}")


def to_uint8(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Map values in [low, high] to codes 0..254. Monotone: the order of values is never reversed."""
    low, high = levels
    scaled = np.subtract(values, np.float32(low), dtype=np.float32)
    scaled *= np.float32((MASKED_CODE - 1) / (high - low))
    np.clip(scaled, 0, MASKED_CODE - 1, out=scaled)
    scaled += np.float32(0.5)  # the cast truncates: +0.5 makes it round to nearest
    return scaled.astype(np.uint8)


def encode(matrix: np.ndarray, visible: np.ndarray, scale: str) -> np.ndarray:
    """Pixels for a 256-entry lookup table: attention on the scale as 0..254, masked cells as 255.

    One uint8 image with fixed levels is the fastest thing pyqtgraph can paint (Qt draws it as an indexed
    image), and folding the mask into it means no second image to blend. visible may be (N, N) for an
    (H, N, N) stack: every head shares the mask.
    """
    pixels = to_uint8(*scale_values(matrix, scale))
    np.copyto(pixels, MASKED_CODE, where=~visible)
    return pixels


def visible_of(pixels: np.ndarray) -> np.ndarray:
    """bool (N, N) from pixels (..., N, N) made by encode: False where the mask hides the key. Every head of a
    stack shares the mask, so the first one tells."""
    return pixels[(0,) * (pixels.ndim - 2)] != MASKED_CODE


SPACE_MARK = "␣"  # a space at either end of a token: " The" and "The" are different tokens and must look it


def display_label(token: str) -> str:
    """A token as an axis label: spaces at its ends shown as ␣, other whitespace made visible, long tokens elided.

    Always short and printable: control characters, invisible format characters (a right-to-left override
    would flip the labels after it) and lone surrogates are shown by name, never passed to Qt as they are.
    """
    if token.strip() == "":
        shown = "".join(_visible(char, blank=True) for char in token[: MAX_LABEL_CHARS + 1]) or "∅"
    else:
        core = token.strip(" ")
        if not core.isprintable():  # the usual token is printable: it pays for nothing below
            core = "".join(_visible(char) for char in core[: MAX_LABEL_CHARS + 1])
        leading = len(token) - len(token.lstrip(" "))
        trailing = len(token) - len(token.rstrip(" "))
        shown = SPACE_MARK * leading + core + SPACE_MARK * trailing
    return shown if len(shown) <= MAX_LABEL_CHARS else shown[: MAX_LABEL_CHARS - 1] + "…"


_SHOWN = {"\n": "↵", "\t": "⇥", "\r": "␍", "\x7f": "␡"}


def _visible(char: str, blank: bool = False) -> str:
    if char == " ":
        return "␣" if blank else " "
    if char in _SHOWN:
        return _SHOWN[char]
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ … ␟
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # half of a surrogate pair is no character at all
    return f"<U+{code:04X}>"  # format characters, other spaces, private use, unassigned


def label_step(visible_count: int, axis_pixels: float, line_pixels: float) -> int:
    """Show every k-th label so that labels never overlap (all of them when there is room)."""
    if visible_count <= 0 or axis_pixels <= 0:
        return 1
    return max(1, int(np.ceil(visible_count * line_pixels / axis_pixels)))
