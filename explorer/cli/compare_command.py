"""`python main.py analyze compare`: one text in two variants, per-head KL(A‖B) and JS, and one head's B − A.

Every bad argument (a variant spec, the output's format, the figure size, negative indices) is refused before a
model loads. .json holds everything: both variants, the per-head grids (KL's +inf as "inf", with the count of
infinite rows per head), the chosen head's A, B and B − A, and both next-token lists; .npy and .csv hold the
diff map alone, .png/.svg/.pdf the three panels drawn by the shared renderer (all written by
explorer/export/compare_files.py, as the Compare tool's export is).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer.cli.analyze_command import checked_out, load_model
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text
from explorer.core.variant_spec import parse_variant
from explorer.export.compare_files import SUFFIXES, write_comparison
from explorer.export.figure import FIGURE_SUFFIXES, check_png_size
from models.runtime import budget


def analyze_compare(args: argparse.Namespace) -> int:
    out = checked_out(args.out, SUFFIXES)
    text = check_text(args.text)
    variant_a, variant_b = parse_variant(args.a, "--a"), parse_variant(args.b, "--b")
    for name in ("layer", "head"):
        if getattr(args, name) < 0:
            raise ValueError(f"--{name}: {getattr(args, name)} must be >= 0")
    if args.k < 1:
        raise ValueError(f"--k: {args.k} must be >= 1")
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    model = load_model(args)
    model_b = model if args.b_model is None else load_model(argparse.Namespace(model=args.b_model, device=args.device))
    budget.check_run(model, [text], variant_a.kv_heads)
    budget.check_run(model_b, [text], variant_b.kv_heads)
    from models.analysis import compare_runs, diff_map, run_pair

    progress = TerminalProgress()
    try:
        run_a, run_b = run_pair(model, text, variant_a, variant_b, model_b, lambda d, t: progress(d / t, "running"))
        result = compare_runs(run_a, run_b, k=args.k, progress=lambda d, t: progress(d / t, "comparing heads"))
    finally:
        progress.done()
    for name, limit in (("layer", run_a.n_layers), ("head", run_a.n_heads)):
        if getattr(args, name) >= limit:
            raise ValueError(f"--{name}: {getattr(args, name)} is out of range; allowed: 0..{limit - 1}")
    head = diff_map(run_a, run_b, args.layer, args.head)
    write_comparison(out, result, head, width=args.width, dpi=args.dpi, theme=args.theme)
    _report(out, result, head)
    return 0


def _report(out: Path, result, head) -> None:
    import numpy as np

    worst = np.unravel_index(np.argmax(result.js), result.js.shape)
    infinite = int((result.infinite_rows > 0).sum())
    print(f"wrote {out} ({result.run_a.model_name} vs {result.run_b.model_name}, {len(result.tokens)} tokens)")
    print(f"largest JS: L{worst[0]}H{worst[1]} {result.js[worst]:.4f} nats; mean JS {result.js.mean():.4f} nats")
    if infinite:
        print(f"KL(A‖B) is infinite in {infinite} of {result.kl.size} heads: B's mask hides keys that A attends to")
    else:
        print(f"largest KL(A‖B): {np.max(result.kl):.4g} nats")
    print(f"L{head.layer}H{head.head}: max |B − A| = {float(np.abs(head.diff).max()):.4f}")
