"""The reference the benchmark compares against: transformers' eager attention on the same files and ids.

transformers is a test-only dependency; only the benchmark and the tests import it, and only here.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import numpy as np
import torch

import models
from models.io.catalogue import describe, model_path
from models.runtime.devices import synchronize

PARITY_TOLERANCE = 1e-4


def require_transformers() -> None:
    try:
        import transformers  # noqa: F401
    except ImportError:
        raise ValueError(
            "bench compares against Hugging Face transformers, which is a test-only dependency here; install it "
            "with `.venv/bin/pip install transformers accelerate` (make test installs it too)"
        ) from None


def load_reference(model: models.Model | str, device: str):
    """transformers' own reading of the same files: the GGUF via its GGUF loader, folders via from_pretrained.

    model is a loaded Model (its files are used, wherever they came from) or a catalogue name or path. The
    reference is always read from disk (local_files_only): a local folder's name is not a Hub id, and the
    benchmark must work offline.
    """
    from transformers import AutoModel, AutoModelForCausalLM

    path, architecture = reference_files(model)
    factory = AutoModel if architecture == "bert" else AutoModelForCausalLM
    options = {"attn_implementation": "eager", "local_files_only": True}
    if path.suffix.lower() == ".gguf":
        reference = factory.from_pretrained(path.parent, gguf_file=path.name, **options)
    else:
        reference = factory.from_pretrained(path, **options)
    return reference.eval().to(device)


def reference_files(model: models.Model | str) -> tuple[Path, str]:
    """The model's file or folder and its architecture, without the Hub."""
    if isinstance(model, models.Model):
        return local_model_file(Path(model.source.path)), model.config.architecture
    entry = next((e for e in models.catalogue() if e.name == model and e.usable), None)
    path = local_model_file(Path(entry.path if entry else model).expanduser())
    if not path.exists():
        raise ValueError(f"bench: {model} is neither a model in the catalogue nor a path to one")
    return path, entry.architecture if entry else describe(path).architecture


def local_model_file(path: Path) -> Path:
    """A folder holding one .gguf file and no config.json stands for that file, as models.load reads it."""
    path = model_path(path)
    if path.is_dir() and not (path / "config.json").exists():
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ggufs[0]
    return path


def hf_forward(reference, ids: list[int], device: torch.device):
    with torch.inference_mode():
        out = reference(torch.tensor([ids], device=device), output_attentions=True)
    synchronize(device)
    return out


def time_hf(reference, ids: list[int], device: torch.device) -> float:
    """ms of one eager forward pass with output_attentions=True, which is how transformers shows a map."""
    start = time.perf_counter()
    out = hf_forward(reference, ids, device)
    elapsed = (time.perf_counter() - start) * 1000
    del out
    gc.collect()
    return elapsed


def check_parity(model: models.Model, reference, ids: list[int]) -> float:
    """Refuse to time anything unless transformers computes the same maps we show; the worst |Δ| when it does."""
    run = model.run_ids([ids])
    out = hf_forward(reference, ids, model.device)
    attentions = out.attentions
    if not attentions or len(attentions) != run.n_layers or attentions[0] is None or attentions[0].numel() == 0:
        raise RuntimeError("transformers returned no attentions: output_attentions needs the eager implementation")
    worst, where = 0.0, None
    for layer, theirs in enumerate(attentions):
        ours = run.layer_attention(layer)  # (H, N, N)
        difference = np.abs(ours - theirs[0].float().cpu().numpy())
        if difference.max() > worst:
            worst = float(difference.max())
            head, row, column = np.unravel_index(difference.argmax(), difference.shape)
            where = (layer, int(head), int(row), int(column), float(ours[head, row, column]))
    if worst > PARITY_TOLERANCE:
        layer, head, row, column, value = where
        raise RuntimeError(
            f"parity failed at N={len(ids)}: worst |Δ| = {worst:.3g} > {PARITY_TOLERANCE} at layer {layer}, "
            f"head {head}, query {row}, key {column} (ours {value:.6g})"
        )
    return worst
