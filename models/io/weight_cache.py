"""The on-disk cache of dequantized GGUF models, so only the first load pays for dequantization.

Each entry is a folder named after the GGUF file's path, size and modification time, holding our
converted state dict as safetensors, the tokenizer as tokenizer.json and the config as JSON. config.json
is written last and atomically, so a half-written entry is never mistaken for a complete one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import platformdirs
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from models.nn.config import TransformerConfig

log = logging.getLogger(__name__)

APP_NAME = "attention-explorer"
CACHE_ENV = "ATTENTION_EXPLORER_CACHE"  # tests and CI point this at a temporary folder


def cache_root() -> Path:
    root = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir(APP_NAME)
    return Path(root)


def entry_for(path: Path, kind: str = "gguf") -> Path:
    """The cache folder of one source file; it changes whenever the file is replaced or edited."""
    stat = path.stat()
    key = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return cache_root() / kind / f"{path.stem}-{key}"


def load_entry(entry: Path) -> tuple[TransformerConfig, dict[str, torch.Tensor], Tokenizer] | None:
    """The cached model, or None if there is no complete entry. A damaged entry is removed."""
    config_file = entry / "config.json"
    if not config_file.exists():
        return None
    try:
        config = TransformerConfig.from_dict(json.loads(config_file.read_text()))
        tokenizer = Tokenizer.from_file(str(entry / "tokenizer.json"))
        state = load_file(entry / "weights.safetensors")
    except Exception as error:  # any damage means: rebuild from the source file
        log.warning("the cached copy in %s is damaged (%s); rebuilding it", entry, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return config, state, tokenizer


def save_entry(entry: Path, config: TransformerConfig, state: dict[str, torch.Tensor], tokenizer: Tokenizer) -> None:
    """Write an entry; failure to cache is logged, never fatal (the model is already in memory)."""
    try:
        entry.mkdir(parents=True, exist_ok=True)
        save_file({name: t.contiguous() for name, t in state.items()}, entry / "weights.safetensors")
        tokenizer.save(str(entry / "tokenizer.json"))
        write_json_atomic(entry / "config.json", config.to_dict())
    except OSError as error:
        log.warning("could not cache the dequantized weights in %s: %s", entry, error)


def write_json_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        json.dump(data, handle)
    os.replace(handle.name, path)


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
