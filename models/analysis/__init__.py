"""Finding the heads that matter: per-head scores from a run's exact maps, and the probes that reveal them.

    from models.analysis import head_scores
    scores = head_scores(model.run(text))
    scores["prefix_matching"]        # (L, H) float: induction heads score high
    scores.to_dict()                 # plain lists, NaN as None, for JSON

Patching and attribution: `from models.analysis import patching, attribution_patching, token_attribution`.

Like `models`, the names are imported on first use (PEP 562), so `import models.analysis` costs no torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> the module that defines it
_EXPORTS = {
    "SCORE_NAMES": "models.analysis.scores",
    "HeadScores": "models.analysis.scores",
    "head_scores": "models.analysis.scores",
    "HeadImportance": "models.analysis.importance",
    "head_importance": "models.analysis.importance",
    "Probe": "models.analysis.probes",
    "repeated_random": "models.analysis.probes",
    "Comparison": "models.analysis.compare",
    "HeadDiff": "models.analysis.compare",
    "compare": "models.analysis.compare",
    "compare_runs": "models.analysis.compare",
    "diff_map": "models.analysis.compare",
    "run_pair": "models.analysis.compare",
    "HEAD_REDUCTIONS": "models.analysis.attention_rollout",
    "rollout": "models.analysis.attention_rollout",
    "FLOW_MAX_TOKENS": "models.analysis.attention_flow",
    "flow": "models.analysis.attention_flow",
    "NeuronView": "models.analysis.neuron_view",
    "query_key_terms": "models.analysis.neuron_view",
    "QKGeometry": "models.analysis.qk_geometry",
    "head_geometry": "models.analysis.qk_geometry",
    "Agreement": "models.analysis.attribution_patching",
    "PatchSetup": "models.analysis.patching",
    "PatchSweep": "models.analysis.patching",
    "TokenAttribution": "models.analysis.token_attribution",
    "attribute": "models.analysis.token_attribution",
    "attention_gradient": "models.analysis.token_attribution",
}

__all__ = [
    "FLOW_MAX_TOKENS",
    "HEAD_REDUCTIONS",
    "SCORE_NAMES",
    "Agreement",
    "Comparison",
    "HeadDiff",
    "HeadImportance",
    "HeadScores",
    "NeuronView",
    "PatchSetup",
    "PatchSweep",
    "Probe",
    "QKGeometry",
    "TokenAttribution",
    "attention_gradient",
    "attribute",
    "compare",
    "compare_runs",
    "diff_map",
    "flow",
    "head_geometry",
    "head_importance",
    "head_scores",
    "query_key_terms",
    "repeated_random",
    "rollout",
    "run_pair",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ does the importing
    from models.analysis.attention_flow import FLOW_MAX_TOKENS, flow
    from models.analysis.attention_rollout import HEAD_REDUCTIONS, rollout
    from models.analysis.attribution_patching import Agreement
    from models.analysis.compare import Comparison, HeadDiff, compare, compare_runs, diff_map, run_pair
    from models.analysis.importance import HeadImportance, head_importance
    from models.analysis.neuron_view import NeuronView, query_key_terms
    from models.analysis.patching import PatchSetup, PatchSweep
    from models.analysis.probes import Probe, repeated_random
    from models.analysis.qk_geometry import QKGeometry, head_geometry
    from models.analysis.scores import SCORE_NAMES, HeadScores, head_scores
    from models.analysis.token_attribution import TokenAttribution, attention_gradient, attribute


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'models.analysis' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups find it directly, without coming back here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
