"""The seq2seq lab's subcommands: `lab train` (a transformer, GRU or GPT on a synthetic task) and `lab attention`.

Building them imports neither torch nor numpy; each sets handler=("module", "function") for lab_command. Sizes
left out come from the tuned defaults of the chosen system (models.lab.seq2seq.settings.DEFAULTS).
"""

from __future__ import annotations

COMMAND = "explorer.cli.lab_train_command"
SYSTEMS = ("transformer", "gru", "gpt")
TASKS = ("copy", "reverse", "sort", "dates")
SCORES = ("additive", "dot", "general", "concat")
KINDS = ("encoder", "decoder", "cross", "self")


def add_parsers(kinds) -> None:
    _train(kinds)
    _attention(kinds)


def _train(kinds) -> None:
    p = kinds.add_parser("train", help="train a seq2seq lab model on a synthetic task and report its accuracy")
    p.add_argument("--system", choices=SYSTEMS, default="transformer", help="default transformer")
    p.add_argument("--task", choices=TASKS, default="reverse", help="default reverse")
    p.add_argument("--score", choices=SCORES, help="the GRU's attention score (default additive)")
    for flag, kind, text in (
        ("--layers", int, "encoder and decoder layers each (transformer), blocks (gpt)"),
        ("--heads", int, "attention heads"),
        ("--kv-heads", int, "the GPT's KV heads: = heads MHA, 1 MQA, between GQA (default heads)"),
        ("--d-model", int, "model width (the GRU's hidden size)"),
        ("--dropout", float, "dropout (default 0)"),
        ("--length", int, "longest source sequence of copy/reverse/sort (default 10)"),
        ("--vocab", int, "distinct symbols of copy/reverse/sort, 2..26 (default 10)"),
        ("--difficulty", int, "1..3: how much lengths vary / how many date forms (default 1)"),
        ("--steps", int, "training steps (default: the system's tuned number)"),
        ("--batch-size", int, "examples per step (default 64)"),
        ("--lr", float, "peak learning rate (default 3e-3)"),
        ("--snapshot-every", int, "evaluate every this many steps (default 100)"),
    ):
        p.add_argument(flag, type=kind, help=text)
    p.add_argument("--positions", choices=("sinusoidal", "learned"), help="default sinusoidal")
    p.add_argument("--seed", type=int, default=0, help="fixes the data, the initialisation and the losses")
    p.add_argument("--save", metavar="RUN.safetensors", help="save the weights, and RUN.json beside them")
    p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    p.set_defaults(handler=(COMMAND, "train"))


def _attention(kinds) -> None:
    p = kinds.add_parser("attention", help="one head's attention of a saved lab run on an input")
    p.add_argument("--load", required=True, metavar="RUN.safetensors", help="a run saved by `lab train --save`")
    p.add_argument("--input", help="the source text (default: the run's first held-out example)")
    p.add_argument("--kind", choices=KINDS, default="cross", help="encoder, decoder, cross (default) or self")
    p.add_argument("--layer", type=int, default=0)
    p.add_argument("--head", type=int, default=0)
    p.add_argument("--out", metavar="FILE", help="write the map: .json, .npy, .csv, or a figure .png/.svg/.pdf")
    p.add_argument("--json", action="store_true", help="print the map, tokens and output as JSON on stdout")
    p.set_defaults(handler=(COMMAND, "attention"))
