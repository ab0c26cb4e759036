"""Helpers shared by the per-architecture converters."""

from __future__ import annotations

import logging
import numbers
from collections.abc import Mapping

import torch

from models.errors import ModelLoadError

log = logging.getLogger(__name__)


def take(tensors: Mapping[str, torch.Tensor], name: str) -> torch.Tensor:
    """The named checkpoint tensor as float32; a missing one means a truncated or foreign checkpoint."""
    try:
        tensor = tensors[name]
    except KeyError:
        raise ModelLoadError(
            f"the checkpoint has no tensor '{name}'; the weight file is incomplete or belongs to another "
            "architecture. Re-download the model or pick its correct folder"
        ) from None
    return tensor.to(torch.float32)


def strip_prefix(tensors: Mapping[str, torch.Tensor], prefixes: tuple[str, ...]) -> dict[str, torch.Tensor]:
    """Drop a task wrapper's prefix ('bert.', 'transformer.') so base and head checkpoints both convert."""
    out = {}
    for name, tensor in tensors.items():
        for prefix in prefixes:
            if name.startswith(prefix):
                name = name[len(prefix) :]
                break
        out[name] = tensor
    return out


def take_shaped(tensors: Mapping[str, torch.Tensor], name: str, shape: tuple[int, ...]) -> torch.Tensor:
    """take(), for a tensor about to be reshaped: a shape the config does not predict would otherwise end in a
    reshape error that names neither the tensor nor the shapes."""
    tensor = take(tensors, name)
    if tuple(tensor.shape) != tuple(shape):
        raise ModelLoadError(
            f"tensor '{name}' has shape {list(tensor.shape)}, but the config needs {list(shape)}; the weights "
            "and the config do not belong together"
        )
    return tensor


MISSING = object()
# Every size ends up as a tensor dimension or an index, which torch keeps in 64-bit integers and many kernels
# in 32-bit ones: anything larger is damage, not a model.
INT_LIMIT = 2**31 - 1


class Fields:
    """A checkpoint's description (config.json, or GGUF metadata) read field by field, each checked by type and
    range before anything divides by it or sizes a tensor with it. Errors are ValueErrors that name the field,
    the value and what is allowed; the reader adds the file's name."""

    def __init__(self, data: Mapping[str, object], prefix: str = ""):
        self.data, self.prefix = data, prefix

    def _get(self, key: str, default: object) -> object:
        if key in self.data and self.data[key] is not None:
            return self.data[key]
        if default is MISSING:
            raise ValueError(f"the field '{self.prefix}{key}' is missing; the file is incomplete or damaged")
        return default

    def refuse(self, key: str, value: object, allowed: str) -> ValueError:
        return ValueError(f"{self.prefix}{key}={value!r} is not allowed; it must be {allowed}")

    def integer(self, key: str, default: object = MISSING, low: int = 1, high: int = INT_LIMIT) -> int:
        value = self._get(key, default)
        if not _is_int(value) or not low <= value <= high:
            kind = "a positive integer" if low == 1 else f"an integer ≥ {low}"
            raise self.refuse(key, value, f"{kind} (at most {high})")
        return int(value)

    def optional_integer(self, key: str, low: int = 1) -> int | None:
        return None if self.data.get(key) is None else self.integer(key, low=low)

    def real(self, key: str, default: object = MISSING) -> float:
        """A finite number > 0 (epsilons, RoPE θ, scaling factors)."""
        value = self._get(key, default)
        # float() of a huge JSON integer overflows, and NaN fails every comparison: both are refused here.
        if not _is_real(value) or not 0 < value <= 1e300:
            raise self.refuse(key, value, "a finite number > 0")
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.refuse(key, value, "true or false")
        return value

    def text(self, key: str, default: object = MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.refuse(key, value, "a string")
        return value

    def head_size(self, d_model: int, n_heads: int, key: str, heads_key: str) -> int:
        """d_model / n_heads, refused unless exact: a remainder would silently drop columns of every head."""
        if d_model % n_heads:
            raise ValueError(
                f"{self.prefix}{key}={d_model} is not allowed with {self.prefix}{heads_key}={n_heads}; "
                f"it must be a multiple of {n_heads}"
            )
        return d_model // n_heads

    def token_id(self, key: str, vocab_size: int) -> int | None:
        """A token id, or None when absent or outside the vocabulary (some configs say -1 for "none")."""
        value = self.data.get(key)
        if value is None:
            return None
        if not _is_int(value):
            raise self.refuse(key, value, "an integer token id")
        if not 0 <= value < vocab_size:
            log.info("%s%s=%s is outside the vocabulary of %s; ignoring it", self.prefix, key, value, vocab_size)
            return None
        return int(value)


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
