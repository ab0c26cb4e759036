"""`python main.py export --view lines`: every head of a layer (or one) as lines, written as a figure or JSON.

Each head's map is the one `export` writes for it (models.runtime.weighting.weighted_attention), read one head
at a time, so an 8,192-token text never holds a layer of N × N maps; only its lines at or above the threshold
are kept (explorer.core.lines). A long text's threshold, and how many lines it lets through, are said on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.core.lines import LONG_TEXT, check_threshold, default_threshold, head_lines, isolate
from explorer.export.figure import FIGURE_SUFFIXES

LINES_SUFFIXES = (*FIGURE_SUFFIXES, ".json")


def check_lines_output(args: argparse.Namespace, suffix: str) -> None:
    """Refuse, before any model loads, what the lines view cannot write."""
    if args.view != "lines":
        raise ValueError("--threshold, --query and --key draw lines: add --view lines")
    if suffix not in LINES_SUFFIXES:
        raise ValueError(f"--view lines writes {', '.join(LINES_SUFFIXES)}, not '{suffix or 'none'}'")
    if args.all:
        raise ValueError("--view lines draws one layer: leave out --all and pick --layer (and optionally --head)")
    if args.weighting == "norm" and not args.renormalize:
        raise ValueError(
            "--view lines with --weighting norm needs --renormalize: a line's opacity is a weight of 0 to 1"
        )
    if args.threshold is not None:
        check_threshold(args.threshold, 0)  # its range now; its floor once the length is known
    for name in ("query", "key"):
        value = getattr(args, name)
        if value is not None and value < 0:
            raise ValueError(f"--{name}: {value} is not a token position (0 or more)")


def export_lines(out: Path, args: argparse.Namespace, model, run, seq: int) -> int:
    from models.runtime.weighting import weighted_attention

    n, layer = len(run.tokens[seq]), 0 if args.layer is None else args.layer
    if not 0 <= layer < run.n_layers:
        raise ValueError(f"--layer: {layer} is out of range; {model.name} has layers 0..{run.n_layers - 1}")
    if args.head is not None and not 0 <= args.head < run.n_heads:
        raise ValueError(f"--head: {args.head} is out of range; {model.name} has heads 0..{run.n_heads - 1}")
    selected = _selected(args, n)
    threshold = default_threshold(n) if args.threshold is None else check_threshold(args.threshold, n)
    heads_wanted = range(run.n_heads) if args.head is None else [args.head]
    visible = run.visible(seq)  # (N, N) bool: the same mask for every head
    pairs, heads = int(visible.sum()), []
    for head in heads_wanted:
        matrix = weighted_attention(run, layer, head, seq, weighting=args.weighting, renormalize=args.renormalize)
        heads.append(isolate(head_lines(head, matrix, visible, threshold), *(selected or (None, None))))
    from explorer.export.lines_figure import count_text

    note = count_text(heads, pairs, threshold, selected, run.tokens[seq])
    if n > LONG_TEXT and args.threshold is None:
        print(f"note: {n:,} tokens: only lines ≥ {threshold:g} are drawn (set --threshold): {note}", file=sys.stderr)
    write(out, args, model.name, run, seq, layer, heads, pairs, threshold, selected)
    print(f"wrote {out} ({note}, layer {layer}, {model.name})")
    return 0


def _selected(args: argparse.Namespace, n: int) -> tuple[str, int] | None:
    for side in ("query", "key"):
        index = getattr(args, side)
        if index is not None:
            if index >= n:
                raise ValueError(f"--{side}: {index} is out of range; the text has {n} tokens (0..{n - 1})")
            return side, index
    return None


def write(out: Path, args, model: str, run, seq: int, layer: int, heads, pairs: int, threshold: float, selected):
    from explorer.export.figure_style import caption_text, weighting_text
    from explorer.export.lines_figure import lines_payload, write_lines, write_lines_json

    tokens = run.tokens[seq]
    if out.suffix.lower() == ".json":
        about = {"model": model, "layer": layer, "weighting": args.weighting, "options": run.options.describe()}
        if selected is not None:
            about["selected"] = {"side": selected[0], "index": selected[1]}
        write_lines_json(out, lines_payload(tokens, heads, pairs, threshold, **about))
        return
    weighting = weighting_text(args.weighting, args.renormalize)
    head = None if args.head is None else args.head
    write_lines(
        out,
        tokens,
        heads,
        width=args.width,
        dpi=args.dpi,
        pairs=pairs,
        threshold=threshold,
        selected=selected,
        title=f"layer {layer} · lines" + (f" · {weighting}" if weighting else ""),
        caption=caption_text(model, layer, head, run.options.describe(), weighting) if args.caption else "",
        theme=args.theme,
    )
