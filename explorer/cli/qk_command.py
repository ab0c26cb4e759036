"""`python main.py analyze qk`: one head's queries and keys in one 2-D picture (AttentionViz), headless.

Bad arguments (the output's format, the method, the figure size, UMAP not installed) are refused before the
model loads; the layer, the head and t-SNE's perplexity against the number of points are checked by
models.analysis once the text is tokenized. The JSON holds each point's 2-D coordinates, kind, position and token.
With --corpus the head's vectors are pooled over the corpus's texts (models/analysis/qk_pooled.py), sampled to
--points; each point also holds its text_id, and the JSON and the figure's title state the sample.
"""

from __future__ import annotations

import argparse

from explorer.cli.analyze_command import checked_options, checked_out, checked_run, load_model
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text
from explorer.export.figure import FIGURE_SUFFIXES, check_png_size
from explorer.export.figure_style import caption_text
from explorer.export.qk_files import SUFFIXES, write_qk


def analyze_qk(args: argparse.Namespace) -> int:
    from models.analysis.qk_geometry import check_settings

    if args.corpus is not None:
        return analyze_qk_corpus(args)
    out = checked_out(args.out, SUFFIXES)
    text = check_text(args.text)
    check_settings(args.method, args.perplexity, args.neighbours)  # and whether UMAP's package is there, now
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    options = checked_options(args)
    model = load_model(args)
    run = checked_run(model, [text], options)
    from models.analysis import head_geometry

    progress = TerminalProgress()
    report = lambda done, total: progress(done / total, f"projecting ({args.method})")  # noqa: E731
    try:
        picture = head_geometry(
            run, args.layer, args.head, method=args.method, seed=args.seed, perplexity=args.perplexity,
            neighbours=args.neighbours, progress=report,
        )  # fmt: skip
    finally:
        progress.done()
    about = {"model": model.name, "ids": run.ids[0], "options": run.options.describe(), "seed": args.seed}
    style = {"width": args.width, "dpi": args.dpi, "theme": args.theme, "colour_by": args.colour_by}
    style["caption"] = caption_text(model.name, args.layer, args.head, run.options.describe())
    write_qk(out, picture.to_dict(), about, **style)
    print(f"wrote {out} ({picture.n_tokens} queries and {picture.n_tokens} keys of layer {args.layer} head "
          f"{args.head}, {args.method}, {model.name})")  # fmt: skip
    return 0


def read_texts(args: argparse.Namespace) -> list:
    """The corpus's texts by the corpus tool's reader; its messages name this command's own flags."""
    from models.analysis.corpus_reading import read_corpus

    try:
        return read_corpus(args.corpus, limit=args.limit)
    except ValueError as error:
        raise ValueError(str(error).replace("--in:", "--corpus:", 1)) from None


def analyze_qk_corpus(args: argparse.Namespace) -> int:
    """analyze qk --corpus FILE: the head's queries and keys pooled over the corpus's texts, sampled to --points."""
    from models.analysis.qk_geometry import check_settings
    from models.analysis.qk_pooled import checked_points

    out = checked_out(args.out, SUFFIXES)
    check_settings(args.method, args.perplexity, args.neighbours)
    try:
        checked_points(args.points)
    except ValueError as error:
        raise ValueError(str(error).replace("points:", "--points:", 1)) from None
    texts = read_texts(args)
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    options = checked_options(args)
    model = load_model(args)
    from models.analysis.qk_pooled import pooled_geometry

    progress = TerminalProgress()
    report = lambda done, total: progress(done / total, f"text {min(done, total - 1)}/{total - 1}")  # noqa: E731
    try:
        picture = pooled_geometry(
            model, texts, args.layer, args.head, method=args.method, points=args.points, seed=args.seed,
            options=options, perplexity=args.perplexity, neighbours=args.neighbours, progress=report,
        )  # fmt: skip
    finally:
        progress.done()
    about = {"model": model.name, "corpus": str(args.corpus), "options": picture.options, "seed": args.seed}
    style = {"width": args.width, "dpi": args.dpi, "theme": args.theme, "colour_by": args.colour_by}
    style["caption"] = caption_text(model.name, args.layer, args.head, picture.options)  # the title states the sample
    write_qk(out, picture.to_dict(), about, **style)
    print(f"wrote {out} ({picture.sample_text()} of layer {args.layer} head {args.head}, {args.method}, "
          f"{model.name})")  # fmt: skip
    return 0
