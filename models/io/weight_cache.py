"""The on-disk cache of dequantized GGUF models, so only the first load pays for dequantization.

Each entry is a folder named after a digest of the GGUF file's bytes, holding our converted state dict as
safetensors, the tokenizer as tokenizer.json and the config as JSON. Keyed by content, an entry outlives the
path: a reinstalled package, a fresh clone's virtual environment or a copied file finds it again, and an edited
file gets a new one. Hashing is paid once per path, size and modification time (the digest is remembered). Every file is
written to a temporary name and renamed into place, config.json last, so a half-written entry is never
mistaken for a complete one and a reader never sees a file change under it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import platformdirs
import torch
from safetensors import safe_open
from safetensors.torch import save_file
from tokenizers import Tokenizer

from models.nn.config import TransformerConfig

log = logging.getLogger(__name__)

APP_NAME = "attention-explorer"
CACHE_ENV = "ATTENTION_EXPLORER_CACHE"  # tests and CI point this at a folder of their own
DIGEST_LENGTH = 16


def cache_root() -> Path:
    root = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir(APP_NAME)
    return Path(root)


def entry_for(path: Path, kind: str = "gguf") -> Path:
    """The cache folder of one source file, named by its content: it changes whenever the file's bytes do."""
    return cache_root() / kind / f"{path.stem}-{content_digest(path)}"


def content_digest(path: Path) -> str:
    """The first 16 hex digits of the file's SHA-256, remembered under its path, size and modification time, so
    only a new or changed file is read in full (about a second per GB)."""
    stat = path.stat()
    where = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    memo = cache_root() / "digests" / where
    try:
        known = memo.read_text().strip()
        if len(known) == DIGEST_LENGTH and all(c in "0123456789abcdef" for c in known):
            return known
    except OSError:
        pass  # not hashed yet (or the memo is unreadable): hash it now
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()[:DIGEST_LENGTH]
    try:
        write_atomic(memo, lambda target: target.write_text(digest))
    except OSError as error:  # a read-only cache only costs the hash again next time
        log.info("could not remember the digest of %s: %s", path, error)
    return digest


def load_entry(entry: Path) -> tuple[TransformerConfig, dict[str, torch.Tensor], Tokenizer] | None:
    """The cached model, or None if there is no complete entry. A damaged entry is removed."""
    config_file = entry / "config.json"
    if not config_file.exists():
        return None
    try:
        config = TransformerConfig.from_dict(json.loads(config_file.read_text()))
        tokenizer = Tokenizer.from_file(str(entry / "tokenizer.json"))
        state = load_owned(entry / "weights.safetensors")
    except Exception as error:  # any damage means: rebuild from the source file
        log.warning("the cached copy in %s is damaged (%s); rebuilding it", entry, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return config, state, tokenizer


def load_owned(path: Path) -> dict[str, torch.Tensor]:
    """A safetensors file's tensors in memory of their own, one tensor at a time.

    safetensors hands out tensors backed by the memory-mapped file: if that file is then truncated or
    rewritten (a new download, another process's cache write), touching a weight kills the process with
    SIGBUS. Copying each tensor as it is read keeps the peak at the model plus one tensor. Floating tensors
    come out as float32, which every converter wants anyway, so the copy and the conversion are one step.
    """
    tensors = {}
    with safe_open(str(path), framework="pt") as handle:
        for name in handle.keys():
            mapped = handle.get_tensor(name)
            if mapped.is_floating_point():
                tensors[name] = mapped.to(torch.float32, copy=True)
            else:
                tensors[name] = mapped.clone()
            del mapped
    return tensors


def save_entry(entry: Path, config: TransformerConfig, state: dict[str, torch.Tensor], tokenizer: Tokenizer) -> None:
    """Write an entry; failure to cache is logged, never fatal (the model is already in memory).

    Each file goes to a temporary name and is renamed into place, so a process that is reading an entry
    (another first load racing this one) keeps the complete file it opened; config.json comes last.
    """
    try:
        entry.mkdir(parents=True, exist_ok=True)
        tensors = {name: t.contiguous() for name, t in state.items()}
        write_atomic(entry / "weights.safetensors", lambda target: save_file(tensors, target))
        write_atomic(entry / "tokenizer.json", lambda target: tokenizer.save(str(target)))
        write_json_atomic(entry / "config.json", config.to_dict())
    except (OSError, ValueError) as error:
        log.warning("could not cache the dequantized weights in %s: %s", entry, error)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """write(temporary) fills a file beside path, which is then renamed over path in one step: readers see the
    old file or the new one, never a half-written one. The temporary file is removed on every failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(name))
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: dict) -> None:
    write_atomic(path, lambda target: target.write_text(json.dumps(data)))


def read_json(path: Path) -> object | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
