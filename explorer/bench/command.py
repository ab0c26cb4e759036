"""The `bench` command: its arguments, their checks, and the report.

Imports nothing heavy at the top: the parser is built for every `--help`, and the engine benchmark (torch,
transformers) and the startup benchmark (subprocesses only) are imported when they run.
"""

from __future__ import annotations

import argparse
import sys

MIN_ROUNDS, MIN_WARMUPS = 5, 2  # fewer, and a median of a shared machine's timings means little
# Head scores at N=2048 read transformers' 4.5 GB of maps in numpy: a round takes tens of seconds, so fewer.
ANALYSIS_LENGTHS, ANALYSIS_ROUNDS, ANALYSIS_WARMUPS = "512,2048", 3, 1


def add_bench_parser(commands) -> None:
    bench = commands.add_parser("bench", help="time the engine against transformers, or the explorer's startup")
    bench.add_argument("--model", default="smollm2-135m-instruct", help="model name or path")
    bench.add_argument(
        "--lengths", help=f"comma list of token counts (default 128,512,2048; with --analysis {ANALYSIS_LENGTHS})"
    )
    bench.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    bench.add_argument(
        "--rounds", type=int, help=f"timed rounds per side (default and least {MIN_ROUNDS}; --analysis: 1, default 3)"
    )
    bench.add_argument(
        "--warmups", type=int, help=f"untimed rounds first (default and least {MIN_WARMUPS}; --analysis: 0, default 1)"
    )
    bench.add_argument("--json", action="store_true", help="print the report as JSON")
    bench.add_argument(
        "--analysis",
        action="store_true",
        help="time head scores of every head instead: ours against transformers' attentions plus numpy",
    )
    bench.add_argument(
        "--lab",
        action="store_true",
        help="the labs' training budgets instead: each default run's accuracy, seconds, time per step and peak RSS",
    )
    bench.add_argument(
        "--lines",
        action="store_true",
        help="GUI-thread time to redraw the Maps tool's Lines view on a head change at 2,048 tokens (--lengths: one N)",
    )
    bench.add_argument(
        "--patching",
        action="store_true",
        help="the head sweep against as many forward passes, attribution patching and integrated gradients against one",
    )
    corpus = bench.add_argument_group("corpus (instead of the engine)")
    corpus.add_argument(
        "--corpus",
        action="store_true",
        help="tokens/s of analyze corpus over texts of 50-300 tokens: in-process, on local Ray, and per text",
    )
    corpus.add_argument("--texts", type=int, default=1000, help="texts in the bench corpus (default 1000)")
    corpus.add_argument("--workers", type=int, default=2, help="Ray workers (default 2; 0 skips the Ray side)")
    startup = bench.add_argument_group("startup (instead of the engine)")
    startup.add_argument(
        "--startup",
        action="store_true",
        help="time `main.py --help` and launch-to-window of the explorer, each in fresh processes",
    )
    startup.add_argument("--repeat", type=int, default=5, help="fresh processes per measure (default 5)")


def bench(args: argparse.Namespace) -> int:
    if args.startup:
        from explorer.bench.startup import run_startup

        return run_startup(args.repeat, args.json)
    if args.analysis:
        return run_analysis(args)
    if args.corpus:
        return run_corpus(args)
    if args.lines:
        from explorer.bench.lines import LENGTH, render, run_lines_bench

        lengths = parse_lengths(args.lengths) if args.lengths else [LENGTH]
        if len(lengths) != 1:
            raise ValueError("--lines: give one length with --lengths (default 2048)")
        report = run_lines_bench(args.model, args.device, lengths[0], say)
        print(render(report, args.json))
        return 0 if report["passed"] else 1
    if args.patching:
        from explorer.bench.patching import render, run_patching_bench

        report = run_patching_bench(args.model, args.device, 3 if args.rounds is None else max(1, args.rounds), say)
        print(render(report, args.json))
        return 0 if report["passed"] else 1
    if args.lab:
        from explorer.bench.lab import render, run_lab_bench

        rows = run_lab_bench(say=say)
        print(render(rows, args.json))
        return 0 if all(row["passed"] for row in rows) else 1
    return run_engine_bench(args)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_analysis(args: argparse.Namespace) -> int:
    lengths = parse_lengths(args.lengths or ANALYSIS_LENGTHS)
    rounds = ANALYSIS_ROUNDS if args.rounds is None else args.rounds
    warmups = ANALYSIS_WARMUPS if args.warmups is None else args.warmups
    if rounds < 1 or warmups < 0:
        raise ValueError("--rounds must be at least 1 and --warmups at least 0")
    from explorer.bench.analysis import render, run_analysis_bench

    results = run_analysis_bench(args.model, lengths, args.device, rounds, warmups, say)
    print(render(args.model, results, args.json))
    return 0


def run_corpus(args: argparse.Namespace) -> int:
    if args.texts < 100 or args.workers < 0:
        raise ValueError("--texts must be at least 100 (memory is compared after 100) and --workers at least 0")
    from explorer.bench.corpus import render, run_corpus_bench

    report = run_corpus_bench(args.model, args.texts, args.workers, say, ray=args.workers > 0)
    print(render(report, args.json))
    return 0 if report["passed"] else 1


def run_engine_bench(args: argparse.Namespace) -> int:
    lengths = parse_lengths(args.lengths or "128,512,2048")
    args.rounds = MIN_ROUNDS if args.rounds is None else args.rounds
    args.warmups = MIN_WARMUPS if args.warmups is None else args.warmups
    if args.rounds < MIN_ROUNDS or args.warmups < MIN_WARMUPS:
        raise ValueError(
            f"--rounds must be at least {MIN_ROUNDS} and --warmups at least {MIN_WARMUPS}, so medians mean something"
        )
    from explorer.bench.long_context import LONG_FROM, render_long, run_long_bench

    if max(lengths) > LONG_FROM:  # long context (issue 27): ours alone past 2,048 tokens, with the head switch's pixels
        model, long_results = run_long_bench(args.model, lengths, args.device, args.rounds, args.warmups, say)
        print(render_long(model, args.device, long_results, args.json))
        return 0 if all(all(r.budgets.values()) for r in long_results) else 1
    from explorer.bench.measure import benchmark
    from explorer.bench.report import render

    results = benchmark(args.model, lengths, args.device, args.rounds, args.warmups, say)
    print(render(args.model, args.device, results, args.json))
    return 0


def parse_lengths(text: str) -> list[int]:
    try:
        lengths = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--lengths: '{text}' is not a comma list of integers") from None
    if not lengths or min(lengths) < 2:
        raise ValueError(f"--lengths: '{text}' needs token counts of at least 2")
    return lengths
