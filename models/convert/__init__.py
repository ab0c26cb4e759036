"""Per-architecture conversion from Hugging Face checkpoints: pure functions, looked up in a registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from models.convert import bert, gpt2, llama
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig


@dataclass(frozen=True)
class Architecture:
    config_from_hf: Callable[[dict], TransformerConfig]
    convert: Callable[[Mapping[str, torch.Tensor], TransformerConfig], dict[str, torch.Tensor]]


# config.json "model_type" -> how to read it. Qwen2 and Mistral are Llama-shaped.
ARCHITECTURES: dict[str, Architecture] = {
    "bert": Architecture(bert.config_from_hf, bert.convert),
    "gpt2": Architecture(gpt2.config_from_hf, gpt2.convert),
    "llama": Architecture(llama.config_from_hf, llama.convert),
    "mistral": Architecture(llama.config_from_hf, llama.convert),
    "qwen2": Architecture(llama.config_from_hf, llama.convert),
}


def architecture(model_type: str | None) -> Architecture:
    try:
        return ARCHITECTURES[str(model_type)]
    except KeyError:
        raise UnsupportedArchitectureError(
            f"architecture '{model_type}' is not supported (supported: {', '.join(ARCHITECTURES)})"
        ) from None
