"""Head knockout as a run option: the (layer, head) pairs a run silences, checked and in one canonical form.

A knocked-out head's attention output is zeroed before the output projection (models/nn/attention.py). Here
only the values are checked: torch-free, for the command line, a GUI control or a session file.
The text form ("3:1,5:0") is parsed by options.parse_ablate, beside the engine's one other grammar, the mask's.
"""

from __future__ import annotations

import numbers

from models.checks import short_repr

__all__ = ["ABLATE_HELP", "check_ablate", "check_heads_exist"]

ABLATE_HELP = "a list of (layer, head) pairs of integers >= 0, e.g. [(3, 1), (5, 0)]"


def check_ablate(value: object) -> tuple[tuple[int, int], ...]:
    """Knocked-out heads in canonical form: a sorted tuple of (layer, head) int pairs, repeats dropped.

    A knockout is a set of heads (silencing one twice is silencing it once), so equal sets compare equal, and
    a run made with them can be reused by the next (Model.run(reuse=...) compares options).
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ValueError(f"ablate: {short_repr(value)} is not {ABLATE_HELP}")
    pairs = set()
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(_is_index(part) for part in pair):
            raise ValueError(f"ablate: {short_repr(pair)} in {short_repr(value)} is not a pair; give {ABLATE_HELP}")
        pairs.add((int(pair[0]), int(pair[1])))
    return tuple(sorted(pairs))


def _is_index(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= 0


def check_heads_exist(ablate: tuple[tuple[int, int], ...], n_layers: int, n_heads: int) -> None:
    """Refuse a knocked-out head the model does not have."""
    for layer, head in ablate:
        if layer >= n_layers or head >= n_heads:
            raise ValueError(
                f"ablate: ({layer}, {head}) is not a head of this model; layers are 0..{n_layers - 1} "
                f"and heads 0..{n_heads - 1}"
            )
