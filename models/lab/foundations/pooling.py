"""Nadaraya–Watson attention pooling: kernel regression read as queries, keys and values, plus a trainable twin.

Training pairs (x_i, y_i) are keys and values, a test point x is the query. The prediction is
f(x) = Σ_i α(x, x_i) y_i with α(x, x_i) = K(u_i) / Σ_j K(u_j), u_i = (x − x_i) / bandwidth. The parametric
version replaces the fixed bandwidth by a learned w: α = softmax_i(−((x − x_i)·w)² / 2).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from models.checks import check_seed
from models.lab.memory import check_values

KERNELS = ("gaussian", "boxcar", "constant", "epanechnikov")
X_RANGE = (0.0, 5.0)


def truth(x: np.ndarray) -> np.ndarray:
    """The noiseless function the data is drawn around: f(x) = 2 sin x + x^0.8."""
    return 2 * np.sin(x) + np.power(x, 0.8)


def make_data(n: int = 50, noise: float = 0.5, seed: int = 0, n_test: int | None = None):
    """Seeded pairs around f(x) = 2 sin x + x^0.8.

    Returns (x_train [n] sorted uniform in [0, 5], y_train [n] = f(x_train) + N(0, noise²),
    x_test [m] evenly spaced over [0, 5), y_true [m] = f(x_test)); m = n_test, by default n. All float64.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n: needs a whole number of training points ≥ 1, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise: needs a finite standard deviation ≥ 0, got {noise!r}")
    m = n if n_test is None else n_test
    if not isinstance(m, int) or m < 1:
        raise ValueError(f"n_test: needs a whole number of test points ≥ 1, got {n_test!r}")
    check_values((n + m,), 4, "the training and test points", "the test points (n_test) or the training points (n)")
    rng = np.random.default_rng(check_seed("seed", seed))
    x_train = np.sort(rng.uniform(*X_RANGE, size=n))
    y_train = truth(x_train) + rng.normal(0.0, noise, size=n)
    x_test = np.arange(m) * (X_RANGE[1] - X_RANGE[0]) / m + X_RANGE[0]
    return x_train, y_train, x_test, truth(x_test)


def kernel_values(u: np.ndarray, kernel: str) -> np.ndarray:
    """K(u) elementwise. gaussian exp(−u²/2); boxcar 1 for |u| ≤ 1 else 0; constant 1;
    epanechnikov max(0, 1 − u²) (the constant 3/4 cancels in the normalisation)."""
    u = np.asarray(u, dtype=np.float64)
    if kernel == "gaussian":
        return np.exp(-(u**2) / 2)
    if kernel == "boxcar":
        return (np.abs(u) <= 1.0).astype(np.float64)
    if kernel == "constant":
        return np.ones_like(u)
    if kernel == "epanechnikov":
        return np.maximum(0.0, 1.0 - u**2)
    raise ValueError(f"kernel: one of {', '.join(KERNELS)}, got {kernel!r}")


def nadaraya_watson(x_train, y_train, x_test, kernel: str = "gaussian", bandwidth: float = 0.5):
    """Nadaraya–Watson pooling. x_train [n], y_train [n], x_test [m] -> (y_pred [m], attention [m, n]).

    attention[j, i] = K(u) / Σ_i K(u) with u = (x_test[j] − x_train[i]) / bandwidth; every row sums to 1 and
    y_pred = attention @ y_train. The Gaussian is computed as a softmax of −u²/2 (shifted by the row's
    maximum), so a narrow bandwidth never underflows a whole row. Compact kernels (boxcar, Epanechnikov) can
    give a test point no training point inside its window: that raises ValueError naming the bandwidth and
    the first such x, rather than returning a row of NaN.
    """
    x_train, y_train, x_test = (np.asarray(a, dtype=np.float64) for a in (x_train, y_train, x_test))
    if x_train.ndim != 1 or y_train.shape != x_train.shape or x_test.ndim != 1 or x_train.size == 0:
        raise ValueError(
            f"x_train, y_train, x_test: need 1-D arrays, the first two of one length ≥ 1, got shapes "
            f"{list(x_train.shape)}, {list(y_train.shape)}, {list(x_test.shape)}"
        )
    if not all(np.isfinite(a).all() for a in (x_train, y_train, x_test)):
        raise ValueError("x_train, y_train, x_test: hold non-finite values")
    if not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth: needs a finite value > 0, got {bandwidth!r}")
    check_values(
        (x_test.size, x_train.size),
        4,
        "Nadaraya–Watson attention",
        "the test points (n_test) or the training points (n)",
    )
    u = (x_test[:, None] - x_train[None, :]) / bandwidth  # [m, n]
    if kernel == "gaussian":
        logits = -(u**2) / 2
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    else:
        weights = kernel_values(u, kernel)
    totals = weights.sum(axis=1, keepdims=True)  # [m, 1]
    empty = totals[:, 0] <= 0
    if empty.any():
        first = float(x_test[np.argmax(empty)])
        raise ValueError(
            f"bandwidth: {bandwidth:g} leaves {int(empty.sum())} test point(s) (first x = {first:.3g}) with no "
            f"training point inside the {kernel} kernel's window; widen the bandwidth"
        )
    attention = weights / totals
    return attention @ y_train, attention


def parametric_attention(x_train, x_test, w: float) -> np.ndarray:
    """[m, n] softmax over i of −((x_test[j] − x_train[i])·w)² / 2: the parametric pooling's weights."""
    x_train, x_test = np.asarray(x_train, dtype=np.float64), np.asarray(x_test, dtype=np.float64)
    check_values(
        (x_test.size, x_train.size), 3, "parametric attention", "the test points (n_test) or the training points (n)"
    )
    logits = -(((x_test[:, None] - x_train[None, :]) * w) ** 2) / 2
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


class ParametricPooling:
    """f(x) = Σ_i softmax_i(−((x − x_i)·w)² / 2) y_i with one learnable w, fitted by gradient descent.

    Training uses leave-one-out pooling (each training x is a query over the other training pairs), so w
    cannot win by having each point attend only to itself. The gradient is analytic (numpy, no torch).
    """

    def __init__(self, x_train, y_train, seed: int = 0, lr: float = 0.5, w: float | None = None):
        self.x_train = np.asarray(x_train, dtype=np.float64)
        self.y_train = np.asarray(y_train, dtype=np.float64)
        if self.x_train.ndim != 1 or self.x_train.shape != self.y_train.shape or self.x_train.size < 2:
            raise ValueError("x_train, y_train: need two 1-D arrays of one length ≥ 2")
        size = self.x_train.size
        check_values((size, size), 7, "leave-one-out training of parametric pooling", "the training points (n)")
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"lr: needs a finite learning rate > 0, got {lr!r}")
        self.w = float(np.random.default_rng(check_seed("seed", seed)).uniform(0.5, 1.5)) if w is None else float(w)
        self.lr = lr
        self.step = 0
        self.losses: list[float] = []

    def loss_and_gradient(self) -> tuple[float, float]:
        """Mean squared leave-one-out error ½·mean((f(x_i) − y_i)²) and its derivative in w."""
        x, y = self.x_train, self.y_train
        diff = x[:, None] - x[None, :]  # [n, n]
        logits = -((diff * self.w) ** 2) / 2
        np.fill_diagonal(logits, -np.inf)  # leave one out
        alpha = np.exp(logits - logits.max(axis=1, keepdims=True))
        alpha /= alpha.sum(axis=1, keepdims=True)
        pred = alpha @ y
        error = pred - y  # [n]
        dlogit_dw = -self.w * np.where(np.isfinite(logits), diff**2, 0.0)  # ∂logit/∂w
        # ∂pred_i/∂w = Σ_j α_ij (y_j − pred_i) ∂logit_ij/∂w
        dpred = (alpha * (y[None, :] - pred[:, None]) * dlogit_dw).sum(axis=1)
        return float(0.5 * np.mean(error**2)), float(np.mean(error * dpred))

    def train(self, steps: int) -> Iterator[tuple[int, float, float]]:
        """Run `steps` gradient steps, yielding (step, loss before the step, w after it); resumable."""
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"steps: needs a whole number ≥ 0, got {steps!r}")
        for _ in range(steps):
            loss, gradient = self.loss_and_gradient()
            self.w -= self.lr * gradient
            self.step += 1
            self.losses.append(loss)
            yield self.step, loss, self.w

    def predict(self, x_test) -> tuple[np.ndarray, np.ndarray]:
        """x_test [m] -> (y_pred [m], attention [m, n]) with the current w; rows sum to 1."""
        attention = parametric_attention(self.x_train, x_test, self.w)
        return attention @ self.y_train, attention
