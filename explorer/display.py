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
MASKED_RGBA = (150, 150, 150, 255)  # neutral grey: outside every colormap above
MAX_LABEL_CHARS = 14


def scale_values(matrix: np.ndarray, scale: str) -> tuple[np.ndarray, tuple[float, float]]:
    """Values on the chosen scale and the fixed levels of that scale (the colour bar's range)."""
    if scale == "log":
        with np.errstate(divide="ignore"):
            return np.maximum(np.log10(matrix), LOG_FLOOR), (LOG_FLOOR, 0.0)
    if scale == "row":
        row_max = matrix.max(axis=-1, keepdims=True)
        return np.divide(matrix, row_max, out=np.zeros_like(matrix), where=row_max > 0), (0.0, 1.0)
    if scale == "linear":
        return matrix, (0.0, 1.0)
    raise ValueError(f"scale: '{scale}' is not one of {', '.join(SCALES)}")


def to_uint8(values: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Map values in [low, high] to 0..255 for a 256-entry lookup table. Monotone: order is never reversed."""
    low, high = levels
    scaled = (values - low) * (255.0 / (high - low))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def masked_overlay(visible: np.ndarray) -> np.ndarray:
    """(N, N, 4) RGBA: grey where the mask hides the key, transparent elsewhere."""
    overlay = np.zeros((*visible.shape, 4), dtype=np.uint8)
    overlay[~visible] = MASKED_RGBA
    return overlay


def display_label(token: str) -> str:
    """A token as an axis label: whitespace made visible, leading space dropped, long tokens elided."""
    if token.strip() == "":
        shown = token.replace(" ", "␣").replace("\n", "↵").replace("\t", "⇥") or "∅"
    else:
        shown = token.strip(" ").replace("\n", "↵").replace("\t", "⇥")
    return shown if len(shown) <= MAX_LABEL_CHARS else shown[: MAX_LABEL_CHARS - 1] + "…"


def label_step(visible_count: int, axis_pixels: float, line_pixels: float) -> int:
    """Show every k-th label so that labels never overlap (all of them when there is room)."""
    if visible_count <= 0 or axis_pixels <= 0:
        return 1
    return max(1, int(np.ceil(visible_count * line_pixels / axis_pixels)))
