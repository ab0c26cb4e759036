"""What Model.run and Model.run_ids accept as text and as token ids, checked before anything is tokenized."""

from __future__ import annotations

import numbers

import numpy as np
import torch

from models.options import short_repr


def checked_texts(text: object) -> list[str]:
    """The texts of Model.run as a list: one string, or a list or tuple of strings, each valid Unicode."""
    if isinstance(text, str):
        texts = [text]
    elif isinstance(text, (list, tuple)):
        texts = list(text)
    else:
        raise ValueError(f"text: {short_repr(text)} is not a string or a list of strings")
    for index, item in enumerate(texts):
        where = "text" if len(texts) == 1 else f"text {index + 1}"
        if not isinstance(item, str):
            raise ValueError(f"{where}: {short_repr(item)} is not a string")
        try:
            item.encode("utf-8")
        except UnicodeEncodeError as error:  # the tokenizer would raise a bare TypeError
            bad = item[error.start]
            raise ValueError(
                f"{where}: holds a lone surrogate ({bad!r} at character {error.start}), which is not valid "
                "Unicode; remove it, or decode the source bytes with errors='replace'"
            ) from None
    return texts


def checked_ids(ids: object) -> list[list[int]]:
    """The ids of Model.run_ids as lists of Python ints: one non-empty list (or 1-D array) of integers per sequence."""
    expected = "a list of token-id lists, e.g. [[1, 2, 3]]"
    sequences = _as_list(ids)
    if sequences is None:
        raise ValueError(f"ids: {short_repr(ids)} is not {expected}")
    if not sequences:
        raise ValueError(f"ids: no sequences; give {expected}")
    checked = []
    for index, seq in enumerate(sequences):
        values = _as_list(seq)
        if values is None:
            raise ValueError(f"ids: sequence {index} is {short_repr(seq)}, not a list of integers; give {expected}")
        if not values:
            raise ValueError(f"ids: sequence {index} is empty")
        for value in values:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):  # 1.5 is refused, not truncated
                raise ValueError(f"ids: sequence {index} holds {short_repr(value)}; token ids must be integers")
        checked.append([int(value) for value in values])
    return checked


def _as_list(value: object) -> list | None:
    """A list, tuple, numpy array or tensor as a list (arrays' numbers become Python numbers); else None."""
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return value.tolist() if value.ndim else None
    return list(value) if isinstance(value, (list, tuple)) else None
