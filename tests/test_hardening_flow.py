"""Attention flow against the authors' own algorithm (Abnar & Zuidema 2020, attention_graph_util.py) for every
mask and padding setting: their layered graph in networkx, the residual-augmented and renormalised mean attention
as capacities, and networkx's maximum flow between the output node and each input node, as they compute it.

Their code builds the graph from the attention maps themselves (here: the run's exact maps, Run.layer_attention),
not from this project's augmented_layers, so both the graph and the maximum flow are computed independently.
"""

import networkx as nx
import numpy as np
import pytest
from builders import write_hf_model

import models
from models.analysis import flow, rollout
from models.analysis.attention_rollout import masked_rows, reachable

TEXT = "The quick brown fox jumps over the lazy dog."
MASKS = [
    None,
    "causal",
    "causal,no-self",
    "bidirectional",
    "bidirectional,no-self",
    "causal,window=2",
    "causal,window=2,no-self",
    "prefix=3",
    "prefix=3,no-self",
]


def authors_adjacency(augmented: np.ndarray) -> np.ndarray:
    """Their get_adjmat: node (layer i, position k) is i·N + k; an edge from each node down to the one it reads."""
    n_layers, length, _ = augmented.shape
    adjacency = np.zeros(((n_layers + 1) * length, (n_layers + 1) * length))
    for i in range(1, n_layers + 1):
        for k_from in range(length):
            for k_to in range(length):
                adjacency[i * length + k_from, (i - 1) * length + k_to] = augmented[i - 1, k_from, k_to]
    return adjacency


def authors_flow(attentions: np.ndarray, query: int, residual: float = 0.5) -> np.ndarray:
    """float64 (N,): the authors' maximum flow from the output node (L, query) to each input node (0, j).

    attentions (L, H, N, N). As in their notebooks: the heads' mean, plus the residual as the identity, each row
    renormalised (their r = 0.5 is att + I over its row sum; other r weigh the two as rollout does).
    """
    n_layers, _, n, _ = attentions.shape
    mean = attentions.astype(np.float64).mean(axis=1)  # (L, N, N)
    augmented = (1 - residual) * mean + residual * np.eye(n)[None]
    augmented = augmented / augmented.sum(axis=-1)[..., None]
    graph = nx.from_numpy_array(authors_adjacency(augmented), create_using=nx.DiGraph())
    for _u, _v, data in graph.edges(data=True):
        data["capacity"] = data["weight"]
    output = n_layers * n + query
    edmonds_karp = nx.algorithms.flow.edmonds_karp
    return np.array([nx.maximum_flow_value(graph, output, j, flow_func=edmonds_karp) for j in range(n)])


def assert_flow_is_the_authors(run, seq: int = 0, residual: float = 0.5) -> None:
    """Every query of the sequence: our flow equals theirs within 1e-5 wherever it is a number, and it is NaN only
    where no query reads the input (their flow from it is 0 into every query)."""
    attentions = np.stack([run.layer_attention(layer, seq) for layer in range(run.n_layers)])  # (L, H, N, N)
    queries = np.flatnonzero(~masked_rows(run, seq))
    theirs = {int(query): authors_flow(attentions, int(query), residual) for query in queries}
    # The inputs something reads: their flow into some unmasked query is above 0. NaN exactly at the others.
    read = np.any([values > 0 for values in theirs.values()], axis=0)
    for query in queries:
        ours = flow(run, seq, query=int(query), residual=residual)
        assert np.array_equal(np.isnan(ours), ~read), f"query {query}: NaN exactly where nothing reads"
        assert np.abs(ours[read] - theirs[int(query)][read]).max() < 1e-5, f"query {query}"


def test_causal_no_self_flow_from_the_first_token_is_the_authors(smollm):
    """The issue's case: position 0 sees no key, yet every later token reads it; theirs gives it 1.0."""
    run = smollm.run("One two three", mask="causal,no-self")
    ours = flow(run)
    assert np.isfinite(ours).all()
    assert abs(ours[0] - 1.0) < 1e-5
    assert abs(rollout(run)[-1, 0] - 1.0) < 1e-4, "rollout agrees: the first token is all of the last row"
    assert_flow_is_the_authors(run)


@pytest.mark.parametrize("padding_mask", [True, False])
def test_minilm_batch_flow_is_the_authors_with_and_without_the_padding_mask(minilm, padding_mask):
    run = minilm.run(["Hi there.", "The capital of France is a city with many museums."], padding_mask=padding_mask)
    pads = ~np.asarray(run.is_real[0])
    assert pads.any()
    values = flow(run, seq=0)
    assert np.isnan(values[pads]).all() == padding_mask, "pads are read by real rows only without the mask"
    if not padding_mask:
        assert (values[pads] > 0).all()
    assert_flow_is_the_authors(run, seq=0)


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    loaded = {}
    for model_type in ("gpt2", "bert"):
        folder = tmp_path_factory.mktemp(model_type) / model_type
        write_hf_model(folder, model_type, n_layer=3) if model_type == "gpt2" else write_hf_model(
            folder, model_type, num_hidden_layers=3
        )
        loaded[model_type] = models.load(str(folder), device="cpu")
    return loaded


@pytest.mark.parametrize("model_type", ["gpt2", "bert"])
@pytest.mark.parametrize("mask", MASKS)
def test_flow_is_the_authors_for_every_mask(tiny_models, model_type, mask):
    run = tiny_models[model_type].run("The quick brown fox jumps", mask=mask)
    for residual in (0.5, 0.2):
        assert_flow_is_the_authors(run, residual=residual)


@pytest.mark.parametrize("model_type", ["gpt2", "bert"])
@pytest.mark.parametrize("mask", [None, "causal,no-self", "bidirectional,no-self", "causal,window=2"])
@pytest.mark.parametrize("padding_mask", [True, False])
def test_flow_is_the_authors_in_a_padded_batch(tiny_models, model_type, mask, padding_mask):
    run = tiny_models[model_type].run(["Hi there.", TEXT], mask=mask, padding_mask=padding_mask)
    assert not all(run.is_real[0])
    assert_flow_is_the_authors(run, seq=0)


@pytest.mark.parametrize("model_type", ["gpt2", "bert"])
@pytest.mark.parametrize("mask", [None, "causal,no-self", "causal,window=2", "bidirectional,no-self"])
@pytest.mark.parametrize("padding_mask", [True, False])
def test_reachable_holds_every_cell_rollout_reaches(tiny_models, model_type, mask, padding_mask):
    """A cell drawn grey is one no path reaches: with padding_mask=False pads read pads, and a window chains them."""
    run = tiny_models[model_type].run(["Hi there.", TEXT], mask=mask, padding_mask=padding_mask)
    result, reach = rollout(run), reachable(run)
    masked = masked_rows(run, 0)
    assert not reach[masked].any()
    assert np.array_equal(result[~masked] > 0, reach[~masked]), "reached exactly where rollout is above 0"


def test_a_text_whose_every_query_sees_nothing_says_so(tiny_models):
    """One token under no-self sees no key: the message said '-1 is not allowed; allowed: -1 …' before."""
    run = tiny_models["gpt2"].run("The", mask="causal,no-self")
    assert len(run.ids[0]) == 1
    with pytest.raises(ValueError, match="no position of this text sees a key"):
        flow(run)
