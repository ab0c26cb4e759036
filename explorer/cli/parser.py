"""The command line's grammar: every command and option, and the run options they describe.

Building the parser imports neither torch nor Qt (only the engine's torch-free option lists and numpy, through
the display choices), so `--help` answers at once; the commands import what they need when they run.
"""

from __future__ import annotations

import argparse

from explorer.bench.command import add_bench_parser
from explorer.cli.corpus_parser import add_corpus_parser
from explorer.cli.lab_parser import add_lab_parser
from explorer.cli.patch_parser import add_patch_parsers
from explorer.core.display import COLORMAPS, SCALES
from explorer.export.figure_style import THEMES
from explorer.export.qk_files import COLOURINGS
from models.analysis.qk_geometry import DEFAULT_NEIGHBOURS, DEFAULT_PERPLEXITY, METHODS
from models.options import (
    DEVICE_CHOICES,
    FLOW_MAX_TOKENS,
    HEAD_REDUCTIONS,
    POS_CHOICES,
    WEIGHTINGS,
    RunOptions,
    parse_ablate,
)

FLOW_MAX = FLOW_MAX_TOKENS
PROBES = ("repeated-random",)  # models.analysis.probes: the probes a command can run instead of a text


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
    add_models_parser(commands)
    add_export_parser(commands)
    add_analyze_parser(commands)
    add_lab_parser(commands)
    add_bench_parser(commands)
    add_qa_parser(commands)
    return parser


def add_models_parser(commands) -> None:
    listing = commands.add_parser("models", help="list the models the explorer can open")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")


def add_qa_parser(commands) -> None:
    qa = commands.add_parser(
        "qa", help="quality checks on a real window: the UI monkey, the memory soak, the endurance run over every tool"
    )
    checks = qa.add_subparsers(dest="check", metavar="check", required=True)
    monkey = checks.add_parser("monkey", help="drive the window through random actions from a seed, checking each")
    monkey.add_argument("--actions", type=int, default=1000, help="how many actions (default 1000)")
    monkey.add_argument("--seed", type=int, default=0, help="the seed: the same seed repeats the same actions")
    monkey.add_argument("--keep-going", action="store_true", help="report every failure, not only the first")
    soak = checks.add_parser("soak", help="type and switch many times, and report how resident memory grows")
    soak.add_argument("--runs", type=int, default=500, help="typing runs, and as many model/variant switches")
    endurance = checks.add_parser(
        "endurance",
        help="every tool, every export through its dialog, training, cancelling and both languages, checked "
        "after each action, for --minutes (on the display if DISPLAY is set, else offscreen)",
    )
    endurance.add_argument("--minutes", type=float, default=30.0, help="how long to run (default 30)")
    endurance.add_argument("--seed", type=int, default=0, help="the seed of the run's random choices")
    endurance.add_argument("--work", help="keep the exported files in this folder (default: a temporary one)")
    for parser in (monkey, soak, endurance):
        parser.add_argument(
            "--models",
            default="all-minilm-l6-v2,smollm2-135m-instruct",
            help="comma list of models (names or paths) to switch between; the first opens the window",
        )


def add_export_parser(commands) -> None:
    export = commands.add_parser("export", help="compute attention and write it to a file")
    export.add_argument("--model", required=True, help="model name or path")
    source = export.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to run")
    source.add_argument("--file", help='.txt (one sequence per line) or .jsonl ({"text": ...} per line)')
    export.add_argument("--layer", type=int, help="layer index (default 0)")
    export.add_argument("--head", type=int, help="head index (default 0)")
    export.add_argument("--all", action="store_true", help="every layer and head: [L, H, N, N]")
    export.add_argument("--seq", type=int, default=0, help="which sequence of a --file batch (default 0)")
    export.add_argument("--out", required=True, help="output path: .json, .npy, .csv, .png, .svg or .pdf")
    export.add_argument(
        "--weighting",
        choices=WEIGHTINGS,
        default="attention",
        help="attention: the weights A; norm: A[i, j]·‖v_j W_O‖, each weight times the length of what the key's "
        "value adds to the output (Kobayashi et al. 2020)",
    )
    export.add_argument(
        "--renormalize", action="store_true", help="with --weighting norm: divide each row by its sum, so rows sum to 1"
    )
    lines = export.add_argument_group("lines (--view lines: .png, .svg, .pdf or .json)")
    lines.add_argument(
        "--view",
        choices=("map", "lines"),
        default="map",
        help="map: the heatmap or matrix (default); lines: BertViz's head view, queries left, keys right, one line "
        "per pair, opacity = weight, every head of --layer (or only --head) in its own colour",
    )
    lines.add_argument(
        "--threshold",
        type=float,
        help="lines: draw pairs whose weight is at least this (default 0 up to 256 tokens, else 0.05; never below "
        "N/163,840, e.g. 0.05 at 8,192 tokens)",
    )
    pick = lines.add_mutually_exclusive_group()
    pick.add_argument("--query", type=int, help="lines: only this query token's lines (its row)")
    pick.add_argument("--key", type=int, help="lines: only this key token's lines (its column)")
    figure = export.add_argument_group("figures (.png, .svg, .pdf)")
    figure.add_argument(
        "--width", type=int, default=1600, help="PNG width in pixels (default 1600); every figure is width/dpi inches"
    )
    figure.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
    figure.add_argument("--theme", choices=tuple(THEMES), default="light", help="light (for print) or dark")
    figure.add_argument(
        "--caption",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a caption under the figure: model, layer, head and attention variant (default: on)",
    )
    figure.add_argument("--colormap", choices=COLORMAPS, default="viridis")
    figure.add_argument("--scale", choices=tuple(SCALES), default="linear", help="linear, log, or row (per-row max)")
    add_run_options(export)


def add_analyze_parser(commands) -> None:
    analyze = commands.add_parser("analyze", help="find the heads that matter: head scores, importance, logit lens")
    kinds = analyze.add_subparsers(dest="analysis", metavar="analysis", required=True)
    heads = kinds.add_parser("heads", help="every head's scores (previous token, induction, sink, …) as .json or .csv")
    heads.add_argument("--model", required=True, help="model name or path")
    source = heads.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to run")
    source.add_argument("--file", help='.txt (one sequence per line) or .jsonl ({"text": ...} per line)')
    source.add_argument("--probe", choices=PROBES, help="a probe text instead: T random tokens, repeated twice")
    heads.add_argument("--length", type=int, help="with --probe: T, the random tokens per half (default 50)")
    heads.add_argument("--seed", type=int, help="with --probe: the seed, the same seed gives the same text (default 0)")
    heads.add_argument("--seq", type=int, default=0, help="which sequence of a --file batch (default 0)")
    heads.add_argument("--out", required=True, help="output path: .json or .csv (one row per head)")
    add_run_options(heads)
    importance = kinds.add_parser("importance", help="knock out each head in turn: the change in log p(target)")
    importance.add_argument("--model", required=True, help="model name or path (a causal language model)")
    importance.add_argument("--text", required=True, help="the text whose next token is predicted")
    importance.add_argument(
        "--target", help="the next token to score, exactly one token (' Paris'); default: the model's own top token"
    )
    importance.add_argument("--out", required=True, help="output path: .json or .csv (one row per head)")
    add_run_options(importance)
    lens = kinds.add_parser("lens", help="logit lens: each layer's top next tokens, read through the LM head")
    lens.add_argument("--model", required=True, help="model name or path (a causal language model)")
    lens.add_argument("--text", required=True, help="the text whose next token is predicted")
    lens.add_argument("--k", type=int, default=5, help="top tokens per layer (default 5)")
    lens.add_argument("--out", required=True, help="output path: .json")
    add_run_options(lens)
    add_compare_parser(kinds)
    add_flow_parsers(kinds)
    add_patch_parsers(kinds, add_run_options)
    add_qk_parser(kinds)
    add_corpus_parser(kinds, add_run_options)


def add_compare_parser(kinds) -> None:
    compare = kinds.add_parser("compare", help="one text in two variants: per-head KL(A‖B) and JS, the diff B − A")
    compare.add_argument("--model", required=True, help="model name or path (variant A's, and B's by default)")
    compare.add_argument("--text", required=True, help="the text to run in both variants")
    spec = "; e.g. 'mask=causal,window=8', 'kv-heads=1', 'rope-theta=100000', 'temperature=0.5'"
    compare.add_argument("--a", default="", help="variant A (default: the model's own)" + spec)
    compare.add_argument("--b", required=True, help="variant B: mask parts and KEY=VALUE items" + spec)
    compare.add_argument("--b-model", help="run B on another model with the same tokenizer (default: --model)")
    compare.add_argument("--layer", type=int, default=0, help="the head whose diff map is written (default 0)")
    compare.add_argument("--head", type=int, default=0, help="(default 0)")
    compare.add_argument("--k", type=int, default=5, help="top next tokens of each variant (default 5)")
    compare.add_argument(
        "--out", required=True, help=".json (grids, diff map, next tokens), .npy/.csv (the diff map), .png/.svg/.pdf"
    )
    compare.add_argument("--width", type=int, default=1600, help="figure width in pixels (default 1600)")
    compare.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
    compare.add_argument("--theme", choices=tuple(THEMES), default="light", help="light (for print) or dark")
    compare.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    compare.set_defaults(handler=("explorer.cli.compare_command", "analyze_compare"))


def add_flow_parsers(kinds) -> None:
    """analyze rollout and analyze flow (models/analysis/attention_rollout.py, attention_flow.py)."""
    rollout = kinds.add_parser("rollout", help="attention rollout: each input token's share in every position")
    flow = kinds.add_parser("flow", help=f"attention flow: max flow from each input token to a query (N ≤ {FLOW_MAX})")
    for parser in (rollout, flow):
        parser.add_argument("--model", required=True, help="model name or path")
        parser.add_argument("--text", required=True, help="the text to run")
        parser.add_argument("--residual", type=float, default=0.5, help="the residual share r in each layer (0.5)")
        parser.add_argument("--out", required=True, help="output path: .json, .npy, .csv, .png, .svg or .pdf")
        parser.add_argument("--width", type=int, default=1600, help="figure width in pixels (default 1600)")
        parser.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
        parser.add_argument("--theme", choices=tuple(THEMES), default="light", help="light (for print) or dark")
        add_run_options(parser)
        parser.set_defaults(handler=("explorer.cli.flow_command", "analyze_rollout_or_flow"))
    rollout.add_argument("--head-reduce", choices=HEAD_REDUCTIONS, default="mean", help="over heads (default mean)")
    flow.add_argument("--query", type=int, default=-1, help="the query position (default -1: the last token)")


def add_qk_parser(kinds) -> None:
    """analyze qk (models/analysis/qk_geometry.py): one head's queries and keys in one 2-D picture."""
    qk = kinds.add_parser("qk", help="one head's queries and keys in one 2-D picture (PCA, t-SNE or UMAP)")
    qk.add_argument("--model", required=True, help="model name or path")
    source = qk.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text to run")
    source.add_argument("--corpus", help="pool over a corpus's texts instead (.txt, .jsonl or .parquet), sampled")
    qk.add_argument("--points", type=int, default=2000, help="with --corpus: points kept (default 2000)")
    qk.add_argument("--limit", type=int, help="with --corpus: read at most this many texts")
    qk.add_argument("--layer", type=int, required=True, help="the head's layer")
    qk.add_argument("--head", type=int, required=True, help="the query head (its keys are its KV head's)")
    qk.add_argument("--method", choices=METHODS, default="pca", help="projection to 2-D (default pca)")
    qk.add_argument("--perplexity", type=float, default=DEFAULT_PERPLEXITY, help="t-SNE's perplexity (default 30)")
    qk.add_argument("--neighbours", type=int, default=DEFAULT_NEIGHBOURS, help="UMAP's n_neighbors (default 15)")
    qk.add_argument("--seed", type=int, default=0, help="seed of t-SNE and UMAP (default 0)")
    qk.add_argument("--colour-by", choices=COLOURINGS, default="kind", help="the figure's colours (default kind)")
    qk.add_argument("--out", required=True, help="output path: .json (every point), .png, .svg or .pdf")
    qk.add_argument("--width", type=int, default=1600, help="figure width in pixels (default 1600)")
    qk.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
    qk.add_argument("--theme", choices=tuple(THEMES), default="light", help="light (for print) or dark")
    add_run_options(qk)
    qk.set_defaults(handler=("explorer.cli.qk_command", "analyze_qk"))


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The attention-variant options shared by every command that runs a model, and the device."""
    group = parser.add_argument_group("attention variant (default: the model's own)")
    group.add_argument("--mask", help="comma list: causal, bidirectional, no-self, window=W, prefix=P")
    group.add_argument("--padding-mask", choices=("on", "off"), default="on", help="mask pad tokens in a batch")
    group.add_argument("--pos", choices=POS_CHOICES, default="model", help="positional encoding")
    group.add_argument("--rope-theta", type=float, help="RoPE base θ (with --pos rope, or a RoPE model)")
    group.add_argument("--kv-heads", type=int, help="regroup to G KV heads (1 = MQA, all = MHA)")
    group.add_argument("--temperature", type=float, default=1.0, help="divide attention scores by T")
    group.add_argument("--ablate", help="knock out heads: comma list of LAYER:HEAD, e.g. 3:1,5:0")
    parser.add_argument("--device", choices=DEVICE_CHOICES, default="auto")


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run options that add_run_options parsed; the engine checks them against the model it runs."""
    return RunOptions(
        mask=args.mask,
        padding_mask=args.padding_mask == "on",
        pos=args.pos,
        rope_theta=args.rope_theta,
        kv_heads=args.kv_heads,
        temperature=args.temperature,
        ablate=parse_ablate(getattr(args, "ablate", None)),
    )
