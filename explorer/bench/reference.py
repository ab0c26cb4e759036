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


def load_reference(model_name: str, device: str):
    """transformers' own reading of the same files: the GGUF via its GGUF loader, folders via from_pretrained."""
    from transformers import AutoModel, AutoModelForCausalLM

    entry = next((e for e in models.catalogue() if e.name == model_name), None)
    path = Path(entry.path if entry else model_name)
    causal = entry.architecture != "bert" if entry else True
    factory = AutoModelForCausalLM if causal else AutoModel
    if path.suffix.lower() == ".gguf":
        reference = factory.from_pretrained(path.parent, gguf_file=path.name, attn_implementation="eager")
    else:
        reference = factory.from_pretrained(path, attn_implementation="eager")
    return reference.eval().to(device)


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
