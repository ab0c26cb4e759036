"""The command line: `models`, `export` and `bench` run headless; no command opens the desktop explorer."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from explorer.core.display import COLORMAPS, SCALES
from models.options import POS_CHOICES
from models.runtime.devices import DEVICE_CHOICES

log = logging.getLogger(__name__)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The attention-variant options shared by every command that runs a model."""
    group = parser.add_argument_group("attention variant (default: the model's own)")
    group.add_argument("--mask", help="comma list: causal, bidirectional, no-self, window=W, prefix=P")
    group.add_argument("--padding-mask", choices=("on", "off"), default="on", help="mask pad tokens in a batch")
    group.add_argument("--pos", choices=POS_CHOICES, default="model", help="positional encoding")
    group.add_argument("--rope-theta", type=float, help="RoPE base θ (with --pos rope, or a RoPE model)")
    group.add_argument("--kv-heads", type=int, help="regroup to G KV heads (1 = MQA, all = MHA)")
    group.add_argument("--temperature", type=float, default=1.0, help="divide attention scores by T")
    parser.add_argument("--device", choices=DEVICE_CHOICES, default="auto")


def run_options(args: argparse.Namespace) -> dict:
    return {
        "mask": args.mask,
        "padding_mask": args.padding_mask == "on",
        "pos": args.pos,
        "rope_theta": args.rope_theta,
        "kv_heads": args.kv_heads,
        "temperature": args.temperature,
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attention-explorer",
        description="Explore the attention of real pretrained transformers. Without a command, opens the explorer.",
    )
    parser.add_argument("--model", help="model name from `models`, or a path to a model folder or .gguf file")
    parser.add_argument("--text", help="text to open with")
    parser.add_argument("--file", help=".txt (one sequence per line) or .jsonl file to open with")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks and debug logging")
    commands = parser.add_subparsers(dest="command", metavar="command")

    listing = commands.add_parser("models", help="list the models the explorer can open")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")

    export = commands.add_parser("export", help="compute attention and write it to a file")
    export.add_argument("--model", required=True, help="model name or path")
    source = export.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to run")
    source.add_argument("--file", help='.txt (one sequence per line) or .jsonl ({"text": ...} per line)')
    export.add_argument("--layer", type=int, help="layer index (default 0)")
    export.add_argument("--head", type=int, help="head index (default 0)")
    export.add_argument("--all", action="store_true", help="every layer and head: [L, H, N, N]")
    export.add_argument("--seq", type=int, default=0, help="which sequence of a --file batch (default 0)")
    export.add_argument("--out", required=True, help="output path: .json, .npy, .csv, .png or .svg")
    figure = export.add_argument_group("images (.png, .svg)")
    figure.add_argument("--width", type=int, default=1600, help="PNG width in pixels (default 1600)")
    figure.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
    figure.add_argument("--colormap", choices=COLORMAPS, default="viridis")
    figure.add_argument("--scale", choices=tuple(SCALES), default="linear", help="linear, log, or row (per-row max)")
    add_run_options(export)

    from explorer.bench.command import add_bench_parser

    add_bench_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    command = args.command or "gui"
    return guarded(command_for(command), args, debug=args.debug)


def command_for(name: str) -> Callable[[argparse.Namespace], int]:
    if name == "models":
        from explorer.cli.models_command import list_models

        return list_models
    if name == "export":
        from explorer.cli.export_command import export

        return export
    if name == "bench":
        from explorer.bench.command import bench

        return bench
    from explorer.gui.app import launch

    return launch


def guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace, debug: bool) -> int:
    """Run a command; user errors become one line on stderr and exit status 2, never a traceback."""
    try:
        return command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError) as error:
        if debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # last resort: still one line, with a hint for bug reports
        if debug:
            raise
        print(f"error: unexpected {type(error).__name__}: {error} (rerun with --debug for details)", file=sys.stderr)
        return 1
