"""Property-based tests of option parsing: whatever a user, a GUI or a session file hands over, parse_mask,
RunOptions.from_dict and resolve return a valid value or raise ValueError, never another exception; and valid
options survive a round trip through their text and dict forms."""

import math
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_options import BERT, LLAMA

from models.nn.plan import check_float32_limits
from models.options import MAX_SPAN, POS_CHOICES, MaskSpec, ResolvedOptions, RunOptions, parse_mask, resolve

# Derandomized: the same 200 examples on every run, so a failure in CI is one a developer can reproduce.
SETTINGS = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FIELDS = ("mask", "padding_mask", "pos", "rope_theta", "kv_heads", "temperature")

# Text with everything Unicode allows in a str, lone surrogates included (hypothesis leaves them out by default).
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
huge_ints = st.integers(min_value=-(10**400), max_value=10**400)
any_floats = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
numpy_scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.integers(0, 2**32 - 1).map(np.uint32),
    any_floats.map(np.float64),
    st.floats(width=32, allow_nan=True, allow_subnormal=True).map(np.float32),
    st.booleans().map(np.bool_),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    huge_ints,
    any_floats,
    any_text,
    st.binary(max_size=10),
    numpy_scalars,
    st.fractions(max_denominator=10**6).map(Fraction),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(any_text, inner, max_size=3)
    ),
    max_leaves=12,
)

# Mask text built from real parts, near misses and junk, so the parser's every branch is reached.
mask_parts = st.one_of(
    st.sampled_from(["causal", "bidirectional", "no-self", "model", "", " ", "CAUSAL", "No-Self", "prefix", "=3"]),
    st.builds(
        lambda name, value: f"{name}={value}",
        st.sampled_from(["window", "prefix", " window ", "win"]),
        st.one_of(st.integers(-5, 2 * MAX_SPAN).map(str), huge_ints.map(str), any_text),
    ),
    any_text,
)
mask_texts = st.lists(mask_parts, max_size=5).map(",".join)
option_values = {
    "mask": st.one_of(st.none(), mask_texts, anything),
    "padding_mask": st.one_of(st.booleans(), anything),
    "pos": st.one_of(st.sampled_from(POS_CHOICES), any_text, anything),
    "rope_theta": st.one_of(st.none(), any_floats, huge_ints, numpy_scalars, anything),
    "kv_heads": st.one_of(st.none(), st.integers(-3, 10), huge_ints, numpy_scalars, anything),
    "temperature": st.one_of(any_floats, huge_ints, numpy_scalars, anything),
}
option_dicts = st.fixed_dictionaries({}, optional={name: option_values[name] for name in FIELDS})


def valid_spec(spec: MaskSpec) -> bool:
    spans_ok = all(v is None or (type(v) is int and 1 <= v <= MAX_SPAN) for v in (spec.window, spec.prefix))
    return spans_ok and spec.base in (None, "causal", "bidirectional") and type(spec.no_self) is bool


@SETTINGS
@given(st.one_of(mask_texts, anything))
def test_parse_mask_gives_a_valid_spec_or_a_value_error(value):
    try:
        spec = parse_mask(value)
    except ValueError as error:
        assert str(error).startswith("mask")
        return
    assert valid_spec(spec)
    assert parse_mask(spec.describe()) == spec  # the text form round-trips


@SETTINGS
@given(st.one_of(option_dicts, anything, st.dictionaries(any_text, anything, max_size=3)))
def test_from_dict_gives_checked_options_or_a_value_error(data):
    try:
        options = RunOptions.from_dict(data)
    except ValueError:
        return
    assert type(options.padding_mask) is bool and options.pos in POS_CHOICES
    assert type(options.temperature) is float and math.isfinite(options.temperature) and options.temperature > 0
    assert options.rope_theta is None or (type(options.rope_theta) is float and math.isfinite(options.rope_theta))
    assert options.kv_heads is None or (type(options.kv_heads) is int and options.kv_heads >= 1)
    assert valid_spec(parse_mask(options.mask))
    assert RunOptions.from_dict(options.to_dict()) == options  # the dict form round-trips


@SETTINGS
@given(option_dicts, st.sampled_from([LLAMA, BERT]))
def test_resolve_gives_resolved_options_or_a_value_error(data, config):
    """Built directly (no from_dict), so resolve's own checks meet every value; then the float32 limits."""
    try:
        resolved = resolve(RunOptions(**data), config)
        check_float32_limits(resolved, config)
    except ValueError:
        return
    assert isinstance(resolved, ResolvedOptions)
    assert config.n_heads % resolved.kv_heads == 0 and valid_spec(resolved.mask)
    assert resolve(resolved.as_run_options(), config) == resolved  # the resolved values resolve to themselves


@SETTINGS
@given(
    st.lists(st.sampled_from(["causal", "bidirectional", "no-self"]), unique=True, max_size=2),
    st.one_of(st.none(), st.integers(1, MAX_SPAN)),
    st.one_of(st.none(), st.integers(1, MAX_SPAN)),
    st.sampled_from(POS_CHOICES),
    st.one_of(st.none(), st.floats(1.0, 1e12)),
    st.sampled_from([None, 1, 2, 4, 8, np.int64(2)]),
    st.floats(1e-3, 1e3),
    st.booleans(),
)
def test_valid_options_are_accepted_and_round_trip(parts, window, prefix, pos, theta, kv_heads, temperature, padding):
    if "causal" in parts and "bidirectional" in parts or (prefix and "bidirectional" in parts):
        return  # contradictory masks: refused by design, covered above
    mask = ",".join(parts + [f"window={window}"] * (window is not None) + [f"prefix={prefix}"] * (prefix is not None))
    data = dict(mask=mask, padding_mask=padding, pos=pos, rope_theta=theta, kv_heads=kv_heads, temperature=temperature)
    options = RunOptions.from_dict(data)
    assert RunOptions.from_dict(options.to_dict()) == options
    assert parse_mask(parse_mask(mask).describe()) == parse_mask(mask)
    resolved = resolve(options, LLAMA)
    check_float32_limits(resolved, LLAMA)
    assert resolve(resolved.as_run_options(), LLAMA) == resolved
