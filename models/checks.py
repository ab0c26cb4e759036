"""Checks of single values a user gives, each failing with a ValueError that names the option and shows the value.

Torch-free and importing nothing of the engine, so the run options (options.py) and anything else that reads
a user's values can share them without an import cycle.
"""

from __future__ import annotations

import math
import numbers
import reprlib

__all__ = ["check_count", "check_flag", "check_positive", "check_seed", "short_repr"]


def short_repr(value: object) -> str:
    """A printable repr of a user's value for a message: lone surrogates escaped, length and depth bounded."""
    shower = reprlib.Repr()  # bounded: a 200,000-character text or 200,000 nested lists cannot flood or recurse
    shower.maxstring, shower.maxother, shower.maxlevel = 60, 60, 3
    return shower.repr(value)


def check_flag(option: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{option}: {short_repr(value)} is not allowed; it must be True (on) or False (off)")
    return value


def check_positive(option: str, value: object, none_allowed: bool) -> float:
    """A finite real number > 0 (int, float or a numpy scalar; never a bool), as a float."""
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        try:
            number = float(value)
        except (ArithmeticError, ValueError, TypeError):  # an int beyond float's range, or an odd Real
            number = math.inf
        if math.isfinite(number) and number > 0:
            return number
    also = " or None (the model's own)" if none_allowed else ""
    raise ValueError(f"{option}: {short_repr(value)} is not allowed; it must be a finite number > 0{also}")


def check_seed(option: str, value: object) -> int:
    """A seed as numpy's and torch's generators take it: an integer from 0 to 2**63 − 1 (never a bool), as an int."""
    if not isinstance(value, bool) and isinstance(value, numbers.Integral) and 0 <= value < 2**63:
        return int(value)
    raise ValueError(f"{option}: {short_repr(value)} is not allowed; a seed is an integer from 0 to 2**63 − 1")


def check_count(option: str, value: object) -> int:
    """An integer >= 1 (int or a numpy integer; never a bool), as an int."""
    if not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= 1:
        return int(value)
    raise ValueError(
        f"{option}: {short_repr(value)} is not allowed; it must be an integer >= 1 or None (the model's own)"
    )
