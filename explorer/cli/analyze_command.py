"""`python main.py analyze heads|importance|lens`: head scores, head importance and the logit lens, headless.

Every bad argument is refused before the model loads (the first SmolLM2 load takes seconds); the files are
written all at once (write_atomic), as JSON with NaN as null, or as CSV with one row per head and NaN as "n/a".
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

import numpy as np

import models
from explorer.cli.export_command import check_with_catalogue
from explorer.cli.parser import run_options
from explorer.cli.progress import TerminalProgress
from explorer.core.sequences import check_text, read_sequences
from explorer.export.atomic import write_atomic
from explorer.export.head_tables import kv_group_of, scores_csv
from models.runtime import budget

DEFAULT_LENGTH, DEFAULT_SEED = 50, 0


def analyze(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is not None:  # a subcommand in a module of its own names it (parser.py), as `lab` does: no cycle
        module, function = handler
        return getattr(importlib.import_module(module), function)(args)
    return {"heads": analyze_heads, "importance": analyze_importance, "lens": analyze_lens}[args.analysis](args)


def analyze_heads(args: argparse.Namespace) -> int:
    out = checked_out(args.out, (".json", ".csv"))
    if args.probe is None and (args.length is not None or args.seed is not None):
        raise ValueError("--length and --seed choose a probe's text; use them with --probe repeated-random")
    texts = [check_text(args.text)] if args.text is not None else None
    if args.file is not None:
        texts = read_sequences(args.file)
    options = checked_options(args)
    model = load_model(args)
    probe = None
    if args.probe is not None:
        from models.analysis import repeated_random

        length = DEFAULT_LENGTH if args.length is None else args.length
        probe = repeated_random(model, length=length, seed=DEFAULT_SEED if args.seed is None else args.seed)
        texts = [probe.text]
    run = checked_run(model, texts, options)
    if not 0 <= args.seq < run.n_sequences:
        raise ValueError(f"--seq: {args.seq} is out of range; the input has {run.n_sequences} sequence(s)")
    from models.analysis import head_scores

    progress = TerminalProgress()
    try:
        scores = head_scores(run, args.seq, progress=lambda done, total: progress(done / total, "scoring heads"))
    finally:
        progress.done()
    groups = kv_group_of(run.kv_groups, run.n_heads)
    if out.suffix.lower() == ".csv":
        write_atomic(out, scores_csv(scores.scores, groups))
    else:
        payload = {
            "model": model.name,
            "tokens": run.tokens[args.seq],
            "ids": run.ids[args.seq],
            "options": run.options.describe(),
            "probe": None if probe is None else {"name": probe.name, "length": probe.length, "seed": probe.seed},
            "scores": scores.to_dict(),
        }
        write_json(out, payload)
    print(f"wrote {out} ({run.n_layers} layers x {run.n_heads} heads, {model.name})")
    print(f"highest prefix_matching: {top_heads(scores['prefix_matching'])}")
    return 0


def analyze_importance(args: argparse.Namespace) -> int:
    out = checked_out(args.out, (".json", ".csv"))
    text = check_text(args.text)
    options = checked_options(args)
    model = load_model(args)
    budget.check_run(model, [text], options.kv_heads)
    from models.analysis import head_importance

    progress = TerminalProgress()
    try:
        report = lambda done, total: progress(done / total, "knocking out heads")  # noqa: E731
        result = head_importance(model, text, target=args.target, options=options, progress=report)
    finally:
        progress.done()
    from models.nn.attention import kv_groups  # torch, like everything after the model load

    n_heads = model.config.n_heads
    groups = kv_group_of(kv_groups(n_heads, result.options["kv_heads"]), n_heads)
    if out.suffix.lower() == ".csv":
        write_atomic(out, scores_csv({"importance": result.scores}, groups))
    else:
        write_json(out, result.to_dict())
    ranked = ", ".join(f"L{layer}H{head} {change:+.3f}" for layer, head, change in result.most_important(3))
    print(f"wrote {out} (target {result.target!r}, log p = {result.baseline_logprob:.3f}; {result.seconds:.1f} s)")
    print(f"most important (change in log p): {ranked}")
    return 0


def analyze_lens(args: argparse.Namespace) -> int:
    out = checked_out(args.out, (".json",))
    text = check_text(args.text)
    if isinstance(args.k, bool) or args.k < 1:
        raise ValueError(f"--k: {args.k} must be an integer >= 1")
    options = checked_options(args)
    model = load_model(args)
    if not model.is_causal_lm:
        raise ValueError(f"--model: {model.name} is an encoder; the logit lens reads a causal language model's head")
    run = checked_run(model, [text], options)
    lens = run.logit_lens(k=args.k)
    payload = {
        "model": model.name,
        "tokens": run.tokens[0],
        "ids": run.ids[0],
        "options": run.options.describe(),
        "k": args.k,
        "layers": [
            {"layer": layer, "top": [{"token": token, "probability": p} for token, p in top]}
            for layer, top in enumerate(lens)
        ],
    }
    write_json(out, payload)
    print(f"wrote {out} ({len(lens)} layers; the last layer's top token: {lens[-1][0][0]!r})")
    return 0


# -- shared steps -----------------------------------------------------------------------------------------------


def checked_out(path: str, suffixes: tuple[str, ...]) -> Path:
    """The output path, refused now (not after the load) if its format is unknown or a folder is in the way."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in suffixes:
        raise ValueError(f"--out: unknown extension '{suffix or 'none'}'; use {' or '.join(suffixes)}")
    if out.is_dir():
        raise IsADirectoryError(f"--out: cannot write {out}: it is a folder; give a file name such as scores{suffix}")
    return out


def checked_options(args: argparse.Namespace) -> models.RunOptions:
    """The run options, with what can be checked without the weights checked now (mask, --ablate, --kv-heads)."""
    models.parse_mask(args.mask)
    options = run_options(args)  # parses --ablate
    check_with_catalogue(args)
    return options


def load_model(args: argparse.Namespace) -> models.Model:
    load = models.load  # imports the engine (torch) now, so that the progress's quiet second is the load's own
    progress = TerminalProgress()
    try:
        return load(args.model, device=args.device, progress=progress)
    finally:
        progress.done()


def checked_run(model: models.Model, texts: list[str], options: models.RunOptions) -> models.Run:
    budget.check_run(model, texts, options.kv_heads)
    run = model.run(texts, options=options)
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return run


def write_json(out: Path, payload: dict) -> None:
    write_atomic(out, json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8"))


def top_heads(scores: np.ndarray, n: int = 5) -> str:
    order = np.argsort(np.nan_to_num(scores, nan=-np.inf), axis=None)[::-1][:n]
    return ", ".join(f"L{i // scores.shape[1]}H{i % scores.shape[1]} {scores.flat[i]:.3f}" for i in order)
