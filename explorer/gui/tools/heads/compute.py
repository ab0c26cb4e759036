"""What the Heads tool asks of a run, computed on the job thread: head scores, head importance, the logit lens.

Each function takes the engine's Run (and a JobContext, whose report raises when the job is cancelled or
overtaken) and returns plain data. models.analysis is imported here, inside the jobs: the window opens without
torch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...i18n import tr

LENS_K = 5


@dataclass(frozen=True)
class ScoresResult:
    run_id: int
    seq: int
    scores: dict[str, np.ndarray]  # name -> (L, H) float64, NaN = n/a


@dataclass(frozen=True)
class ImportanceResult:
    run_id: int
    seq: int
    values: np.ndarray  # (L, H): log p(target | head knocked out) − log p(target); negative = the head helps
    target: str  # the target's readable label: the model's own top next token
    baseline_probability: float  # p(target) with no further head knocked out


@dataclass(frozen=True)
class LensResult:
    run_id: int
    seq: int
    lens: list[list[tuple[str, float]]]  # per layer, (token, probability), most likely first


def compute_scores(run, seq: int, run_id: int, ctx) -> ScoresResult:
    from models.analysis import head_scores

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("head scores: layer {done}/{total}").format(done=done, total=total))

    scores = head_scores(run, seq, progress=progress)
    return ScoresResult(run_id, seq, {name: np.asarray(scores[name]) for name in scores.names})


def compute_importance(run, text: str, options, seq: int, run_id: int, ctx) -> ImportanceResult:
    """Every head knocked out in turn on the shown text, with the run's own options (and knockouts).

    The values keep the engine's sign, as `analyze importance` and the README give them: the change in log p."""
    import math

    from models.analysis import head_importance

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("head importance: {done}/{total} heads").format(done=done, total=total))

    result = head_importance(run.owner, text, options=options, progress=progress)
    return ImportanceResult(run_id, seq, result.scores, result.target, math.exp(result.baseline_logprob))


def compute_lens(run, seq: int, run_id: int) -> LensResult:
    return LensResult(run_id, seq, run.logit_lens(k=LENS_K, seq=seq))
