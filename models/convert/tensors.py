"""Helpers shared by the per-architecture converters."""

from __future__ import annotations

from collections.abc import Mapping

import torch

from models.errors import ModelLoadError


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
