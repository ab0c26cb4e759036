"""The positional-encodings page's figures, built from its settings: two views per encoding, plain data out.

Each builder takes the page's settings (a dict) and returns its two views, so the page only chooses which to
build and draws them; the numbers all come from models/lab/foundations/positions.py.
"""

from __future__ import annotations

import numpy as np

from explorer.core.plots import LinesView, MatrixView, Series
from explorer.gui.i18n import tr

KINDS = ("sinusoidal", "learned", "rope", "alibi", "t5", "2d-sincos")
# The settings each encoding reads; the others are hidden while it is shown.
SETTINGS = {
    "sinusoidal": ("length", "dim", "cosine"),
    "learned": ("length", "cosine"),
    "rope": ("theta", "dim", "distance", "pair"),
    "alibi": ("length", "heads", "head"),
    "t5": ("length", "buckets", "max_distance", "bidirectional"),
    "2d-sincos": ("height", "width", "dim", "row", "column"),
}
FRAMES = {
    "sinusoidal": ("pe", "pe-similarity"),
    "learned": ("learned", "learned-similarity"),
    "rope": ("rope-decay", "rope-rotation"),
    "alibi": ("alibi-bias", "alibi-slopes"),
    "t5": ("t5-buckets", "t5-bias"),
    "2d-sincos": ("patch-similarity", "pe2d"),
}
LINE_FRAMES = ("rope-decay", "rope-rotation", "alibi-slopes")


def clipped_levels(values: np.ndarray) -> tuple[float, float]:
    """±the 99th percentile of |value|: a trained table's few outliers (position 0) would wash out the rest.
    Values beyond share the end colours; the title says so."""
    reach = float(np.percentile(np.abs(values), 99)) or 1.0
    return -reach, reach


def similarity_view(name: str, pe: np.ndarray, cosine: bool, what: str, clip: bool = False) -> MatrixView:
    from models.lab.foundations import positions

    value = tr("cosine similarity") if cosine else tr("dot product")
    matrix = positions.similarity(pe, cosine=cosine)
    title = tr("{what}: position × position {value}").format(what=what, value=value)
    return MatrixView(
        name,
        title + (CLIPPED() if clip else ""),
        matrix,
        tr("position i"),
        tr("position j"),
        value,
        levels=clipped_levels(matrix) if clip else None,
        diverging=True,
    )


def CLIPPED() -> str:  # noqa: N802 - a constant, translated when used
    return tr(" (colours end at the 99th percentile)")


def sinusoidal(v: dict) -> tuple:
    from models.lab.foundations import positions

    pe = positions.sinusoidal(v["length"], v["dim"])
    matrix = MatrixView(
        "pe-sinusoidal",
        tr("Sinusoidal PE [{n} × {d}]").format(n=v["length"], d=v["dim"]),
        pe,
        tr("position"),
        tr("dimension"),
        "PE",
        levels=(-1.0, 1.0),
        diverging=True,
    )
    return matrix, similarity_view("pe-sinusoidal-similarity", pe, v["cosine"], tr("Sinusoidal"))


def learned(table: np.ndarray, model: str, v: dict) -> tuple:
    """table: the model's learned positions [P, D]; the first `length` rows are shown."""
    pe = np.asarray(table[: v["length"]], dtype=np.float64)
    title = tr("{model}: learned positions [{n} of {total} × {d}]").format(
        model=model, n=len(pe), total=len(table), d=table.shape[1]
    )
    levels = clipped_levels(pe)
    matrix = MatrixView(
        "pe-learned", title + CLIPPED(), pe, tr("position"), tr("dimension"), tr("value"), levels=levels, diverging=True
    )
    return matrix, similarity_view("pe-learned-similarity", pe, v["cosine"], tr("Learned"), clip=True)


def rope(v: dict) -> tuple:
    from models.lab.foundations import positions

    decay = positions.rope_decay(v["theta"], v["dim"], v["distance"])
    curves = (
        Series(tr("bound (1/(d/2)) Σⱼ |Sⱼ|"), decay["distance"], decay["bound"]),
        Series(tr("its mean per octave"), decay["envelope_distance"] * 1.5, decay["envelope"], "points"),
        Series(tr("q·k / d for q = k = 1"), decay["distance"], decay["expected_dot"], "dashed"),
    )
    title = tr("RoPE long-range decay · θ = {theta:g}, d = {d}").format(theta=v["theta"], d=v["dim"])
    decay_view = LinesView("rope-decay", title, tr("relative distance r"), tr("value"), curves)
    points = positions.rope_rotation(v["theta"], v["dim"], v["pair"], range(16))
    circle = np.linspace(0, 2 * np.pi, 97)
    rotation = LinesView(
        "rope-rotation",
        tr("Pair {pair} rotated by p·θ_{pair} for p = 0 … 15").format(pair=v["pair"]),
        "x₂ᵢ",
        "x₂ᵢ₊₁",
        (
            Series(tr("unit circle"), np.cos(circle), np.sin(circle), "dashed"),
            Series(tr("positions 0 … 15"), points[:, 0], points[:, 1], "points"),
        ),
        equal_aspect=True,
    )
    return decay_view, rotation


def alibi(v: dict) -> tuple:
    from models.lab.foundations import positions

    heads, head = v["heads"], v["head"]
    if head >= heads:
        raise ValueError(tr("head: {head} is outside 0 … {last}").format(head=head, last=heads - 1))
    slopes = positions.alibi_slopes(heads)
    bias = positions.alibi_bias(heads, v["length"])[head]
    title = tr("ALiBi bias, head {head} of {heads}: m = {m:.4g}").format(head=head, heads=heads, m=slopes[head])
    matrix = MatrixView(
        "alibi-bias", title, bias, tr("query i"), tr("key j"), "−m·|i − j|", levels=(float(bias.min()), 0.0)
    )
    index = np.arange(heads, dtype=np.float64)
    slope_view = LinesView(
        "alibi-slopes",
        tr("ALiBi slopes for {heads} heads").format(heads=heads),
        tr("head h"),
        tr("slope m_h"),
        (Series(tr("slope"), index, slopes, "points"),),
    )
    return matrix, slope_view


def t5(v: dict) -> tuple:
    from models.lab.foundations import positions

    buckets, bias = positions.t5_bias_pattern(v["length"], v["buckets"], v["max_distance"], v["bidirectional"])
    kind = tr("bidirectional") if v["bidirectional"] else tr("causal")
    title = tr("T5 buckets of j − i · {n} buckets, max distance {d}, {kind}").format(
        n=v["buckets"], d=v["max_distance"], kind=kind
    )
    bucket_view = MatrixView("t5-buckets", title, buckets.astype(np.float64), tr("query i"), tr("key j"), tr("bucket"))
    bias_view = MatrixView(
        "t5-bias",
        tr("Bias b[bucket(j − i)] (one seeded N(0, 1) per bucket)"),
        bias,
        tr("query i"),
        tr("key j"),
        tr("bias"),
        diverging=True,
    )
    return bucket_view, bias_view


def sincos_2d(v: dict) -> tuple:
    from models.lab.foundations import positions

    height, width, row, column = v["height"], v["width"], v["row"], v["column"]
    if row >= height or column >= width:
        raise ValueError(
            tr("patch: ({row}, {column}) is outside the {h}×{w} grid").format(row=row, column=column, h=height, w=width)
        )
    pe = positions.sincos_2d(height, width, v["dim"])
    image = positions.patch_similarity(pe, height, width, (row, column))
    title = tr("Cosine similarity of patch ({row}, {column}) with every patch").format(row=row, column=column)
    patch_view = MatrixView(
        "pe2d-patch-similarity",
        title,
        image,
        tr("patch row"),
        tr("patch column"),
        tr("cosine similarity"),
        levels=(-1.0, 1.0),
        diverging=True,
        square_cells=True,
    )
    matrix = MatrixView(
        "pe2d",
        tr("2-D sin-cos PE [{n} patches × {d}]: columns, then rows").format(n=height * width, d=v["dim"]),
        pe,
        tr("patch (row-major)"),
        tr("dimension"),
        "PE",
        levels=(-1.0, 1.0),
        diverging=True,
    )
    return patch_view, matrix


def formulas(kind: str) -> list[tuple[str, str]]:
    return {
        "sinusoidal": [
            (
                tr("Sinusoidal (Vaswani et al. 2017)"),
                "PE[p, 2i] = sin(p / 10000^(2i/d))\nPE[p, 2i+1] = cos(p / 10000^(2i/d))",
            ),
            (tr("Similarity"), "S[i, j] = PE[i]·PE[j]   (or the cosine)"),
        ],
        "learned": [
            (tr("Learned (BERT, GPT-2)"), "PE[p] = row p of a trained table E_pos ∈ ℝ^{P×d}"),
            (tr("Similarity"), "S[i, j] = E_pos[i]·E_pos[j]   (or the cosine)"),
        ],
        "rope": [
            (
                tr("RoPE (Su et al., RoFormer)"),
                "θᵢ = θ^(−2i/d),  pair i of q and k turned by p·θᵢ\nq_mᵀ k_n depends on m − n only",
            ),
            (
                tr("Long-range decay (§3.4.3)"),
                "|Σᵢ hᵢ e^{i r θᵢ}| ≤ maxᵢ|hᵢ₊₁ − hᵢ| · Σⱼ |Sⱼ|\nSⱼ = Σ_{k<j} e^{i r θ_k}",
            ),
        ],
        "alibi": [
            (tr("ALiBi (Press et al. 2022)"), "scoreᵢⱼ = qᵢ·kⱼ − m_h·|i − j|"),
            (tr("Slopes"), "m_h = 2^(−8h/H), h = 1 … H  (H a power of two)"),
        ],
        "t5": [
            (tr("T5 relative buckets (Raffel et al. 2020)"), "scoreᵢⱼ = qᵢ·kⱼ + b[bucket(j − i)]"),
            (
                tr("Buckets"),
                "|j − i| < B/2 (or B/4 both ways): one bucket each\nthen log-spaced up to max distance, then the last",
            ),
        ],
        "2d-sincos": [
            (
                tr("2-D sin-cos (ViT/MAE)"),
                "PE[r, c] = [ PE₁D(c) ; PE₁D(r) ]  (d/2 each)\n"
                "PE₁D(p) = [ sin(p ωₖ) ; cos(p ωₖ) ],  ωₖ = 10000^(−k/(d/4))",
            ),
            (tr("Shown"), "cos(PE[patch], PE[r, c]) for every patch (r, c)"),
        ],
    }[kind]
