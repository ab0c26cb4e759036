"""What the Patching tool asks of the engine, on the job thread: a sweep (exact, approximate or both, with their
agreement), and the attribution of the prediction to the clean text's tokens beside one head's attention.

Each function takes the engine's Run (its owner is the model) and a JobContext, whose report raises when the job
is cancelled or overtaken, and returns plain data. models.analysis is imported here, inside the jobs: the window
opens without torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...i18n import tr
from .state import ATTRIBUTIONS


@dataclass(frozen=True)
class SweepRequest:
    clean: str
    corrupt: str
    answer: str | int  # a listed prediction's token id, or the text typed
    wrong: str | int | None  # None with the probability metric
    metric: str
    what: str
    direction: str
    method: str  # exact, approximate or both
    options: object  # the workspace's RunOptions (plain data)


@dataclass(frozen=True)
class Agreement:
    correlation: float | None  # Pearson's r of exact and approximate over every finite pair; None if undefined
    exact: np.ndarray  # the pairs, flattened
    approx: np.ndarray
    worst: list[tuple]  # (layer, index, exact, approx), largest |exact − approx| first


@dataclass(frozen=True)
class SweepResult:
    request: SweepRequest
    restored: np.ndarray  # the shown sweep: exact where computed, else the approximation; L×N, L×H or L×H×N
    approx: np.ndarray | None  # attribution patching's, when asked for with the exact one
    axes: tuple[str, ...]
    tokens_clean: list[str]
    tokens_corrupt: list[str]
    answer: str
    wrong: str | None
    metric_clean: float
    metric_corrupt: float
    top_predictions: list[tuple[str, float]]
    seconds: float
    agreement: Agreement | None = None
    data: dict = field(default_factory=dict)  # the sweep(s) as JSON-able dicts (PatchSweep.to_dict)

    @property
    def method(self) -> str:
        return self.request.method


def compute_sweep(run, request: SweepRequest, ctx) -> SweepResult:
    from models.analysis import patching

    ctx.report(0, 1, tr("preparing the clean and corrupted runs"))
    setup = patching.prepare(
        run.owner, request.clean, request.corrupt, request.answer, request.wrong, request.metric, request.options
    )
    exact = approx = agreement = None
    if request.method in ("exact", "both"):

        def progress(done: int, total: int) -> None:
            ctx.report(done, total, tr("patching: {done}/{total}").format(done=done, total=total))

        exact = patching.sweep(setup, request.what, request.direction, progress=progress)
    if request.method in ("approximate", "both"):
        from models.analysis import attribution_patching

        ctx.report(0, 1, tr("attribution patching: one forward and one backward pass"))
        approx = attribution_patching.approximate(setup, request.what, request.direction)
    if exact is not None and approx is not None:
        from models.analysis import attribution_patching

        found = attribution_patching.agreement(exact, approx)
        pairs = found.pairs
        agreement = Agreement(found.correlation, np.asarray(pairs[0]), np.asarray(pairs[1]), list(found.worst))
    shown = exact if exact is not None else approx
    data = {
        "exact": exact.to_dict() if exact is not None else None,
        "approximate": approx.to_dict() if approx is not None else None,
    }
    return SweepResult(
        request=request,
        restored=np.asarray(shown.restored, dtype=np.float64),
        approx=None if exact is None or approx is None else np.asarray(approx.restored, dtype=np.float64),
        axes=tuple(shown.axes),
        tokens_clean=list(setup.tokens_clean),
        tokens_corrupt=list(setup.tokens_corrupt),
        answer=setup.answer,
        wrong=setup.wrong,
        metric_clean=float(setup.metric_clean),
        metric_corrupt=float(setup.metric_corrupt),
        top_predictions=[(str(label), float(p)) for label, p in setup.top_predictions],
        seconds=float(sum(s.seconds for s in (exact, approx) if s is not None)),
        agreement=agreement,
        data=data,
    )


@dataclass(frozen=True)
class AttributionResult:
    tokens: list[str]
    target: str
    rows: list[str]  # what each row of scores is: a method, the head's attention, attention × gradient
    scores: np.ndarray  # (rows, N)
    completeness_error: float | None  # integrated gradients' relative completeness error
    layer: int
    head: int


def compute_attribution(run, text: str, target: str | None, layer: int, head: int, steps: int, options, ctx):
    """Each method's token attribution for the text, and the head's attention (and attention × gradient) from the
    last token, which makes the prediction: one row each, over the same tokens."""
    from models.analysis import token_attribution
    from models.runtime.memory import release_freed_memory

    model, rows, scores, completeness = run.owner, [], [], None
    found = None
    total = len(ATTRIBUTIONS) + 1
    for index, method in enumerate(ATTRIBUTIONS):
        message = tr("attribution: {method}").format(method=method)

        def progress(done: int, steps: int, index=index, message=message) -> None:
            ctx.report(index + done / max(steps, 1), total, message)

        ctx.report(index, total, message)
        found = token_attribution.attribute(
            model, text, target, method=method, steps=steps, options=options, progress=progress
        )
        rows.append(method)
        scores.append(np.asarray(found.scores, dtype=np.float64))
        if method == "ig":
            completeness = found.completeness_error
    ctx.report(len(ATTRIBUTIONS), total, tr("attention × gradient of layer {layer}").format(layer=layer))
    own = model.run(text, options=options)
    rows.append(f"L{layer}H{head} attention")
    scores.append(np.asarray(own.attention(layer, head)[-1], dtype=np.float64))  # the last token's row
    grads = token_attribution.attention_gradient(
        model, text, found.target_id if found else target, layer=layer, options=options
    )  # (H, N, N)
    rows.append(f"L{layer}H{head} attention × gradient")
    scores.append(np.asarray(grads[head, -1], dtype=np.float64))
    release_freed_memory()  # the gradients' peak (1.4 GB on SmolLM2 at 64 IG steps) stayed in the heap until a load
    return AttributionResult(list(found.tokens), found.target, rows, np.vstack(scores), completeness, layer, head)
