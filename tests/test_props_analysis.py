"""Property-based tests of the analysis API (issue 22): rollout, flow, compare, head scores, head importance, the
logit lens and generation, given anything where a run, a model or a number belongs. Each call returns a right
value or raises a ValueError that names the argument: never AttributeError, TypeError, OverflowError or a NaN.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from builders import write_hf_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import models
from models.analysis import compare, compare_runs, diff_map, flow, head_importance, head_scores, rollout
from models.analysis.probes import repeated_random

# Derandomized and bounded: the same examples on every run, each on a two-layer model in milliseconds.
SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)

any_text = st.text(st.characters(exclude_categories=()), max_size=20)
huge_ints = st.integers(min_value=-(10**400), max_value=10**400)
any_floats = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    huge_ints,
    st.sampled_from([10**400, -(10**400), 2**1024, 10**20]),
    any_floats,
    any_text,
    st.binary(max_size=6),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    any_floats.map(np.float64),
    st.fractions(max_denominator=10**6).map(Fraction),
    st.complex_numbers(max_magnitude=10, allow_nan=False),
)
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner)), max_leaves=6)
not_a_run = st.one_of(anything, st.just(object()), st.just(np.zeros((2, 2))), st.just({"ids": [[1, 2]]}))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-gpt2") / "gpt2"
    write_hf_model(folder, "gpt2")
    return models.load(str(folder), device="cpu")


@pytest.fixture(scope="module")
def tiny_run(tiny):
    return tiny.run("The quick brown fox jumps")


def fails_with_a_named_value_error(call, name: str) -> None:
    """call() raises ValueError naming `name` (the wrong argument), or returns a value with no NaN in it."""
    try:
        result = call()
    except ValueError as error:
        assert name in str(error), f"{error!r} does not name {name}"
        return
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        assert not np.isnan(result).all()


@pytest.mark.parametrize(
    "function",
    [rollout, flow, head_scores, lambda run: compare_runs(run, run), lambda run: diff_map(run, run, 0, 0)],
    ids=["rollout", "flow", "head_scores", "compare_runs", "diff_map"],
)
@SETTINGS
@given(value=not_a_run)
def test_every_analysis_of_a_run_checks_it_got_a_run(function, value):
    with pytest.raises(ValueError, match="run"):
        function(value)


@SETTINGS
@given(value=not_a_run)
def test_functions_of_a_model_check_they_got_a_model(value):
    for call in (
        lambda: head_importance(value, "text"),
        lambda: compare(value, "text"),
        lambda: repeated_random(value),
    ):
        with pytest.raises(ValueError, match="model"):
            call()


@SETTINGS
@given(residual=scalars, head_reduce=scalars)
def test_rollout_numbers_are_checked_as_numbers(tiny_run, residual, head_reduce):
    fails_with_a_named_value_error(lambda: rollout(tiny_run, residual=residual), "residual")
    fails_with_a_named_value_error(lambda: rollout(tiny_run, head_reduce=head_reduce), "head_reduce")


@SETTINGS
@given(residual=scalars, query=scalars, seq=scalars)
def test_flow_numbers_are_checked_as_numbers(tiny_run, residual, query, seq):
    fails_with_a_named_value_error(lambda: flow(tiny_run, residual=residual), "residual")
    fails_with_a_named_value_error(lambda: flow(tiny_run, query=query), "query")
    fails_with_a_named_value_error(lambda: flow(tiny_run, seq=seq), "seq")


@SETTINGS
@given(seq=scalars, k=scalars, layer=scalars, head=scalars)
def test_head_scores_compare_and_diff_check_their_indices(tiny_run, seq, k, layer, head):
    fails_with_a_named_value_error(lambda: head_scores(tiny_run, seq=seq), "seq")
    fails_with_a_named_value_error(lambda: compare_runs(tiny_run, tiny_run, seq=seq), "seq")
    fails_with_a_named_value_error(lambda: compare_runs(tiny_run, tiny_run, k=k), "k")
    fails_with_a_named_value_error(lambda: diff_map(tiny_run, tiny_run, layer, 0), "layer")
    fails_with_a_named_value_error(lambda: diff_map(tiny_run, tiny_run, 0, head), "head")


@SETTINGS
@given(k=scalars, position=scalars, seq=scalars)
def test_the_logit_lens_checks_its_numbers(tiny_run, k, position, seq):
    fails_with_a_named_value_error(lambda: tiny_run.logit_lens(k=k), "k")
    fails_with_a_named_value_error(lambda: tiny_run.logit_lens(position=position), "position")
    fails_with_a_named_value_error(lambda: tiny_run.logit_lens(seq=seq), "seq")


@SETTINGS
@given(count=scalars, temperature=scalars, seed=scalars, text=st.one_of(scalars, any_text))
def test_generate_checks_every_argument_before_it_runs(tiny, count, temperature, seed, text):
    for call, name in (
        (lambda: tiny.generate("The quick", count), "max_new_tokens"),
        (lambda: tiny.generate("The quick", 1, temperature=temperature), "temperature"),
        (lambda: tiny.generate("The quick", 1, temperature=1.0, seed=seed), "seed"),
        (lambda: tiny.generate(text, 1), "text"),
    ):
        try:
            steps = list(call())
        except ValueError as error:
            assert name in str(error)
            continue
        assert all(math.isfinite(step.probability) for step in steps)


@SETTINGS
@given(target=scalars, options=anything, text=st.one_of(scalars, any_text))
def test_head_importance_checks_its_arguments(tiny, target, options, text):
    fails_with_a_named_value_error(lambda: head_importance(tiny, "The quick", target=target), "target")
    fails_with_a_named_value_error(lambda: head_importance(tiny, "The quick", options=options), "options")
    fails_with_a_named_value_error(lambda: head_importance(tiny, text), "text")


@SETTINGS
@given(length=scalars, seed=scalars)
def test_the_induction_probe_checks_its_numbers(tiny, length, seed):
    fails_with_a_named_value_error(lambda: repeated_random(tiny, length=length), "length")
    fails_with_a_named_value_error(lambda: repeated_random(tiny, length=10, seed=seed), "seed")


@SETTINGS
@given(a=anything, b=anything, k=scalars)
def test_compare_checks_its_variants(tiny, a, b, k):
    fails_with_a_named_value_error(lambda: compare(tiny, "The quick", a=a), "a")
    fails_with_a_named_value_error(lambda: compare(tiny, "The quick", b=b), "b")
    fails_with_a_named_value_error(lambda: compare(tiny, "The quick", k=k), "k")
