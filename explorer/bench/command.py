"""The `bench` command's arguments; the benchmark itself (bench.py) is imported only when it runs."""

from __future__ import annotations

import argparse


def add_bench_parser(commands) -> None:
    bench = commands.add_parser("bench", help="time the engine against transformers on the same weights and ids")
    bench.add_argument("--model", default="smollm2-135m-instruct", help="model name or path")
    bench.add_argument("--lengths", default="128,512,2048", help="comma list of token counts")
    bench.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    bench.add_argument("--rounds", type=int, default=5, help="timed rounds per side (at least 5)")
    bench.add_argument("--warmups", type=int, default=2, help="untimed rounds first (at least 2)")
    bench.add_argument("--json", action="store_true", help='print {"results": [...]} as JSON')


def bench(args: argparse.Namespace) -> int:
    from explorer.bench.measure import run_bench

    return run_bench(args)
