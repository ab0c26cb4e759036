"""Read a llama-architecture GGUF file with the `gguf` package: config, tokenizer and dequantized weights."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from gguf import GGML_QUANT_SIZES, GGUFReader, GGUFValueType
from gguf.quants import dequantize
from tokenizers import Tokenizer

from models.convert import GGUF, Converter, converter
from models.convert.tensors import Fields
from models.errors import ModelLoadError, UnsupportedArchitectureError
from models.io.gguf_header import read_header
from models.io.gguf_tokenizer import GGUFVocab, build_tokenizer
from models.io.hf_folder import config_or_error
from models.nn.config import TransformerConfig

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


@dataclass
class GGUFModel:
    config: TransformerConfig
    state_dict: dict[str, torch.Tensor]
    tokenizer: Tokenizer
    metadata: dict[str, object]


def open_reader(path: Path) -> GGUFReader:
    try:
        return GGUFReader(path)
    except Exception as error:  # the reader raises ValueError, KeyError, struct errors... on damaged files
        raise ModelLoadError(
            f"could not read the GGUF file {path}: {error or type(error).__name__}. The file is damaged or "
            "truncated; download it again"
        ) from None


def scalar_metadata(reader: GGUFReader) -> dict[str, object]:
    """Every key/value except the big arrays (vocabularies), decoded to Python values."""
    meta = {}
    for key, field in reader.fields.items():
        if field.types and field.types[0] == GGUFValueType.ARRAY and len(field.data) > 64:
            continue
        try:
            meta[key] = field.contents()
        except Exception:  # an odd key must not stop a model from loading; it is only metadata
            log.debug("skipping unreadable GGUF key %s", key)
    return meta


def gguf_converter(meta: dict[str, object], path: Path) -> tuple[str, Converter]:
    """The file's architecture and the registry's converter for it."""
    arch = str(meta.get("general.architecture", "unknown"))
    try:
        return arch, converter(GGUF, arch)
    except UnsupportedArchitectureError as error:
        raise UnsupportedArchitectureError(f"{path.name}: {error}") from None


def read_config(reader: GGUFReader, path: Path) -> tuple[TransformerConfig, dict[str, object]]:
    """The file's config and its scalar metadata (cheap: no tensor is read)."""
    meta = scalar_metadata(reader)
    tokens = reader.fields.get("tokenizer.ggml.tokens")
    vocab_length = None if tokens is None else len(tokens.data)
    return config_from_header(meta, vocab_length, [t.name for t in reader.tensors], path), meta


def describe_gguf(path: Path) -> TransformerConfig:
    """The file's config from its header alone (gguf_header.py): what the catalogue lists, in a fraction of a
    second where GGUFReader takes ~20 s over a 262k-token vocabulary."""
    header = read_header(path)
    vocab_length = header.array_lengths.get("tokenizer.ggml.tokens")
    return config_from_header(header.metadata, vocab_length, header.tensor_names, path)


def config_from_header(
    meta: dict[str, object], vocab_length: int | None, tensor_names: list[str], path: Path
) -> TransformerConfig:
    """The config of a file with these scalar keys, this many vocabulary tokens (None: no vocabulary) and tensors."""
    arch, found = gguf_converter(meta, path)
    prefix = f"{arch}."
    arch_meta = {key[len(prefix) :]: value for key, value in meta.items() if key.startswith(prefix)}
    if vocab_length is not None:
        arch_meta.setdefault("vocab_size", vocab_length)
    config = config_or_error(lambda: found.config(arch_meta), path)
    # Whether the head is tied and which token pads are facts of the file, not of the architecture's keys.
    tied = "output.weight" not in tensor_names
    pad = config_or_error(lambda: Fields(meta).token_id("tokenizer.ggml.padding_token_id", config.vocab_size), path)
    return replace(config, tie_embeddings=tied, pad_token_id=pad)


def read_tokenizer(reader: GGUFReader, meta: dict[str, object], path: Path) -> Tokenizer:
    def array(key: str):
        return reader.fields[key].contents() if key in reader.fields else None

    if "tokenizer.ggml.tokens" not in reader.fields:
        raise ModelLoadError(f"{path}: the GGUF file has no tokenizer vocabulary (tokenizer.ggml.tokens)")
    try:
        vocab = GGUFVocab(
            model=str(meta.get("tokenizer.ggml.model", "gpt2")),
            pre=meta.get("tokenizer.ggml.pre"),
            tokens=array("tokenizer.ggml.tokens"),
            token_types=array("tokenizer.ggml.token_type") or [],
            merges=array("tokenizer.ggml.merges"),
            scores=array("tokenizer.ggml.scores"),
            bos_id=meta.get("tokenizer.ggml.bos_token_id"),
            add_bos=meta.get("tokenizer.ggml.add_bos_token"),
            architecture=str(meta.get("general.architecture", "")),
        )
        return build_tokenizer(vocab)
    except ModelLoadError as error:
        raise type(error)(f"{path}: {error}") from None
    except Exception as error:  # tokenizers raises bare Exceptions, and damaged metadata has any type at all
        raise ModelLoadError(
            f"{path}: the tokenizer stored in the GGUF metadata is damaged ({type(error).__name__}: {error})"
        ) from None


def check_tensor_bytes(tensor, path: Path) -> None:
    """Refuse a tensor whose stored bytes do not hold its shape in its type: K-quants (Q4_K, Q6_K) pack 256
    values per block, Q5_0 and Q8_0 32, so a row length that is not a whole number of blocks, or a byte count
    other than blocks × block size, is a damaged or mislabelled file, named here rather than failing in a reshape.

    tensor: a gguf ReaderTensor (name, tensor_type, shape with the fastest dimension first, data)."""
    kind = getattr(tensor.tensor_type, "name", str(tensor.tensor_type))
    if tensor.tensor_type not in GGML_QUANT_SIZES:
        return  # an unknown type: dequantize names it
    block, block_bytes = GGML_QUANT_SIZES[tensor.tensor_type]
    shape = [int(dim) for dim in tensor.shape]
    elements = int(np.prod(shape)) if shape else 0
    row = shape[0] if shape else 0
    expected = elements // block * block_bytes
    if row % block or int(tensor.data.nbytes) != expected:
        raise ModelLoadError(
            f"{path}: tensor {tensor.name} ({kind}, shape {shape}) holds {int(tensor.data.nbytes)} bytes, but "
            f"{kind} stores {block} values in {block_bytes} bytes, so its shape needs rows of a multiple of {block} "
            f"values and {expected} bytes in all. The file is damaged or was written wrongly; download it again"
        )


def read_gguf(path: Path, progress: Progress | None = None) -> GGUFModel:
    """Parse, dequantize every tensor to float32 (Q4_1, Q8_0, F16, ... all go through gguf.quants) and convert.

    progress(fraction, message) is called per tensor; it may raise Cancelled to stop.
    """
    report = progress or (lambda fraction, message: None)
    report(0.0, f"Reading {path.name}")
    reader = open_reader(path)
    config, meta = read_config(reader, path)
    tokenizer = read_tokenizer(reader, meta, path)
    tensors: dict[str, torch.Tensor] = {}
    count = len(reader.tensors)
    for index, tensor in enumerate(reader.tensors):
        check_tensor_bytes(tensor, path)
        try:
            values = dequantize(tensor.data, tensor.tensor_type)  # (rows, cols) float32, PyTorch (out, in) order
        except (NotImplementedError, ValueError, TypeError, IndexError, AssertionError) as error:
            raise ModelLoadError(
                f"{path}: tensor {tensor.name} has type {tensor.tensor_type.name}, which cannot be "
                f"dequantized ({error})"
            ) from None
        # F32 tensors come back as read-only views of the memory-mapped file: copy those (np.require).
        tensors[tensor.name] = torch.from_numpy(np.require(values, np.float32, ["C_CONTIGUOUS", "WRITEABLE"]))
        report((index + 1) / count, f"Dequantizing {tensor.name} ({tensor.tensor_type.name})")
    try:
        state = gguf_converter(meta, path)[1].convert(tensors, config)
    except ModelLoadError as error:
        raise type(error)(f"{path}: {error}") from None
    return GGUFModel(config=config, state_dict=state, tokenizer=tokenizer, metadata=meta)
