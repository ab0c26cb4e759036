"""`python main.py export`: run a model headless and write attention as .json, .npy, .csv, .png, .svg or .pdf."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import models
from explorer.cli.parser import run_options
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text, read_sequences
from explorer.export.data import DATA_SUFFIXES, json_payload, write_csv, write_json, write_npy
from explorer.export.figure import FIGURE_SUFFIXES
from models.options import attention_kind
from models.runtime import budget


def check_with_catalogue(args: argparse.Namespace) -> None:
    """What the model list already knows (its head count) is checked before the weights load, which can take
    seconds the first time: a wrong --kv-heads is refused at once, with the same message a run would give."""
    if args.kv_heads is None:
        return
    entry = next((e for e in models.catalogue() if e.name == args.model), None)
    if entry is not None and not getattr(entry, "problem", None):
        attention_kind(entry.n_heads, args.kv_heads)


def export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    check_output(args, out)
    texts = [check_text(args.text)] if args.text is not None else read_sequences(args.file)
    models.parse_mask(args.mask)  # a typo in --mask should not wait for the model to load
    check_with_catalogue(args)

    load = models.load  # imports the engine (torch) now, so that the progress's quiet second is the load's own
    progress = TerminalProgress()
    try:
        model = load(args.model, device=args.device, progress=progress)
    finally:
        progress.done()
    options = run_options(args)
    check_memory(model, texts, options, args, out.suffix.lower())
    run = model.run(texts, options=options)
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    seq = args.seq
    if not 0 <= seq < run.n_sequences:
        raise ValueError(f"--seq: {seq} is out of range; the input has {run.n_sequences} sequence(s)")
    if run.n_sequences > 1:
        print(f"note: exporting sequence {seq} of a batch of {run.n_sequences} (see --seq)", file=sys.stderr)

    if args.view == "lines":
        from explorer.cli.lines_export import export_lines

        return export_lines(out, args, model, run, seq)
    from models.runtime.weighting import weighted_all_attention, weighted_attention

    weighting = {"weighting": args.weighting, "renormalize": args.renormalize}
    if args.all:
        layer = head = None
        matrix = weighted_all_attention(run, seq, **weighting)  # (L, H, N, N)
    else:
        layer = 0 if args.layer is None else args.layer
        head = 0 if args.head is None else args.head
        matrix = weighted_attention(run, layer, head, seq, **weighting)  # (N, N)
    write_output(out, args, model, run, seq, layer, head, matrix)
    shape = "x".join(map(str, matrix.shape))
    print(f"wrote {out} ({shape}, {model.name}, {run.timings.total_ms:.1f} ms on {run.timings.device})")
    return 0


def check_output(args: argparse.Namespace, out: Path) -> None:
    """Refuse a format, a target or a combination of options before any model is loaded."""
    suffix = out.suffix.lower()
    if args.view == "lines" or args.threshold is not None or args.query is not None or args.key is not None:
        from explorer.cli.lines_export import check_lines_output

        check_lines_output(args, suffix)
    formats = DATA_SUFFIXES + FIGURE_SUFFIXES
    if suffix not in formats:
        raise ValueError(f"--out: unknown extension '{suffix or 'none'}'; use one of {', '.join(formats)}")
    if args.all and (args.layer is not None or args.head is not None):
        raise ValueError("--all exports every layer and head; leave out --layer and --head")
    if out.is_dir():  # found now, not after minutes of loading and running
        raise IsADirectoryError(f"--out: cannot write {out}: it is a folder; give a file name such as map{suffix}")
    if args.all and suffix in FIGURE_SUFFIXES:
        raise ValueError(f"--all gives every layer and head; a {suffix} figure shows one head: pick --layer/--head")
    if args.renormalize and args.weighting != "norm":
        raise ValueError("--renormalize applies to --weighting norm; attention rows already sum to 1")
    if args.weighting == "norm" and not args.renormalize and suffix in FIGURE_SUFFIXES and args.scale != "row":
        raise ValueError(
            f"--weighting norm gives values above 1, which the {args.scale} colour scale would clip: "
            "add --renormalize, or use --scale row"
        )
    if args.all and suffix == ".csv":
        raise ValueError(
            "--all gives [L, H, N, N], which a .csv cannot hold; use .npy or .json, or pick --layer/--head"
        )


def check_memory(model, texts: list[str], options, args: argparse.Namespace, suffix: str) -> None:
    """Refuse, before running, a run or an export that would not fit in memory (budget.MemoryBudgetError)."""
    budget.check_run(model, texts, options.kv_heads)
    length = len(model.tokenizer.encode(list(texts)).ids[0])  # every map of a batch is padded to this
    if args.view == "lines":  # one head's dense map at a time, then only its lines
        suffix = ".npy"
    n_maps = model.config.n_layers * model.config.n_heads if args.all else 1
    budget.check_export(n_maps, length, suffix, one_map="one map with --layer L --head H")


def write_output(
    out: Path,
    args: argparse.Namespace,
    model: models.Model,
    run: models.Run,
    seq: int,
    layer: int | None,
    head: int | None,
    matrix: np.ndarray,
) -> None:
    """Write the matrix in the format the extension of `out` names (check_output has accepted it)."""
    suffix = out.suffix.lower()
    tokens = run.tokens[seq]
    if suffix in FIGURE_SUFFIXES:
        write_figure(out, args, model.name, run, seq, layer, head, matrix)
    elif suffix == ".npy":
        write_npy(out, matrix)
    elif suffix == ".csv":
        write_csv(out, matrix, tokens, tokens, visible=run.visible(seq, layer))
    else:
        timings = run.timings
        payload = json_payload(
            model=model.name,
            tokens=tokens,
            ids=run.ids[seq],
            layer=layer,
            head=head,
            attention=matrix,
            options=run.options.describe(layer),
            timings_ms={"layers": timings.layer_ms, "total": timings.total_ms, "device": timings.device},
        )
        if args.weighting != "attention":  # plain attention keeps the payload as it always was
            payload["weighting"] = {"kind": args.weighting, "renormalized": args.renormalize}
        write_json(out, payload)


def write_figure(out: Path, args: argparse.Namespace, model: str, run, seq: int, layer: int, head: int, matrix) -> None:
    """One head as a paper figure (matplotlib, no Qt): title, token labels, colour bar and optional caption."""
    from explorer.export.figure import write_head
    from explorer.export.figure_style import caption_text, weighting_text

    options, weighting = run.options.describe(layer), weighting_text(args.weighting, args.renormalize)
    write_head(
        out,
        matrix,
        run.visible(seq, layer),
        run.tokens[seq],
        width=args.width,
        dpi=args.dpi,
        title=f"layer {layer} · head {head}" + (f" · {weighting}" if weighting else ""),
        caption=caption_text(model, layer, head, options, weighting) if args.caption else "",
        colormap=args.colormap,
        scale=args.scale,
        theme=args.theme,
    )
