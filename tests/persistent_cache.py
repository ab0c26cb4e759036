"""What the suite keeps between runs: the shipped models' dequantized weights and transformers' reference copy.

Each test session still gets an empty weight cache of its own (tests of the cache and of first loads build
tiny GGUF files and see them dequantized), but the shipped SmolLM2's entry, which costs half a minute to
build, is linked in from a store kept between runs, and put back there when a session built it. Entries are
named by the digest of the GGUF file's bytes (models/io/weight_cache.py), so a fresh clone, a new virtual
environment or a reinstalled package finds them again, and a changed file never finds a stale one.

The store is $ATTENTION_EXPLORER_TEST_STORE, or the user's cache folder's attention-explorer-tests (never the
app's own cache). Deleting it costs only time.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

STORE_ENV = "ATTENTION_EXPLORER_TEST_STORE"


def store_root() -> Path:
    return Path(os.environ.get(STORE_ENV) or platformdirs.user_cache_dir("attention-explorer-tests"))


def shipped_gguf_files() -> list[Path]:
    import importlib.metadata

    from models.io.catalogue import SHIPPED, assembled

    files = []
    for shipped in SHIPPED:
        try:
            path = Path(importlib.metadata.distribution(shipped.package).locate_file(shipped.file))
            if shipped.assembler:  # a file shipped in parts (Gemma 3): the joined file
                path = assembled(shipped)
        except importlib.metadata.PackageNotFoundError:  # the tests that need it say so themselves
            continue
        except (ImportError, OSError, ValueError):  # missing or damaged parts: the catalogue lists it as unusable
            continue
        if path.suffix == ".gguf" and path.is_file():
            files.append(path)
    return files


def link_entry(source: Path, target: Path) -> None:
    """Copy an entry folder file by file as hard links (a copy where links are impossible). The cache replaces
    files by renaming, never in place, so a test that damages its session's copy leaves the store whole."""
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")  # test processes may race (xdist)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for file in source.iterdir():
        try:
            os.link(file, partial / file.name)
        except OSError:
            shutil.copy2(file, partial / file.name)
    try:
        partial.rename(target)
    except OSError:  # another process got there first: its copy is the same
        shutil.rmtree(partial, ignore_errors=True)
        if not (target / "config.json").exists():
            raise


def bring_in_shipped_entries() -> list[tuple[Path, Path]]:
    """Link the stored entries of the shipped GGUF files into this session's cache; returns (session entry,
    stored entry) pairs to keep when the session ends."""
    from models.io.weight_cache import cache_root, entry_for

    pairs = []
    for gguf in shipped_gguf_files():
        entry = entry_for(gguf)
        stored = store_root() / "gguf" / entry.name
        if (stored / "config.json").exists() and not entry.exists():
            try:
                link_entry(stored, entry)
            except OSError as error:
                log.warning("could not use the stored entry %s: %s", stored, error)
        pairs.append((entry, stored))
    assert str(cache_root()) != str(store_root()), "the store is never a session's cache"
    return pairs


def keep_shipped_entries(pairs: list[tuple[Path, Path]]) -> None:
    """Keep a complete entry this session built in the store, for the next run, and the catalogue's summary
    of the file (its GGUF header takes seconds to parse) if the store lacks it."""
    for entry, stored in pairs:
        try:
            if (entry / "config.json").exists() and not (stored / "config.json").exists():
                stored.parent.mkdir(parents=True, exist_ok=True)
                link_entry(entry, stored)
            summary = entry / "summary.json"
            if summary.exists() and stored.exists() and not (stored / summary.name).exists():
                shutil.copy2(summary, stored / f".{summary.name}.{os.getpid()}")
                os.replace(stored / f".{summary.name}.{os.getpid()}", stored / summary.name)
        except OSError as error:
            log.warning("could not keep %s for the next run: %s", entry, error)


def reference_folder(gguf: Path, kind: str) -> Path:
    """Where transformers' own reading of a GGUF file is kept, by the file's digest and transformers' version."""
    import transformers

    from models.io.weight_cache import content_digest

    name = f"{kind}-{gguf.stem}-{content_digest(gguf)}-transformers-{transformers.__version__}"
    return store_root() / "reference" / name
