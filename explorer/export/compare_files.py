"""A comparison of two variants as a file: the three panels as a figure, the diff map as data, or everything as JSON.

The one writer behind `analyze compare --out` and the Compare tool's File → Export Comparison…. .json holds both
variants, the per-head KL and JS grids (KL's +inf as "inf", with the count of infinite rows per head), the chosen
head's A, B and B − A, and both next-token lists; .npy and .csv hold the diff map alone; .png/.svg/.pdf the three
panels drawn by the shared renderer (compare_figure.py). Data is written atomically; JSON never holds NaN.
"""

from __future__ import annotations

import json
from pathlib import Path

from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import caption_text

DATA_SUFFIXES = (".json", ".npy", ".csv")
SUFFIXES = (*DATA_SUFFIXES, *FIGURE_SUFFIXES)


def write_comparison(
    out: str | Path,
    comparison,
    head,
    *,
    width: int = 1600,
    dpi: int = 300,
    theme: str = "light",
    caption: bool = True,
    colormap: str = "viridis",
    before_write=None,
) -> None:
    """comparison: models.analysis.Comparison; head: its HeadDiff (diff_map) for one layer and head.

    The format follows out's extension; an unknown one is a ValueError naming the output."""
    out = Path(out)
    suffix = out.suffix.lower()
    tokens = comparison.tokens
    if suffix not in SUFFIXES:
        raise ValueError(f"out: '{suffix or out.name}' is not one of {', '.join(SUFFIXES)}")
    if suffix == ".npy":
        write_npy(out, head.diff)
    elif suffix == ".csv":
        write_csv(out, head.diff, tokens, tokens, head.visible)
    elif suffix in FIGURE_SUFFIXES:
        from explorer.export.compare_figure import write_compare

        note = comparison_caption(comparison, head) if caption else ""
        style = {"caption": note, "theme": theme, "colormap": colormap, "before_write": before_write}
        write_compare(out, head.a, head.b, head.visible_a, head.visible_b, tokens, width=width, dpi=dpi, **style)
    else:
        text = json.dumps(comparison_payload(comparison, head), ensure_ascii=False, allow_nan=False)
        write_atomic(out, text.encode("utf-8"))


def comparison_payload(comparison, head) -> dict:
    """Everything `analyze compare` writes as JSON: the comparison's to_dict and the chosen head's maps."""
    payload = comparison.to_dict()
    payload["head"] = {
        "layer": head.layer,
        "head": head.head,
        "a": head.a.astype(float).tolist(),
        "b": head.b.astype(float).tolist(),
        "diff": head.diff.astype(float).tolist(),  # B − A; a cell hidden in a run counts as 0 there
        "visible_a": head.visible_a.tolist(),
        "visible_b": head.visible_b.tolist(),
    }
    return payload


def comparison_caption(comparison, head) -> str:
    """'model · layer 3 · head 5' over one line per variant, B's model named when it differs from A's."""
    run_a, run_b = comparison.run_a, comparison.run_b
    names = [variant_name(run) for run in (run_a, run_b)]
    if run_b.model_name != run_a.model_name:
        names[1] = f"{run_b.model_name} · {names[1]}"
    return caption_text(run_a.model_name, head.layer, head.head, None) + f"\nA: {names[0]}\nB: {names[1]}"


def variant_name(run) -> str:
    """'causal,window=8 · 3 KV · T=1 · θ=100000': what a panel's title says of a run's variant."""
    options = run.options
    parts = [options.mask.describe(), f"{run.kv_heads} KV", f"T={options.temperature:g}"]
    if options.positional == "rope":
        parts.append(f"θ={options.rope_theta:g}")
    return " · ".join(parts)
