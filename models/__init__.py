"""Attention Explorer's engine: real pretrained transformers with exact, switchable attention.

    import models
    m = models.load("smollm2-135m-instruct", device="auto")      # or a folder / .gguf path
    r = m.run("The cat sat on the mat", mask="causal", kv_heads=1)
    r.tokens, r.ids                  # per sequence
    r.attention(layer=3, head=2)     # numpy float32 [N_query, N_key]
    r.kv_groups                      # which query heads share each KV head
    r.timings                        # ms per layer and total
    r.next_tokens(5)                 # causal LMs: top-k (token, probability)

PyTorch only: nothing here imports Qt or the explorer.
"""

from models.errors import Cancelled, ModelLoadError, UnsafeCheckpointError, UnsupportedArchitectureError
from models.io.catalogue import CatalogueEntry, catalogue
from models.io.loader import load
from models.nn.config import TransformerConfig
from models.options import RunOptions, parse_mask
from models.runtime.devices import available_devices
from models.runtime.model import Model, ModelSource
from models.runtime.run import Run, Timings

__all__ = [
    "CatalogueEntry",
    "Cancelled",
    "Model",
    "ModelLoadError",
    "ModelSource",
    "Run",
    "RunOptions",
    "Timings",
    "TransformerConfig",
    "UnsafeCheckpointError",
    "UnsupportedArchitectureError",
    "available_devices",
    "catalogue",
    "load",
    "parse_mask",
]
