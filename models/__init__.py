"""Attention Explorer's engine: real pretrained transformers with exact, switchable attention.

    import models
    m = models.load("smollm2-135m-instruct", device="auto")      # or a folder / .gguf path
    r = m.run("The cat sat on the mat", mask="causal", kv_heads=1)
    r.tokens, r.ids                  # per sequence
    r.attention(layer=3, head=2)     # numpy float32 [N_query, N_key]
    r.kv_groups                      # which query heads share each KV head
    r.timings                        # ms per layer and total
    r.next_tokens(5)                 # causal LMs: top-k (token, probability)
    r.logit_lens(5)                  # causal LMs: per layer, the top-k read from the residual stream
    m.run(text, ablate=[(3, 1)])     # head 1 of layer 3 knocked out: its output zeroed before o-proj
    r = m.run(text, capture=["blocks.*.hook_resid_post"], hooks=[("blocks.3.attn.hook_z", fn)])
    r.activation("blocks.3.hook_resid_post")   # TransformerLens's hook names; see docs/API.md
    models.weighted_attention(r, 3, 2, weighting="norm")  # A[i, j]·‖v_j W_O‖ (Kobayashi et al. 2020)

PyTorch only: nothing here imports Qt or the explorer. The public names are imported on first use (PEP 562),
so `import models`, models.options, models.errors and models.nn.config stay free of torch: a command-line
parser or a settings dialog can use them without paying for the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> the module that defines it
_EXPORTS = {
    "Cancelled": "models.errors",
    "ModelLoadError": "models.errors",
    "NumericalError": "models.errors",
    "UnsafeCheckpointError": "models.errors",
    "UnsupportedArchitectureError": "models.errors",
    "CatalogueEntry": "models.io.catalogue",
    "catalogue": "models.io.catalogue",
    "load": "models.io.loader",
    "TransformerConfig": "models.nn.config",
    "HookPoint": "models.nn.hooks",
    "hook_names": "models.nn.hooks",
    "RunOptions": "models.options",
    "parse_ablate": "models.options",
    "parse_mask": "models.options",
    "available_devices": "models.runtime.devices",
    "Model": "models.runtime.model",
    "ModelSource": "models.runtime.model",
    "Run": "models.runtime.run",
    "Timings": "models.runtime.run",
    "weighted_attention": "models.runtime.weighting",
    "weighted_layer_attention": "models.runtime.weighting",
}

__all__ = [
    "CatalogueEntry",
    "Cancelled",
    "HookPoint",
    "Model",
    "ModelLoadError",
    "NumericalError",
    "ModelSource",
    "Run",
    "RunOptions",
    "Timings",
    "TransformerConfig",
    "UnsafeCheckpointError",
    "UnsupportedArchitectureError",
    "available_devices",
    "catalogue",
    "hook_names",
    "load",
    "parse_ablate",
    "parse_mask",
    "weighted_attention",
    "weighted_layer_attention",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ does the importing
    from models.errors import (
        Cancelled,
        ModelLoadError,
        NumericalError,
        UnsafeCheckpointError,
        UnsupportedArchitectureError,
    )
    from models.io.catalogue import CatalogueEntry, catalogue
    from models.io.loader import load
    from models.nn.config import TransformerConfig
    from models.nn.hooks import HookPoint, hook_names
    from models.options import RunOptions, parse_ablate, parse_mask
    from models.runtime.devices import available_devices
    from models.runtime.model import Model, ModelSource
    from models.runtime.run import Run, Timings
    from models.runtime.weighting import weighted_attention, weighted_layer_attention


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'models' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups find it directly, without coming back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
