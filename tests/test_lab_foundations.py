"""The foundations lab against the textbook formulas: NW pooling, score functions and positional encodings."""

import math

import numpy as np
import pytest
import torch

from models.lab.foundations import pooling, positions, scores


# -- Nadaraya–Watson ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernel", pooling.KERNELS)
def test_nadaraya_watson_weights_are_the_kernel_formula_and_rows_sum_to_one(kernel):
    x_train, y_train, x_test, _ = pooling.make_data(n=40, noise=0.3, seed=3)
    bandwidth = 0.7
    y_pred, attention = pooling.nadaraya_watson(x_train, y_train, x_test, kernel, bandwidth)
    formula = {
        "gaussian": lambda u: math.exp(-(u**2) / 2),
        "boxcar": lambda u: 1.0 if abs(u) <= 1 else 0.0,
        "constant": lambda u: 1.0,
        "epanechnikov": lambda u: 0.75 * max(0.0, 1 - u**2),  # the 3/4 cancels
    }[kernel]
    for j, x in enumerate(x_test):
        k = np.array([formula((x - xi) / bandwidth) for xi in x_train])
        np.testing.assert_allclose(attention[j], k / k.sum(), rtol=1e-12, atol=1e-15)
        assert y_pred[j] == pytest.approx(float(np.dot(k / k.sum(), y_train)), rel=1e-12)
    np.testing.assert_allclose(attention.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_data_follows_the_stated_function_and_seed():
    x_train, y_train, x_test, y_true = pooling.make_data(n=30, noise=0.0, seed=1)
    assert np.all(np.diff(x_train) >= 0) and x_train.min() >= 0 and x_train.max() <= 5
    np.testing.assert_allclose(y_train, 2 * np.sin(x_train) + x_train**0.8)
    np.testing.assert_allclose(y_true, 2 * np.sin(x_test) + x_test**0.8)
    np.testing.assert_array_equal(pooling.make_data(30, 0.5, 7)[1], pooling.make_data(30, 0.5, 7)[1])


def test_a_narrow_gaussian_never_underflows_and_a_compact_kernel_with_an_empty_window_is_refused():
    x_train, y_train, x_test, _ = pooling.make_data(n=10, seed=0)
    _, attention = pooling.nadaraya_watson(x_train, y_train, x_test, "gaussian", 1e-4)
    assert np.isfinite(attention).all() and np.allclose(attention.sum(1), 1)
    with pytest.raises(ValueError, match="bandwidth"):
        pooling.nadaraya_watson(x_train, y_train, x_test, "boxcar", 1e-4)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="bandwidth"):
            pooling.nadaraya_watson(x_train, y_train, x_test, "gaussian", bad)
    with pytest.raises(ValueError, match="kernel"):
        pooling.nadaraya_watson(x_train, y_train, x_test, "triangle", 1.0)


def test_parametric_pooling_gradient_matches_finite_differences_and_training_lowers_the_loss():
    x_train, y_train, x_test, y_true = pooling.make_data(n=40, seed=2)
    model = pooling.ParametricPooling(x_train, y_train, seed=0)
    loss, gradient = model.loss_and_gradient()
    w, eps = model.w, 1e-6
    model.w = w + eps
    up = model.loss_and_gradient()[0]
    model.w = w - eps
    down = model.loss_and_gradient()[0]
    model.w = w
    assert gradient == pytest.approx((up - down) / (2 * eps), rel=1e-5)
    events = list(model.train(100))
    assert [e[0] for e in events] == list(range(1, 101)) and events[-1][1] < loss
    _, attention = model.predict(x_test)
    logits = -(((x_test[:, None] - x_train[None, :]) * model.w) ** 2) / 2
    np.testing.assert_allclose(attention, np.exp(logits) / np.exp(logits).sum(1, keepdims=True), rtol=1e-10)


# -- score functions ---------------------------------------------------------------------------------------------
def test_score_functions_follow_their_formulas():
    q, k = scores.random_qk(5, 7, 8, seed=4)
    d = 8
    expected = {"dot": q @ k.T, "scaled-dot": q @ k.T / math.sqrt(d)}
    expected["cosine"] = np.array([[a @ b / np.linalg.norm(a) / np.linalg.norm(b) for b in k] for a in q])
    rng = np.random.default_rng(9)
    w = rng.standard_normal((d, d)) / math.sqrt(d)
    expected["general"] = np.array([[a @ w @ b for b in k] for a in q])
    rng = np.random.default_rng(9)
    w_q, w_k = rng.standard_normal((2, d, d)) / math.sqrt(d)
    v = rng.standard_normal(d) / math.sqrt(d)
    expected["additive"] = np.array([[v @ np.tanh(w_q @ a + w_k @ b) for b in k] for a in q])
    for kind, raw in expected.items():
        np.testing.assert_allclose(scores.score_matrix(q, k, kind, seed=9), raw, rtol=1e-10, err_msg=kind)
        weights = scores.score_weights(q, k, kind, seed=9)
        soft = torch.softmax(torch.from_numpy(raw), dim=-1).numpy()
        np.testing.assert_allclose(weights, soft, rtol=1e-10, atol=1e-15, err_msg=kind)


def test_without_the_scale_the_entropy_collapses_as_d_grows():
    dims = [2, 32, 512]
    scaled = scores.entropy_against_dimension(dims, scaled=True, seed=0)
    unscaled = scores.entropy_against_dimension(dims, scaled=False, seed=0)
    assert unscaled[0] > unscaled[1] > unscaled[2] and unscaled[2] < 0.3
    assert scaled.max() - scaled.min() < 0.25 and scaled.min() > 2.5  # log 32 = 3.47
    p = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(scores.row_entropy(p), [math.log(2), 0.0])


def test_captured_qk_is_the_heads_own_map(smollm):
    run = smollm.run("The cat sat on the mat because it was tired.")
    q, k, labels = scores.captured_qk(run, layer=3, head=4)
    assert q.shape == k.shape and len(labels) == q.shape[0]
    weights = scores.score_weights(q, k, "scaled-dot")
    causal = np.tril(np.ones_like(weights, dtype=bool))
    masked = np.where(causal, q @ k.T / math.sqrt(q.shape[1]), -np.inf)
    expected = np.exp(masked - masked.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    np.testing.assert_allclose(expected, run.attention(3, 4), atol=2e-5)


# -- positional encodings ----------------------------------------------------------------------------------------
def test_sinusoidal_is_vaswanis_formula():
    pe = positions.sinusoidal(50, 16)
    for pos in (0, 1, 7, 49):
        for i in range(8):
            assert pe[pos, 2 * i] == pytest.approx(math.sin(pos / 10000 ** (2 * i / 16)), abs=1e-12)
            assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(pos / 10000 ** (2 * i / 16)), abs=1e-12)
    np.testing.assert_allclose(positions.similarity(pe), pe @ pe.T)
    with pytest.raises(ValueError, match="dim"):
        positions.sinusoidal(10, 15)


def mae_2d_sincos(embed_dim, grid_h, grid_w):
    """MAE's util/pos_embed.py, transcribed: get_2d_sincos_pos_embed without the cls token."""

    def one_d(dim, pos):
        omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
        omega = 1.0 / 10000**omega
        out = np.einsum("m,d->md", pos.reshape(-1), omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    grid = np.meshgrid(np.arange(grid_w, dtype=np.float32), np.arange(grid_h, dtype=np.float32))  # w goes first
    grid = np.stack(grid, axis=0).reshape([2, 1, grid_h, grid_w])
    return np.concatenate([one_d(embed_dim // 2, grid[0]), one_d(embed_dim // 2, grid[1])], axis=1)


def test_2d_sincos_is_the_mae_construction_half_row_half_column():
    height, width, dim = 5, 7, 32
    pe = positions.sincos_2d(height, width, dim)
    np.testing.assert_allclose(pe, mae_2d_sincos(dim, height, width), rtol=1e-6, atol=1e-7)
    grid = pe.reshape(height, width, dim)
    half = dim // 2
    # the first half depends on the column only, the second on the row only
    np.testing.assert_allclose(grid[:, :, :half], np.broadcast_to(grid[:1, :, :half], grid[:, :, :half].shape))
    np.testing.assert_allclose(grid[:, :, half:], np.broadcast_to(grid[:, :1, half:], grid[:, :, half:].shape))
    image = positions.patch_similarity(pe, height, width, (2, 3))
    assert image.shape == (height, width) and image[2, 3] == pytest.approx(1.0) and image.max() <= 1 + 1e-12


def test_alibi_slopes_are_the_papers():
    np.testing.assert_allclose(positions.alibi_slopes(8), [1 / 2**k for k in range(1, 9)])
    # 12 heads: 8's slopes, then every other slope of 16 heads (2^-0.5, 2^-1.5, 2^-2.5, 2^-3.5)
    twelve = [1 / 2**k for k in range(1, 9)] + [2**-0.5, 2**-1.5, 2**-2.5, 2**-3.5]
    np.testing.assert_allclose(positions.alibi_slopes(12), twelve)
    bias = positions.alibi_bias(8, 5)
    assert bias.shape == (8, 5, 5) and bias[0, 4, 1] == -0.5 * 3 and bias[7, 0, 4] == -4 / 256


def transformers_t5_bucket(relative_position, bidirectional, num_buckets, max_distance):
    """transformers' T5Attention._relative_position_bucket (v5.x), transcribed line by line in torch: importing
    the T5 module itself costs ~20 s of transformers import here."""
    relative_position = torch.as_tensor(relative_position)
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    relative_position_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact)
        / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)
    ).to(torch.long)
    relative_position_if_large = torch.min(
        relative_position_if_large, torch.full_like(relative_position_if_large, num_buckets - 1)
    )
    relative_buckets += torch.where(is_small, relative_position, relative_position_if_large)
    return relative_buckets


def test_t5_buckets_equal_the_reference_and_hand_checked_offsets():
    hand = {0: 0, -1: 1, -7: 7, -8: 8, -16: 10, -128: 15, -1000: 15, 1: 17, 8: 24, 200: 31}
    for offset, bucket in hand.items():
        assert positions.t5_bucket(offset, True, 32, 128) == bucket, offset
    offsets = np.arange(-300, 301)
    for bidirectional, n, distance in ((True, 32, 128), (False, 32, 128), (True, 8, 20), (False, 16, 64)):
        ours = positions.t5_bucket(offsets, bidirectional, n, distance)
        np.testing.assert_array_equal(ours, transformers_t5_bucket(offsets, bidirectional, n, distance).numpy())
    buckets, bias = positions.t5_bias_pattern(6, 8, 20)
    assert buckets[2, 5] == positions.t5_bucket(3, True, 8, 20) and bias[0, 1] == bias[3, 4]


def test_rope_decay_falls_in_its_envelope_and_rotation_turns_by_position_times_theta():
    for theta, dim in ((10000.0, 128), (10000.0, 64), (500000.0, 64)):
        decay = positions.rope_decay(theta, dim, 2047)
        assert decay["bound"][0] == pytest.approx((dim / 2 + 1) / 2)
        assert np.all(np.diff(decay["envelope"]) < 0), (theta, dim)
        assert decay["envelope"][-1] < 0.4 * decay["bound"][0]
    # the bound is the mean of |S_j|, S_j = Σ_{k<j} e^{i r θ_k}, written out for one r
    decay = positions.rope_decay(10000.0, 8, 10)
    freqs = [10000 ** (-2 * k / 8) for k in range(4)]
    s = [abs(sum(complex(math.cos(7 * f), math.sin(7 * f)) for f in freqs[:j])) for j in range(1, 5)]
    assert decay["bound"][7] == pytest.approx(sum(s) / 4)
    points = positions.rope_rotation(10000.0, 64, pair=2, positions=[0, 1, 5])
    angle = 10000 ** (-4 / 64)
    np.testing.assert_allclose(points, [[math.cos(p * angle), math.sin(p * angle)] for p in (0, 1, 5)], atol=1e-12)


def test_learned_positions_are_minilms_table(minilm):
    table = positions.learned(minilm)
    assert table.shape == (512, 384)
    np.testing.assert_array_equal(table, minilm.module.embed.positions.weight.detach().numpy())
    folder = positions.learned(minilm.source.path)  # read straight from the safetensors file
    np.testing.assert_array_equal(folder, table)


def test_learned_refuses_a_model_without_a_table(smollm):
    with pytest.raises(ValueError, match="no learned position"):
        positions.learned(smollm)
