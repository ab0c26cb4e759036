"""Checkpoint conversion: pure functions behind one registry keyed by file format and architecture.

A converter reads a checkpoint's own description (a Hugging Face config.json, or a GGUF file's metadata with
the architecture prefix removed) into our TransformerConfig, and turns its tensors into our state dict.
Readers in models/io find the converter here and never call an architecture's module directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from models.convert import bert, gemma3, gguf_llama, gpt2, llama
from models.errors import UnsupportedArchitectureError
from models.nn.config import TransformerConfig

SAFETENSORS = "safetensors"  # a Hugging Face folder: config.json, *.safetensors, tokenizer.json
GGUF = "gguf"  # a llama.cpp file: metadata, (quantized) tensors and the vocabulary in one


@dataclass(frozen=True)
class Converter:
    config: Callable[[Mapping[str, object]], TransformerConfig]  # the checkpoint's description -> our config
    convert: Callable[[Mapping[str, torch.Tensor], TransformerConfig], dict[str, torch.Tensor]]


# (format, architecture) -> converter. Architecture is config.json's "model_type" or GGUF's
# "general.architecture". Qwen2 and Mistral are Llama-shaped.
CONVERTERS: dict[tuple[str, str], Converter] = {
    (SAFETENSORS, "bert"): Converter(bert.config_from_hf, bert.convert),
    (SAFETENSORS, "gpt2"): Converter(gpt2.config_from_hf, gpt2.convert),
    (SAFETENSORS, "llama"): Converter(llama.config_from_hf, llama.convert),
    (SAFETENSORS, "mistral"): Converter(llama.config_from_hf, llama.convert),
    (SAFETENSORS, "qwen2"): Converter(llama.config_from_hf, llama.convert),
    (GGUF, "llama"): Converter(gguf_llama.config_from_metadata, gguf_llama.convert),
    (GGUF, "gemma3"): Converter(gemma3.config_from_metadata, gemma3.convert),
}


def supported() -> list[str]:
    """Every registered pair as "format/architecture", e.g. "gguf/llama"."""
    return [f"{format_}/{architecture}" for format_, architecture in CONVERTERS]


def converter(format_: str, architecture: object) -> Converter:
    """The converter for one format and architecture; UnsupportedArchitectureError names the supported pairs."""
    found = CONVERTERS.get((format_, str(architecture)))
    if found is None:
        raise UnsupportedArchitectureError(
            f"architecture '{architecture}' is not supported in {format_} files (supported: {', '.join(supported())})"
        )
    return found
