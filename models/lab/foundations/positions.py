"""Positional encodings side by side: sinusoidal, learned, RoPE, ALiBi, T5 buckets and 2-D sin-cos for patches.

Sinusoidal (Vaswani et al. 2017): PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).
RoPE (Su et al., RoFormer): pair i of q and k is rotated by pos·θ_i, θ_i = θ^(−2i/d), so q·k depends on the
relative distance r only; §3.4.3 bounds |Σ_i q_i k_i* e^{i r θ_i}| by (max_i |h_{i+1} − h_i|) Σ_j |S_j| with
S_j = Σ_{k<j} e^{i r θ_k}, and (1/(d/2)) Σ_j |S_j| decays with r. ALiBi and T5 live in relative.py.
2-D sin-cos (ViT/MAE): half the dimensions are a 1-D sin-cos code of the patch's column, half of its row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.lab.foundations.relative import _whole, alibi_bias, alibi_slopes, t5_bias_pattern, t5_bucket
from models.lab.memory import check_values

__all__ = [
    "alibi_bias", "alibi_slopes", "learned", "patch_similarity", "rope_decay", "rope_rotation",
    "similarity", "sincos_1d", "sincos_2d", "sinusoidal", "t5_bias_pattern", "t5_bucket",
]  # fmt: skip

BASE = 10000.0


def _even(name: str, value) -> int:
    value = _whole(name, value, 2)
    if value % 2:
        raise ValueError(f"{name}: needs an even number, got {value}")
    return value


def sinusoidal(length: int, dim: int) -> np.ndarray:
    """float64 [length, dim], interleaved as in Vaswani et al.: column 2i holds sin(pos / 10000^(2i/dim)),
    column 2i+1 the cos of the same angle."""
    length, dim = _whole("length", length), _even("dim", dim)
    check_values((length, dim), 3, "sinusoidal encodings", "length or dim")
    angles = np.arange(length)[:, None] / BASE ** (np.arange(0, dim, 2) / dim)[None, :]  # [L, dim/2]
    pe = np.empty((length, dim))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angles), np.cos(angles)
    return pe


def similarity(pe, cosine: bool = False) -> np.ndarray:
    """[L, L] position × position similarity of the encodings pe [L, D]: dot products, or cosines."""
    pe = np.asarray(pe, dtype=np.float64)
    if pe.ndim != 2 or 0 in pe.shape or not np.isfinite(pe).all():
        raise ValueError(f"pe: needs a finite [positions, dims] matrix, got shape {list(pe.shape)}")
    check_values((pe.shape[0], pe.shape[0]), 2, "a position × position similarity", "the number of positions")
    if cosine:
        norms = np.linalg.norm(pe, axis=1, keepdims=True)
        pe = pe / np.where(norms > 0, norms, 1.0)
    return pe @ pe.T


POSITION_TENSORS = ("embeddings.position_embeddings.weight", "wpe.weight")  # BERT-style, GPT-2


def learned(model) -> np.ndarray:
    """float32 [positions, D]: a model's learned position embeddings.

    `model` is a loaded models.Model (MiniLM: its 512 rows) or a path to a Hugging Face folder (or one
    .safetensors file) holding a BERT-type `…embeddings.position_embeddings.weight` or GPT-2's `…wpe.weight`.
    A model without a learned table (RoPE, ALiBi) raises ValueError naming it."""
    if isinstance(model, str | Path):
        return _learned_from_files(Path(model))
    embed = getattr(getattr(model, "module", None), "embed", None)
    table = getattr(embed, "positions", None)
    if table is None:
        name = getattr(model, "name", type(model).__name__)
        raise ValueError(f"model: {name} has no learned position embeddings (it uses another positional encoding)")
    return table.weight.detach().float().cpu().numpy()


def _learned_from_files(path: Path) -> np.ndarray:
    from safetensors import safe_open

    files = sorted(path.glob("*.safetensors")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise ValueError(f"model: {path} is no model folder or .safetensors file")
    for file in files:
        try:
            with safe_open(str(file), framework="numpy") as handle:
                for key in handle.keys():
                    if key.endswith(POSITION_TENSORS):
                        return handle.get_tensor(key).astype(np.float32)
        except Exception as error:  # safetensors' own error types: the file is no safetensors file
            raise ValueError(
                f"model: {file} is not a safetensors file ({error}); a pickle (.pt, .bin) is never loaded, "
                "convert it to .safetensors first"
            ) from None
    raise ValueError(f"model: no learned position table ({' or '.join(POSITION_TENSORS)}) in {path}")


def rope_frequencies(theta: float, dim: int) -> np.ndarray:
    """[dim/2] angular frequencies θ_i = theta^(−2i/dim), i = 0 … dim/2 − 1."""
    dim = _even("dim", dim)
    if not np.isfinite(theta) or theta <= 1:
        raise ValueError(f"theta: needs a finite base > 1, got {theta!r}")
    return theta ** (-np.arange(0, dim, 2) / dim)


def rope_decay(theta: float = 10000.0, dim: int = 128, max_distance: int = 512) -> dict[str, np.ndarray]:
    """RoFormer §3.4.3's long-range decay against relative distance r = 0 … max_distance.

    Returns {"distance": [R] ints, "bound": [R] (1/(d/2)) Σ_{j=1}^{d/2} |S_j| with S_j = Σ_{k<j} e^{i r θ_k}
    (the paper's Figure 2; (d/2 + 1)/2 at r = 0), "expected_dot": [R] (1/(d/2)) Σ_i cos(r θ_i), which is q·k
    after rotation divided by d for q = k = (1, …, 1), the expectation of q·k/d for queries and keys whose
    entries share mean 1, "envelope_distance": [E] and "envelope": [E], the bound's mean over each octave of
    distance [2^e, 2^(e+1)) (the bound oscillates; its octave means fall steadily)}."""
    max_distance = _whole("max_distance", max_distance)
    freqs = rope_frequencies(theta, dim)  # [d/2]
    check_values((max_distance + 1, freqs.size), 8, "RoPE's decay over every distance", "max_distance or dim")
    distance = np.arange(max_distance + 1)
    phases = np.exp(1j * distance[:, None] * freqs[None, :])  # [R, d/2]
    partial = np.cumsum(phases, axis=1)  # S_1 … S_{d/2} per r
    bound = np.abs(partial).mean(axis=1)
    octaves = [2**e for e in range(int(np.log2(max_distance + 1)))]  # octaves that fit whole
    return {
        "distance": distance,
        "bound": bound,
        "envelope_distance": np.asarray(octaves),
        "envelope": np.asarray([bound[start : 2 * start].mean() for start in octaves]),
        "expected_dot": np.cos(distance[:, None] * freqs[None, :]).mean(axis=1),
    }


def rope_rotation(theta: float = 10000.0, dim: int = 64, pair: int = 0, positions=range(16), vector=(1.0, 0.0)):
    """Where RoPE moves one 2-D pair: float64 [P, 2], `vector` rotated by pos·θ_pair for each position.
    The angle per position is θ_pair = theta^(−2·pair/dim); pair 0 turns fastest (1 rad per position)."""
    freqs = rope_frequencies(theta, dim)
    pair = _whole("pair", pair, 0)
    if pair >= freqs.size:
        raise ValueError(f"pair: needs 0 … {freqs.size - 1} for dim {dim}, got {pair}")
    count = len(positions) if hasattr(positions, "__len__") else None
    if count is not None:  # a range of a billion positions is refused before it becomes a list
        check_values((count, 2), 6, "RoPE's rotation at every position", "the number of positions (length)")
    angles = np.asarray(list(positions), dtype=np.float64) * freqs[pair]  # [P]
    x, y = (float(v) for v in vector)
    return np.stack([x * np.cos(angles) - y * np.sin(angles), x * np.sin(angles) + y * np.cos(angles)], axis=1)


def sincos_1d(dim: int, positions) -> np.ndarray:
    """MAE's 1-D code: [P, dim] = [sin(p·ω), cos(p·ω)] concatenated, ω_i = 1 / 10000^(i/(dim/2))."""
    dim = _even("dim", dim)
    omega = 1.0 / BASE ** (np.arange(dim // 2) / (dim / 2))
    out = np.asarray(positions, dtype=np.float64).reshape(-1)[:, None] * omega[None, :]
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(height: int, width: int, dim: int) -> np.ndarray:
    """float64 [height·width, dim], patches in row-major order (patch p = row·width + column), as in MAE's
    get_2d_sincos_pos_embed: dims [0, dim/2) are sincos_1d of the column, dims [dim/2, dim) of the row."""
    height, width = _whole("height", height), _whole("width", width)
    dim = _whole("dim", dim, 4)
    if dim % 4:
        raise ValueError(f"dim: needs a multiple of 4 (sin and cos for rows and columns), got {dim}")
    check_values((height * width, dim), 4, "2-D sin-cos encodings of every patch", "the grid or dim")
    rows, columns = np.divmod(np.arange(height * width), width)
    return np.concatenate([sincos_1d(dim // 2, columns), sincos_1d(dim // 2, rows)], axis=1)


def patch_similarity(pe2d, height: int, width: int, patch: tuple[int, int]) -> np.ndarray:
    """[height, width]: cosine similarity of patch (row, column)'s encoding with every patch's, as an image."""
    pe2d = np.asarray(pe2d, dtype=np.float64)
    if pe2d.ndim != 2 or pe2d.shape[0] != height * width:
        raise ValueError(f"pe2d: needs [{height}·{width}, dim], got shape {list(pe2d.shape)}")
    row, column = patch
    if not (0 <= row < height and 0 <= column < width):
        raise ValueError(f"patch: ({row}, {column}) is outside the {height}×{width} grid")
    norms = np.linalg.norm(pe2d, axis=1)  # [H·W]: one row of the cosine similarities, not all (H·W)² of them
    chosen = pe2d[row * width + column]
    cosines = pe2d @ chosen / np.where(norms > 0, norms, 1.0) / (np.linalg.norm(chosen) or 1.0)
    return cosines.reshape(height, width)
