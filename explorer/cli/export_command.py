"""`python main.py export`: run a model headless and write attention as .json, .npy or .csv."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import models
from explorer.cli.main import run_options
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text, read_sequences
from explorer.export.data import DATA_SUFFIXES, json_payload, write_csv, write_json, write_npy
from explorer.export.image import IMAGE_SUFFIXES


def export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    formats = DATA_SUFFIXES + IMAGE_SUFFIXES
    if suffix not in formats:
        raise ValueError(f"--out: unknown extension '{suffix or 'none'}'; use one of {', '.join(formats)}")
    if args.all and (args.layer is not None or args.head is not None):
        raise ValueError("--all exports every layer and head; leave out --layer and --head")
    if args.all and suffix == ".csv":
        raise ValueError(
            "--all gives [L, H, N, N], which a .csv cannot hold; use .npy or .json, or pick --layer/--head"
        )
    texts = [check_text(args.text)] if args.text is not None else read_sequences(args.file)
    models.parse_mask(args.mask)  # a typo in --mask should not wait for the model to load

    progress = TerminalProgress()
    try:
        model = models.load(args.model, device=args.device, progress=progress)
    finally:
        progress.done()
    run = model.run(texts, **run_options(args))
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    seq = args.seq
    if not 0 <= seq < run.n_sequences:
        raise ValueError(f"--seq: {seq} is out of range; the input has {run.n_sequences} sequence(s)")
    if run.n_sequences > 1:
        print(f"note: exporting sequence {seq} of a batch of {run.n_sequences} (see --seq)", file=sys.stderr)

    if args.all:
        layer = head = None
        matrix = run.all_attention(seq)  # (L, H, N, N)
    else:
        layer = 0 if args.layer is None else args.layer
        head = 0 if args.head is None else args.head
        matrix = run.attention(layer, head, seq)  # (N, N)

    if suffix in IMAGE_SUFFIXES:
        from explorer.export.offscreen import render_heatmap

        title = f"{model.name} · layer {layer} · head {head}"
        render_heatmap(
            out, matrix, run.visible(seq), run.tokens[seq], title, args.width, args.dpi, args.colormap, args.scale
        )
    elif suffix == ".npy":
        write_npy(out, matrix)
    elif suffix == ".csv":
        write_csv(out, matrix, run.tokens[seq], run.tokens[seq])
    else:
        payload = json_payload(
            model=model.name,
            tokens=run.tokens[seq],
            ids=run.ids[seq],
            layer=layer,
            head=head,
            attention=matrix,
            options=run.options.describe(),
            timings_ms={"layers": run.timings.layer_ms, "total": run.timings.total_ms, "device": run.timings.device},
        )
        write_json(out, payload)
    shape = "x".join(map(str, matrix.shape))
    print(f"wrote {out} ({shape}, {model.name}, {run.timings.total_ms:.1f} ms on {run.timings.device})")
    return 0
