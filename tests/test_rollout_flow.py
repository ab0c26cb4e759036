"""Attention rollout and flow: rollout against a numpy product of transformers' own maps on the real SmolLM2
weights, flow against networkx's maximum flow, the two in agreement on a one-layer model, and their errors."""

import networkx as nx
import numpy as np
import pytest
from builders import write_hf_model
from reference import hf_attentions

import models
from models.analysis import FLOW_MAX_TOKENS, flow, rollout
from models.analysis.attention_flow import layered_flow
from models.analysis.attention_rollout import PRODUCT_BLOCK, _product_step, augmented_layers

TEXT = "The quick brown fox jumps over the lazy dog."


def numpy_rollout(attentions: np.ndarray, residual: float, reduce: str) -> np.ndarray:
    """R = Â_L … Â_1 in float64 from (L, H, N, N) maps, straight from the definition."""
    n = attentions.shape[-1]
    product = np.eye(n)
    for layer in attentions.astype(np.float64):
        augmented = (1 - residual) * getattr(layer, reduce)(axis=0) + residual * np.eye(n)
        augmented /= augmented.sum(axis=1, keepdims=True)
        product = augmented @ product
    return product


def networkx_flow(augmented: np.ndarray, query: int) -> np.ndarray:
    """The same layered graph in networkx, float capacities: a second, independent maximum flow."""
    n_layers, n, _ = augmented.shape
    graph = nx.DiGraph()
    for layer, i, j in zip(*np.nonzero(augmented)):
        graph.add_edge((layer, j), (layer + 1, i), capacity=float(augmented[layer, i, j]))
    return np.array([nx.maximum_flow_value(graph, (0, j), (n_layers, query)) for j in range(n)])


@pytest.fixture(scope="module")
def smollm_run(smollm):
    return smollm.run(TEXT)


@pytest.fixture(scope="module")
def smollm_reference(smollm_run, hf_smollm):
    return hf_attentions(hf_smollm, smollm_run.ids)[:, 0]  # (L, H, N, N)


@pytest.mark.parametrize("reduce", ["mean", "max", "min"])
def test_rollout_equals_the_product_of_transformers_maps(smollm_run, smollm_reference, reduce):
    for residual in (0.5, 0.2):
        ours = rollout(smollm_run, residual=residual, head_reduce=reduce)
        theirs = numpy_rollout(smollm_reference, residual, reduce)
        assert ours.dtype == np.float32 and ours.shape == theirs.shape
        assert np.abs(ours - theirs).max() < 1e-4, f"{reduce}, residual {residual}"
        assert np.allclose(ours.sum(axis=1), 1.0, atol=1e-5)
        assert not np.triu(ours, 1).any(), "causal: no token reads a later one, through any path"


def test_the_blocked_triangular_product_equals_a_full_product():
    """Rollout's causal shortcut skips blocks that must be 0: over several uneven blocks it is the plain product."""
    import torch

    generator = torch.Generator().manual_seed(0)
    n = 2 * PRODUCT_BLOCK + 37
    first, second = (torch.rand(n, n, generator=generator, dtype=torch.float64).tril() for _ in range(2))
    assert torch.allclose(_product_step(second, first, lower=True), second @ first, rtol=1e-12, atol=1e-12)
    full = torch.rand(n, n, generator=generator, dtype=torch.float64)
    assert torch.equal(_product_step(full, first, lower=False), full @ first)


def test_rollout_with_residual_one_is_the_identity_and_with_zero_the_plain_product(smollm_run, smollm_reference):
    assert np.array_equal(rollout(smollm_run, residual=1.0), np.eye(len(smollm_run.ids[0]), dtype=np.float32))
    assert np.abs(rollout(smollm_run, residual=0.0) - numpy_rollout(smollm_reference, 0.0, "mean")).max() < 1e-4


def test_masked_rows_stay_masked_in_a_padded_batch(smollm):
    alone = rollout(smollm.run("Hi there."))
    batch = smollm.run(["Hi there.", "The capital of France is a city with many museums."])
    padded = rollout(batch, seq=0)
    real = np.flatnonzero(batch.is_real[0])
    assert real[0] > 0, "causal LMs pad on the left"
    assert np.isnan(padded[: real[0]]).all(), "pad rows are NaN"
    assert np.abs(padded[np.ix_(real, real)] - alone).max() < 1e-4, "real rows are the text's own rollout"
    assert not padded[real][:, : real[0]].any(), "no real token reads a pad"
    values = flow(batch, seq=0)
    assert np.isnan(values[: real[0]]).all() and np.isfinite(values[real]).all()


def test_a_query_that_sees_no_key_is_a_masked_row(smollm):
    run = smollm.run("One two three", mask="causal,no-self")  # position 0 sees nothing
    result = rollout(run)
    assert np.isnan(result[0]).all() and np.isfinite(result[1:]).all()
    assert np.allclose(result[1:].sum(axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="query"):
        flow(run, query=0)


def test_layered_flow_on_a_graph_with_a_known_flow():
    # Two layers over 3 positions. Into (2, 2): from (1, 1) up to 0.5 and from (1, 2) up to 0.5. (1, 1) takes
    # up to 0.25 from (0, 0) and (1, 2) up to 0.1 from it: input 0's flow is 0.25 + 0.1 = 0.35.
    first = np.array([[1.0, 0, 0], [0.25, 0.75, 0], [0.1, 0.4, 0.5]])
    second = np.array([[1.0, 0, 0], [0.5, 0.5, 0], [0, 0.5, 0.5]])
    values = layered_flow(np.stack([first, second]), query=2)
    # Input 1: min(0.75, 0.5) via (1, 1), plus min(0.4, 0.5) via (1, 2); input 2: 0.5 via (1, 2).
    assert np.allclose(values, [0.35, 0.9, 0.5], atol=1e-6)
    assert np.allclose(values, networkx_flow(np.stack([first, second]), 2), atol=1e-6)


def test_flow_equals_networkx_maximum_flow_on_real_maps(smollm):
    run = smollm.run("The quick brown fox jumps.")
    augmented = np.stack([layer.numpy() for layer in augmented_layers(run)])  # (30, N, N)
    for query in (-1, 2):
        ours = flow(run, query=query)
        theirs = networkx_flow(augmented, query % augmented.shape[1])
        assert ours.dtype == np.float32
        assert np.abs(ours - theirs).max() < 1e-5
        assert np.all(ours[query % augmented.shape[1] + 1 :] == 0), "no flow from later tokens under a causal mask"


@pytest.fixture(scope="module")
def one_layer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-layer") / "gpt2"
    write_hf_model(folder, "gpt2", n_layer=1)
    return models.load(str(folder), device="cpu")


def test_on_one_layer_flow_equals_rollout(one_layer):
    run = one_layer.run(TEXT)
    assert run.n_layers == 1
    for residual in (0.5, 0.0, 0.9):
        rows = rollout(run, residual=residual)
        for query in (-1, 3):
            assert np.abs(flow(run, query=query, residual=residual) - rows[query]).max() < 1e-6


def test_bad_arguments_are_named(smollm_run, smollm):
    for bad in (-0.1, 1.5, "half", True, float("nan")):
        with pytest.raises(ValueError, match="residual"):
            rollout(smollm_run, residual=bad)
        with pytest.raises(ValueError, match="residual"):
            flow(smollm_run, residual=bad)
    for bad in ("sum", None, 1):
        with pytest.raises(ValueError, match="head_reduce"):
            rollout(smollm_run, head_reduce=bad)
    for bad in (1, -1, 0.0, True):
        with pytest.raises(ValueError, match="seq"):
            rollout(smollm_run, seq=bad)
        with pytest.raises(ValueError, match="seq"):
            flow(smollm_run, seq=bad)
    n = len(smollm_run.ids[0])
    for bad in (n, -2, 1.0, True, "last"):
        with pytest.raises(ValueError, match="query"):
            flow(smollm_run, query=bad)
    long_run = smollm.run(" ".join(["word"] * (FLOW_MAX_TOKENS + 5)))
    with pytest.raises(ValueError, match="use rollout"):
        flow(long_run)
