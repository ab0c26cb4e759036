"""The foundations lab's subcommands: `lab pooling`, `lab scores`, `lab positions`, `lab classifier` and `lab bpe`.

Building them imports neither torch nor numpy; each sets handler=("module", "function") for lab_command.
"""

from __future__ import annotations

MATRIX_OUT = "file to write: .json (all the numbers), .npy (the matrix), .csv, or a figure .png/.svg/.pdf"
COMPUTE = "explorer.cli.lab_foundations_command"
TEXT = "explorer.cli.lab_text_command"


def seed(text: str) -> int:
    """--seed as numpy's generators take it, checked by argparse so the message names the flag."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is out of range; a seed is an integer from 0 to 2**63 − 1")
    return value


def add_parsers(kinds) -> None:
    _pooling(kinds)
    _scores(kinds)
    _positions(kinds)
    _classifier(kinds)
    _bpe(kinds)


def _outputs(parser, out_help: str = MATRIX_OUT) -> None:
    parser.add_argument("--out", metavar="FILE", help=out_help)
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")


def _pooling(kinds) -> None:
    p = kinds.add_parser("pooling", help="Nadaraya–Watson attention pooling: kernel regression as attention")
    p.add_argument("--kernel", default="gaussian", choices=("gaussian", "boxcar", "constant", "epanechnikov"))
    p.add_argument("--bandwidth", type=float, default=0.5, help="u = (x − x_i) / bandwidth (default 0.5)")
    p.add_argument("--n", type=int, default=50, help="training points, x uniform in [0, 5] (default 50)")
    p.add_argument("--test-points", type=int, default=None, help="test points evenly over [0, 5) (default: --n)")
    p.add_argument("--noise", type=float, default=0.5, help="standard deviation of y's noise (default 0.5)")
    p.add_argument("--seed", type=seed, default=0, help="an integer from 0 to 2**63 − 1 (default 0)")
    p.add_argument("--parametric", action="store_true", help="learn w in softmax(−((x − x_i)·w)²/2) instead")
    p.add_argument("--steps", type=int, default=200, help="gradient steps for --parametric (default 200)")
    _outputs(p)
    p.set_defaults(handler=(COMPUTE, "pooling"))


def _scores(kinds) -> None:
    p = kinds.add_parser("scores", help="score functions compared, and the row entropy against d with/without 1/√d")
    p.add_argument("--kind", default="all", choices=("all", "dot", "scaled-dot", "general", "additive", "cosine"))
    p.add_argument("--view", default="maps", choices=("maps", "entropy"), help="the weights, or entropy against d")
    p.add_argument("--n", type=int, default=16, help="random queries (default 16)")
    p.add_argument("--m", type=int, default=16, help="random keys (default 16)")
    p.add_argument("--d", type=int, default=64, help="dimension of the random queries and keys (default 64)")
    p.add_argument("--dims", default="1,2,4,8,16,32,64,128,256,512,1024", help="the d values of --view entropy")
    p.add_argument("--seed", type=seed, default=0, help="an integer from 0 to 2**63 − 1 (default 0)")
    p.add_argument("--model", help="use a real head's captured Q and K from this model instead of random ones")
    p.add_argument("--text", default="The quick brown fox jumps over the lazy dog.", help="the text for --model")
    p.add_argument("--layer", type=int, default=0)
    p.add_argument("--head", type=int, default=0)
    _outputs(p)
    p.set_defaults(handler=(COMPUTE, "scores"))


def _positions(kinds) -> None:
    p = kinds.add_parser("positions", help="positional encodings: sinusoidal, learned, RoPE, ALiBi, T5, 2-D sin-cos")
    p.add_argument("--kind", required=True, choices=("sinusoidal", "learned", "rope", "alibi", "t5", "2d-sincos"))
    p.add_argument("--length", type=int, default=128, help="positions (default 128)")
    p.add_argument("--dim", type=int, default=64, help="encoding or head dimension (default 64)")
    p.add_argument("--similarity", action="store_true", help="write the position × position dot products")
    p.add_argument("--model", help="--kind learned: a model name, folder or .safetensors with learned positions")
    p.add_argument("--theta", type=float, default=10000.0, help="RoPE base θ (default 10000)")
    p.add_argument("--pair", type=int, default=0, help="RoPE: the 2-D pair whose rotation is listed")
    p.add_argument("--heads", type=int, default=8, help="ALiBi heads (default 8)")
    p.add_argument("--head", type=int, default=0, help="ALiBi: the head a .csv or figure shows")
    p.add_argument("--buckets", type=int, default=32, help="T5 buckets (default 32)")
    p.add_argument("--max-distance", type=int, default=None, help="T5 (default 128) or RoPE (default 512)")
    p.add_argument("--unidirectional", action="store_true", help="T5: a causal (decoder) bucketing")
    p.add_argument("--grid", default="14x14", help="2-D sin-cos: patches as HxW (default 14x14)")
    p.add_argument("--patch", default=None, help="2-D sin-cos: write the similarity of patch ROW,COL to all")
    _outputs(p)
    p.set_defaults(handler=(COMPUTE, "positions"))


def _classifier(kinds) -> None:
    p = kinds.add_parser("classifier", help="train the BiLSTM + attention classifier on the cue-word task")
    p.add_argument("--steps", type=int, default=None, help="training steps (default 300)")
    p.add_argument("--seed", type=seed, default=0, help="an integer from 0 to 2**63 − 1 (default 0)")
    p.add_argument("--batch-size", type=int, default=None, help="sentences per step (default 64)")
    p.add_argument("--lr", type=float, default=None, help="Adam's learning rate (default 0.01)")
    p.add_argument("--hidden", type=int, default=None, help="LSTM units per direction (default 32)")
    p.add_argument("--examples", type=int, default=8, help="held-out sentences shown with their attention")
    p.add_argument("--sentence", help="also show the attention and label of this typed sentence")
    _outputs(p, "file to write: .json, or the examples' attention as .npy, .csv or a figure .png/.svg/.pdf")
    p.set_defaults(handler=(TEXT, "classifier"))


def _bpe(kinds) -> None:
    p = kinds.add_parser("bpe", help="learn BPE merges from a corpus, re-segment it, and explain a word")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--corpus", metavar="FILE", help="a UTF-8 text file (e.g. resources/corpora/bpe_en.txt)")
    source.add_argument("--text", help="the corpus typed on the command line")
    p.add_argument("--merges", type=int, default=200, help="merges to learn (default 200)")
    p.add_argument("--k", type=int, default=None, help="re-segment with only the first k merges (default all)")
    p.add_argument("--word", help="a word to explain merge by merge")
    p.add_argument("--model", help="explain --word with this model's tokenizer instead of the learned one")
    _outputs(p, "file to write: .json (merges, segmentation, the word's steps) or .csv (the merges in order)")
    p.set_defaults(handler=(TEXT, "bpe"))
