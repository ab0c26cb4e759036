"""What the Patching tool draws, as plain checked views (explorer/core/plots.py): a sweep as a layer × position or
layer × head matrix, attribution patching against the exact sweep as points, tokens coloured by attribution.

The window draws these and the exports write them, so a file shows exactly what the screen showed.
"""

from __future__ import annotations

import numpy as np

from explorer.core.display import display_label
from explorer.core.plots import LinesView, MatrixView, Series
from explorer.gui.i18n import tr

from .compute import AttributionResult, SweepResult


def what_label(what: str) -> str:
    return {
        "resid": tr("residual stream (resid_pre)"),
        "heads": tr("each head's output (z)"),
        "heads_by_position": tr("each head's output at one position"),
        "pattern": tr("each head's pattern"),
        "attn_out": tr("attention output"),
        "mlp_out": tr("MLP output"),
    }[what]


def value_label(result: SweepResult) -> str:
    method = tr("approximate") if result.method == "approximate" else tr("exact")
    return tr("restored fraction ({method})").format(method=method)


def sweep_title(result: SweepResult) -> str:
    request = result.request
    direction = (
        tr("denoising: clean into corrupted") if request.direction == "denoise" else tr("noising: corrupted into clean")
    )
    return f"{what_label(request.what)} · {direction}"


def numbers(count: int) -> tuple[str, ...]:
    """Layer or head numbers as tick labels: whole numbers only (a 2-layer figure read −0.5, −0.25, …)."""
    return tuple(str(i) for i in range(count))


def positions_view(result: SweepResult) -> MatrixView:
    """A layer × position sweep, positions labelled by the clean text's tokens."""
    tokens = tuple(f"{i} {display_label(t)}" for i, t in enumerate(result.tokens_clean))
    return MatrixView(
        name=f"patching-{result.request.what}",
        title=sweep_title(result),
        matrix=result.restored,
        row_label=tr("layer"),
        column_label=tr("position (clean token)"),
        value_label=value_label(result),
        diverging=True,
        row_ticks=numbers(result.restored.shape[0]),
        column_ticks=tokens,
    )


def heads_matrix(result: SweepResult, position: int | None) -> np.ndarray:
    """(L, H): the sweep over heads; heads_by_position's values at one position."""
    if result.restored.ndim == 3:
        return result.restored[:, :, position if position is not None else -1]
    return result.restored


def heads_view(result: SweepResult, position: int | None = None) -> MatrixView:
    values = heads_matrix(result, position)
    title = sweep_title(result)
    if result.restored.ndim == 3:
        index = position if position is not None else result.restored.shape[2] - 1
        title += " · " + tr("position {i} {token}").format(i=index, token=display_label(result.tokens_clean[index]))
    finite = np.abs(values[np.isfinite(values)])
    top = max(float(finite.max()) if finite.size else 0.0, 1e-6)
    # The app's colormap on a range symmetric about 0, as the atlas on screen draws it (the Heads atlas's colours).
    return MatrixView(
        name=f"patching-{result.request.what}",
        title=title,
        matrix=values,
        row_label=tr("layer"),
        column_label=tr("head"),
        value_label=value_label(result),
        levels=(-top, top),
        row_ticks=numbers(values.shape[0]),
        column_ticks=numbers(values.shape[1]),
    )


def agreement_view(result: SweepResult) -> LinesView:
    """Every patch as a point: the exact restored fraction across, attribution patching's up; y = x dashed."""
    agreement = result.agreement
    finite = np.isfinite(agreement.exact) & np.isfinite(agreement.approx)
    exact, approx = agreement.exact[finite], agreement.approx[finite]
    if not exact.size:
        raise ValueError(tr("agreement: no patch has a finite exact and approximate value"))
    low = float(min(exact.min(), approx.min()))
    high = float(max(exact.max(), approx.max()))
    return LinesView(
        name=f"patching-agreement-{result.request.what}",
        title=tr("attribution patching against the exact sweep"),
        x_label=tr("exact restored fraction"),
        y_label=tr("approximate restored fraction"),
        series=(
            Series(tr("patches"), exact, approx, "points"),
            Series("y = x", np.array([low, high]), np.array([low, high]), "dashed"),
        ),
    )


def attribution_view(result: AttributionResult) -> MatrixView:
    """Each row scaled by its largest |value|, as the token table colours it."""
    from explorer.gui.widgets.token_scores import row_scaled

    return MatrixView(
        name="patching-attribution",
        title=tr("attribution of {target!r} to each token").format(target=result.target),
        matrix=row_scaled(result.scores),
        row_label=tr("method"),
        column_label=tr("token"),
        value_label=tr("score / the row's largest |score|"),
        diverging=True,
        row_ticks=tuple(result.rows),
        column_ticks=tuple(f"{i} {display_label(t)}" for i, t in enumerate(result.tokens)),
    )


def ranked_heads(values: np.ndarray, count: int = 12) -> list[tuple[int, int, float]]:
    """(layer, head, value) of the heads with the largest |value|, NaN last."""
    flat = np.where(np.isfinite(values), np.abs(values), -1.0).ravel()
    order = np.argsort(-flat, kind="stable")[:count]
    heads = values.shape[1]
    return [(int(i // heads), int(i % heads), float(values.flat[i])) for i in order if flat[i] >= 0]
