"""What the Generate tool asks of the engine, on the job thread: the steps, and each step's row and map.

A Generation holds the runs of one generation on the worker side; the tool keeps it only as a handle to pass
back into jobs. With a causal mask each step's run hands its buffers to the next, which keeps every earlier
position unchanged: step k's map is then the top-left n_k × n_k corner of the newest run's map, exactly (rows
before n_k see no later key). A step that was not reused (a bidirectional mask recomputes everything) keeps
its own run, within a memory bound. The engine is imported inside the jobs only: the window opens without torch.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from explorer.core.display import encode

from ...i18n import tr
from ...jobs import Progress
from ...widgets.attention_row import ROW_SUM_TOLERANCE

MAX_KEPT_BYTES = 1 << 30  # runs kept for steps that were recomputed in full (bidirectional masks)
HANDED, DROPPED = "handed", "dropped"


@dataclass(frozen=True)
class StepInfo:
    """One generated token, as plain data."""

    step: int  # 0-based
    token: str  # its label, as the maps' axes show it
    token_id: int
    probability: float  # under the distribution it was chosen from (model.generate's docstring)
    length: int  # tokens of the text including this one
    text: str  # everything generated up to this step, read as text (byte pieces decoded together, not labels)


@dataclass(frozen=True)
class StepView:
    """What the tool draws for one step, one layer and one head."""

    generation: int
    info: StepInfo
    layer: int
    head: int
    tokens: list[str]  # the text so far: length n
    row: np.ndarray  # float32 (n,): the new token's attention over every token so far
    row_visible: np.ndarray  # bool (n,)
    matrix: np.ndarray  # float32 (n, n): the map of the text so far
    pixels: np.ndarray  # uint8 (n, n) on the display scale; 255 = masked
    options: dict  # the run's resolved options, described (for captions and file names)


class Generation:
    """The runs of one generation. Touched only inside jobs (one worker thread), so it needs no lock."""

    def __init__(self, number: int):
        self.number = number
        self.steps: list[StepInfo] = []
        # Per step: its models.Run; HANDED once a newer run took its buffers (keeping its positions unchanged);
        # DROPPED when a run recomputed in full was let go to bound memory.
        self._runs: list = []
        self.outbox: deque[StepView] = deque()  # views for the GUI thread, which takes them on each Progress

    def add(self, info: StepInfo, run) -> None:
        if self._runs and not isinstance(self._runs[-1], str) and self._runs[-1].superseded:
            self._runs[-1] = HANDED
        self.steps.append(info)
        self._runs.append(run)
        kept = [index for index, r in enumerate(self._runs[:-1]) if not isinstance(r, str)]
        while kept and sum(self._runs[i].retained_bytes for i in kept) + run.retained_bytes > MAX_KEPT_BYTES:
            self._runs[kept.pop(0)] = DROPPED  # the oldest full recomputation goes first

    def _run_of(self, step: int):
        """The run whose first positions are this step's text: its own, or the next that kept its buffers."""
        for run in self._runs[step:]:
            if run is DROPPED:
                break
            if run is not HANDED:
                return run
        raise ValueError(tr("step {step}: its run was not kept (memory); generate fewer tokens").format(step=step))

    def view(self, step: int, layer: int, head: int, scale: str) -> StepView:
        """Step `step`'s row and map for one head; a ValueError if it cannot be shown truthfully."""
        if not 0 <= step < len(self.steps):
            raise ValueError(
                tr("step: {step} is not one of the {count} steps").format(step=step, count=len(self.steps))
            )
        info, run = self.steps[step], self._run_of(step)
        n = info.length
        matrix, visible = run.attention_and_visibility(layer, head)
        matrix, visible = matrix[:n, :n], visible[:n, :n]
        row = matrix[-1]
        if not np.all(np.isfinite(matrix)) or abs(float(row[visible[-1]].sum()) - 1.0) > ROW_SUM_TOLERANCE:
            raise ValueError(tr("step {step}: the attention is not a distribution (not finite)").format(step=step))
        return StepView(
            self.number,
            info,
            layer,
            head,
            run.tokens[0][:n],
            row,
            visible[-1],
            matrix,
            encode(matrix, visible, scale),
            run.options.describe(),
        )


def generate_steps(run, ctx, generation: Generation, request: dict):
    """A generator job: generate from the request's text with its options, one Progress per step.

    request: text, count, temperature, seed, options (RunOptions), layer, head, scale. Each step's view of the
    chosen head goes to generation.outbox before its Progress, so the tool can draw it at once.
    """
    model = run.owner  # the workspace's model: the generation makes its own runs and leaves the workspace's alone
    steps = model.generate(
        request["text"],
        request["count"],
        request["temperature"],
        request["seed"],
        options=request["options"],
        progress=lambda _done, _total: ctx.check(),  # Stop ends a step's run between layers
    )
    total = request["count"]
    written: list[int] = []  # the new ids so far
    for index, (token, probability, step_run) in enumerate(steps):
        written.append(step_run.ids[0][-1])
        info = StepInfo(index, token, written[-1], probability, len(step_run.ids[0]), model.tokenizer.text(written))
        generation.add(info, step_run)
        generation.outbox.append(generation.view(index, request["layer"], request["head"], request["scale"]))
        yield Progress(index + 1, total, tr("generated {done}/{total} tokens").format(done=index + 1, total=total))
    return generation
