"""What the Flow tool asks of a run, computed on the job thread: the rollout map and the flow into one query.

Each function takes the engine's Run and a JobContext (whose report raises when the job is cancelled or
overtaken) and returns plain data. models.analysis is imported here, inside the jobs: the window opens without
torch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.core.display import encode

from ...i18n import tr


@dataclass(frozen=True)
class RolloutResult:
    run_id: int
    seq: int
    residual: float
    head_reduce: str
    matrix: np.ndarray  # float32 (N, N): R, NaN rows where masked
    reach: np.ndarray  # bool (N, N): the cells some path reaches (the rest is grey)
    pixels: np.ndarray  # uint8 (N, N): matrix on the display scale, 255 where not reached
    scale: str


@dataclass(frozen=True)
class FlowResult:
    run_id: int
    seq: int
    residual: float
    asked: int  # the query as the state says it: -1 for the last token
    query: int  # the position, -1 resolved
    values: np.ndarray  # float32 (N,): NaN where no query reads the input (a pad behind the padding mask)


def compute_rollout(run, seq: int, run_id: int, residual: float, head_reduce: str, scale: str, ctx):
    from models.analysis import rollout
    from models.analysis.attention_rollout import reachable

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("rollout: layer {done}/{total}").format(done=done, total=total))

    matrix = rollout(run, seq, residual=residual, head_reduce=head_reduce, progress=progress)
    reach = reachable(run, seq)
    pixels = encode(np.nan_to_num(matrix), reach, scale)
    return RolloutResult(run_id, seq, residual, head_reduce, matrix, reach, pixels, scale)


def compute_flow(run, seq: int, run_id: int, residual: float, query: int, ctx) -> FlowResult:
    from models.analysis import flow
    from models.analysis.attention_flow import check_query
    from models.analysis.attention_rollout import masked_rows

    position = check_query(query, masked_rows(run, seq))

    def progress(done: int, total: int) -> None:
        ctx.report(done, total, tr("attention flow: step {done}/{total}").format(done=done, total=total))

    values = flow(run, seq, query=position, residual=residual, progress=progress)
    return FlowResult(run_id, seq, residual, query, position, values)
