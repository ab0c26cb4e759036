"""The grammar of `analyze patch` (activation and attribution patching) and `analyze attribute` (token attribution).

Torch-free, as the whole parser is: the choices are spelled here and checked again by models.analysis.
"""

from __future__ import annotations

from explorer.export.figure_style import THEMES

PATCH_WHATS = ("resid", "heads", "pattern", "attn-out", "mlp-out")
ATTRIBUTE_METHODS = ("ig", "grad-input", "grad-norm", "attn-grad")
TEMPLATE_NAMES = ("ioi", "factual", "chinese")  # models/analysis/patching_templates.py
DEFAULT_MODEL = "smollm2-135m-instruct"
OUT_HELP = "output path: .json, .csv, .png, .svg or .pdf"


def add_patch_parsers(kinds, add_run_options) -> None:
    """analyze patch and analyze attribute, as subcommands of `analyze` (handled by patch_command.py)."""
    patch = kinds.add_parser(
        "patch", help="activation patching: how much of the clean answer one layer, position or head restores"
    )
    patch.add_argument("--model", default=DEFAULT_MODEL, help=f"a causal language model (default {DEFAULT_MODEL})")
    patch.add_argument("--template", choices=TEMPLATE_NAMES, help="start from a template's texts and answers")
    patch.add_argument("--clean", help="the clean text")
    patch.add_argument("--corrupt", help="the corrupted text, of the same token length")
    patch.add_argument("--answer", help="the clean text's answer: one token (mind the leading space: ' Mary')")
    patch.add_argument("--wrong", help="the wrong answer, one token, for the logit difference")
    patch.add_argument("--metric", choices=("logit-diff", "prob"), default="logit-diff", help="(default logit-diff)")
    patch.add_argument("--what", choices=PATCH_WHATS, required=True, help="what to patch, one cell at a time")
    patch.add_argument("--direction", choices=("denoise", "noise"), default="denoise", help="(default denoise)")
    patch.add_argument(
        "--approx", action="store_true", help="attribution patching: one forward and one backward pass, approximate"
    )
    patch.add_argument("--out", required=True, help=OUT_HELP)
    _figure_options(patch)
    add_run_options(patch)
    patch.set_defaults(handler=("explorer.cli.patch_command", "analyze_patch"))
    attribute = kinds.add_parser("attribute", help="which input tokens the next-token prediction rests on")
    attribute.add_argument("--model", default=DEFAULT_MODEL, help=f"a causal language model (default {DEFAULT_MODEL})")
    attribute.add_argument("--text", required=True, help="the text whose next token is predicted")
    attribute.add_argument("--target", help="the next token to explain, one token; default: the model's top token")
    attribute.add_argument(
        "--method",
        choices=ATTRIBUTE_METHODS,
        default="ig",
        help="ig: integrated gradients; grad-input: input × gradient; grad-norm: the gradient's norm; "
        "attn-grad: attention × gradient per head (default ig)",
    )
    attribute.add_argument("--steps", type=int, default=64, help="integrated gradients' steps (default 64)")
    attribute.add_argument("--baseline", choices=("zeros", "pad"), default="zeros", help="ig's baseline embeddings")
    attribute.add_argument("--out", required=True, help=OUT_HELP)
    _figure_options(attribute)
    add_run_options(attribute)
    attribute.set_defaults(handler=("explorer.cli.patch_command", "analyze_attribute"))


def _figure_options(parser) -> None:
    parser.add_argument("--width", type=int, default=1600, help="figure width in pixels (default 1600)")
    parser.add_argument("--dpi", type=int, default=300, help="resolution recorded in the PNG (default 300)")
    parser.add_argument("--theme", choices=tuple(THEMES), default="light", help="light (for print) or dark")
