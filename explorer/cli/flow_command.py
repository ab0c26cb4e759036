"""`python main.py analyze rollout|flow`: attention rollout and attention flow of one text, headless.

Bad arguments (the output's format, the residual, the figure size) are refused before the model loads; the
query and the size limit of flow are checked by models.analysis once the text is tokenized. Files are written
all at once: figures by the shared renderer, data as .json (NaN as null), .npy or .csv.
"""

from __future__ import annotations

import argparse

from explorer.cli.analyze_command import checked_options, checked_out, checked_run, load_model
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text
from explorer.export.figure import FIGURE_SUFFIXES, check_png_size
from explorer.export.figure_style import caption_text
from explorer.export.flow_files import SUFFIXES, write_flow, write_rollout


def analyze_rollout_or_flow(args: argparse.Namespace) -> int:
    out = checked_out(args.out, SUFFIXES)
    text = check_text(args.text)
    if isinstance(args.residual, bool) or not 0.0 <= args.residual <= 1.0:  # NaN fails too
        raise ValueError(f"--residual: {args.residual} is not allowed; it must be a number from 0 to 1")
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    options = checked_options(args)
    model = load_model(args)
    run = checked_run(model, [text], options)
    style = {"width": args.width, "dpi": args.dpi, "theme": args.theme}
    style["caption"] = caption_text(model.name, None, None, run.options.describe())
    about = {"model": model.name, "ids": run.ids[0], "options": run.options.describe(), "residual": args.residual}
    progress = TerminalProgress()
    if args.analysis == "rollout":
        from models.analysis import rollout
        from models.analysis.attention_rollout import reachable

        try:
            report = lambda done, total: progress(done / total, "rolling out")  # noqa: E731
            result = rollout(run, residual=args.residual, head_reduce=args.head_reduce, progress=report)
        finally:
            progress.done()
        about["head_reduce"] = args.head_reduce
        write_rollout(out, result, reachable(run), run.tokens[0], about, **style)
        print(f"wrote {out} (rollout over {run.n_layers} layers, {len(run.ids[0])} tokens, {model.name})")
        return 0
    from models.analysis import flow
    from models.analysis.attention_flow import check_query
    from models.analysis.attention_rollout import masked_rows

    query = check_query(args.query, masked_rows(run, 0))
    try:
        values = flow(run, query=query, residual=args.residual, progress=lambda d, t: progress(d / t, "max flows"))
    finally:
        progress.done()
    write_flow(out, values, run.tokens[0], query, about, **style)
    print(f"wrote {out} (flow into {query}:{run.tokens[0][query]!r} over {run.n_layers} layers, {model.name})")
    return 0
