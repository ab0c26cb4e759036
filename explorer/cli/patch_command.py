"""`python main.py analyze patch|attribute`: activation patching and token attribution, headless.

Arguments that need no model (the output's format, the figure size, the texts given) are refused before the
model loads; the engine (models.analysis.patching, token_attribution) refuses the rest by name. Files are
written all at once by explorer/export/patch_files.py.
"""

from __future__ import annotations

import argparse

from explorer.cli.analyze_command import checked_options, checked_out, load_model
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text
from explorer.export.figure import FIGURE_SUFFIXES, check_png_size
from explorer.export.figure_style import caption_text
from explorer.export.patch_files import SUFFIXES


def analyze_patch(args: argparse.Namespace) -> int:
    out = checked_out(args.out, SUFFIXES)
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    clean, corrupt, answer, wrong = _texts(args)
    metric = "prob" if args.metric == "prob" else "logit_diff"
    if metric == "logit_diff" and wrong is None:
        raise ValueError("--wrong: the logit difference needs a wrong answer; give --wrong, or use --metric prob")
    options = checked_options(args)
    model = load_model(args)
    from models.analysis import attribution_patching, patching

    setup = patching.prepare(model, clean, corrupt, _token(answer), _token(wrong), metric=metric, options=options)
    what = args.what.replace("-", "_")
    if args.approx:
        result = attribution_patching.approximate(setup, what, args.direction)
    else:
        progress = TerminalProgress()
        try:
            report = lambda done, total: progress(done / total, f"patching {args.what}")  # noqa: E731
            result = patching.sweep(setup, what, args.direction, progress=report)
        finally:
            progress.done()
    from explorer.export.patch_files import write_sweep

    style = {"width": args.width, "dpi": args.dpi, "theme": args.theme}
    caption = caption_text(model.name, None, None, None) + f" · {setup.answer!r} vs {setup.wrong!r}"
    write_sweep(out, result, caption=caption, **style)
    top = ", ".join(f"L{layer}{_index_name(result, index)} {value:+.3f}" for layer, index, value in result.ranked(3))
    print(
        f"wrote {out} ({args.what}, {args.direction}, {result.method}; {metric} clean {setup.metric_clean:.3f}, "
        f"corrupted {setup.metric_corrupt:.3f}; {result.seconds:.1f} s)"
    )
    print(f"most restored: {top}")
    return 0


def analyze_attribute(args: argparse.Namespace) -> int:
    out = checked_out(args.out, SUFFIXES)
    text = check_text(args.text)
    if out.suffix.lower() in FIGURE_SUFFIXES:
        check_png_size(args.width, args.dpi)
    if isinstance(args.steps, bool) or not 1 <= args.steps <= 1024:
        raise ValueError(f"--steps: {args.steps} is not allowed; give an integer from 1 to 1024")
    options = checked_options(args)
    model = load_model(args)
    from models.analysis import token_attribution

    style = {"width": args.width, "dpi": args.dpi, "theme": args.theme}
    caption = caption_text(model.name, None, None, None)
    target = _token(args.target)
    if args.method == "attn-grad":
        from explorer.export.patch_files import write_attention_gradient

        values = token_attribution.attention_gradient(model, text, target, options=options)
        ids = model.tokenizer.encode([text]).ids[0]
        label = args.target if args.target is not None else "the top next token"
        about = {"model": model.name, "method": "attn-grad", "ids": ids, "target": label}
        write_attention_gradient(out, values, model.tokenizer.labels(ids), about, caption=caption, **style)
        print(f"wrote {out} (attention × gradient, {values.shape[0]} layers × {values.shape[1]} heads)")
        return 0
    from explorer.export.patch_files import write_attribution

    progress = TerminalProgress()
    try:
        report = lambda done, total: progress(done / total, "attributing")  # noqa: E731
        result = token_attribution.attribute(
            model, text, target, args.method, args.steps, args.baseline, options=options, progress=report
        )
    finally:
        progress.done()
    write_attribution(out, result, caption=caption, **style)
    note = ""
    if result.completeness_error is not None:
        note = f"; completeness error {100 * result.completeness_error:.2f} % at {result.steps} steps"
    print(f"wrote {out} ({result.method} of {result.target!r}, p = {result.f_x:.3f}{note})")
    return 0


def _texts(args: argparse.Namespace) -> tuple[str, str, str, str | None]:
    """clean, corrupt, answer, wrong: from --template, each overridable by its own option."""
    found = {"clean": None, "corrupt": None, "answer": None, "wrong": None}
    if args.template is not None:
        from models.analysis.patching_templates import template_named

        template = template_named(args.template)
        found = {name: getattr(template, name) for name in found}
    for name in found:
        if getattr(args, name) is not None:
            found[name] = getattr(args, name)
    for name in ("clean", "corrupt", "answer"):
        if found[name] is None:
            raise ValueError(f"--{name}: missing; give it, or start from --template")
    return check_text(found["clean"]), check_text(found["corrupt"]), found["answer"], found["wrong"]


def _token(value: str | None) -> str | int | None:
    """A token's text as given, or a token id written as #123."""
    if value is not None and value.startswith("#") and value[1:].isdigit():
        return int(value[1:])
    return value


def _index_name(result, index) -> str:
    if isinstance(index, tuple):
        return f"H{index[0]}@{index[1]}"
    return f"H{index}" if result.axes[1] == "head" else f"@{index}"
