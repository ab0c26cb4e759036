"""Hugging Face model folders: config.json, safetensors (single or sharded) and tokenizer.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import torch
from safetensors import SafetensorError
from tokenizers import Tokenizer

from models.convert import SAFETENSORS, converter
from models.errors import ModelLoadError, UnsafeCheckpointError
from models.io.weight_cache import load_owned
from models.nn.config import TransformerConfig

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
Progress = Callable[[float, str], None]


def refuse_pickle(path: Path) -> None:
    raise UnsafeCheckpointError(
        f"{path.name} is a pickle checkpoint, and loading it could run arbitrary code. Convert it to "
        "safetensors (for example with transformers' save_pretrained(..., safe_serialization=True)) and load "
        "that instead"
    )


def read_hf_config(folder: Path) -> dict:
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise ModelLoadError(f"{folder} has no config.json; choose a Hugging Face model folder or a .gguf file")
    try:
        data = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:  # ValueError covers bad UTF-8 and bad JSON
        raise ModelLoadError(f"{config_file} is not valid JSON ({error}); the folder is damaged") from None
    if not isinstance(data, dict):
        raise ModelLoadError(f"{config_file} does not hold a JSON object; the folder is damaged")
    return data


def describe_folder(folder: Path) -> TransformerConfig:
    """The config of a folder, from config.json alone (cheap: used to list the catalogue)."""
    hf = read_hf_config(folder)
    return config_or_error(lambda: converter(SAFETENSORS, hf.get("model_type")).config(hf), folder / "config.json")


def config_or_error(read: Callable[[], TransformerConfig], source: Path) -> TransformerConfig:
    """read() with every refusal of a field turned into a ModelLoadError that names the file first."""
    try:
        return read()
    except ValueError as error:  # ModelLoadError included: the converters and TransformerConfig raise these
        kind = type(error) if isinstance(error, ModelLoadError) else ModelLoadError
        raise kind(f"{source}: {error}") from None


def weight_files(folder: Path) -> list[Path]:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = sorted({str(shard) for shard in json.loads(index.read_text())["weight_map"].values()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            raise ModelLoadError(f"{index} is damaged ({error}); download the model again") from None
        files = [folder / shard for shard in shards]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ModelLoadError(f"{folder} is missing weight shards: {', '.join(missing)}")
        return files
    files = sorted(folder.glob("*.safetensors"))
    if files:
        return files
    pickles = [p for p in sorted(folder.iterdir()) if p.suffix in PICKLE_SUFFIXES]
    if pickles:
        refuse_pickle(pickles[0])
    raise ModelLoadError(f"{folder} has no .safetensors weight file")


def read_folder(folder: Path, progress: Progress | None = None) -> tuple[TransformerConfig, dict, Tokenizer]:
    report = progress or (lambda fraction, message: None)
    config = describe_folder(folder)
    hf = read_hf_config(folder)
    tokenizer_file = folder / "tokenizer.json"
    if not tokenizer_file.is_file():
        raise ModelLoadError(f"{folder} has no tokenizer.json; the explorer needs it to turn text into tokens")
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
    except Exception as error:  # tokenizers raises a bare Exception on malformed files
        raise ModelLoadError(f"{tokenizer_file} could not be read ({error}); the folder is damaged") from None
    files = weight_files(folder)
    checkpoint: dict[str, torch.Tensor] = {}
    for index, file in enumerate(files):
        report(index / len(files), f"Reading {file.name}")
        try:
            checkpoint.update(load_owned(file))  # copies: weights must not depend on the file staying as it is
        except (SafetensorError, OSError, ValueError, RuntimeError) as error:
            raise ModelLoadError(f"{file} is not a readable safetensors file ({error}); download it again") from None
    report(1.0, "Converting weights")
    try:
        state = converter(SAFETENSORS, hf.get("model_type")).convert(checkpoint, config)
    except ModelLoadError as error:
        raise type(error)(f"{folder}: {error}") from None
    return config, state, tokenizer
