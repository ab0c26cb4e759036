"""The engine's side of the hardening sweep (issue 16): no wrong number is ever returned, and every bad argument
of the public API gets a ValueError that names it.

Families: 1 (silent wrong results), 7 (option parsing) and 8 (API types). Each test here failed on the code
before the sweep: it returned a wrong map, or raised TypeError, AttributeError or OverflowError instead.
"""

import gc

import numpy as np
import pytest
import torch
from builders import write_hf_model

import models
from models.errors import NumericalError
from models.nn.plan import AttentionPlan, check_float32_limits
from models.options import MaskSpec, ResolvedOptions, RunOptions, parse_mask
from models.runtime.maps import block_probabilities, head_views

TEXT = "The quick brown fox jumps over the lazy dog"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A random two-layer llama (8 query heads of 8 dims, 2 KV heads, RoPE, context 128) on the CPU."""
    folder = tmp_path_factory.mktemp("tiny-llama")
    write_hf_model(folder, "llama")
    return models.load(str(folder), device="cpu")


def rows_sum_to_one_or_zero(run):
    for layer in range(run.n_layers):
        sums = run.layer_attention(layer).sum(-1)  # (H, N)
        seen = run.visible().any(-1)  # (N,)
        assert np.allclose(sums, np.where(seen, 1.0, 0.0), atol=1e-4)


# -- family 1: silent wrong results ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"temperature": 1e-40}, ["temperature: 1e-40", "overflow float32", "use a temperature >="]),
        ({"temperature": 5e-324}, ["temperature", "overflow float32"]),
        ({"temperature": 1e308}, ["temperature: 1e+308", "underflow to 0", "use a temperature <="]),
        ({"rope_theta": 1e-300}, ["rope-theta: 1e-300", "overflow float32", "use a rope-theta >="]),
        ({"rope_theta": 1e-46}, ["rope-theta: 1e-46", "overflow float32"]),  # 0 in float32
    ],
)
def test_options_certain_to_overflow_float32_are_refused_before_the_run(tiny, options, words):
    with pytest.raises(ValueError) as error:
        tiny.run(TEXT, **options)
    for word in words:
        assert word in str(error.value)


def test_the_limits_given_in_the_message_are_allowed(tiny):
    for options, bound in (({"temperature": 1e-40}, ">= "), ({"rope_theta": 1e-300}, ">= ")):
        with pytest.raises(ValueError) as error:
            tiny.run(TEXT, **options)
        value = float(str(error.value).split(bound)[1].split(",")[0].split(" ")[0])
        name = next(iter(options))
        check_float32_limits(tiny._resolve(None, {name: value}), tiny.config)  # no error at the limit itself


def test_a_huge_rope_theta_stops_the_rotation_and_stays_exact(tiny):
    rows_sum_to_one_or_zero(tiny.run(TEXT, rope_theta=1e300))


def test_overflow_on_some_inputs_only_is_caught_where_maps_and_probabilities_are_made(tiny):
    """2e-39 is inside float32 (scale 1.8e38), but any score above ~2 overflows: no map or probability is shown."""
    run = tiny.run(TEXT, temperature=2e-39)
    with pytest.raises(NumericalError, match=r"attention: layer \d.*temperature=2e-39.*nearer 1"):
        for layer in range(run.n_layers):
            run.layer_attention(layer)
    with pytest.raises(NumericalError, match="next tokens: the model's output is not finite.*temperature"):
        run.next_tokens(3)


def test_a_block_of_overflowing_scores_raises_instead_of_passing_for_an_empty_row():
    """Before, NaN rows from overflow were turned into rows that "see no key": all zero, and shown."""
    n, d = 4, 2
    q = torch.full((1, 1, n, d), 1e30)  # (B, H, N, d): every score is 2e60, inf in float32
    plan = AttentionPlan(
        n_heads=1, kv_heads=1, scale=1.0, mask=MaskSpec(base="causal"), positions=torch.arange(n)[None]
    )
    q_sel, k_sel = head_views(q, q, plan, 0, range(1))
    with pytest.raises(NumericalError, match="not finite"):
        block_probabilities(q_sel, k_sel, plan, 0, range(1), slice(0, n), slice(0, n))


def test_a_row_with_no_visible_key_is_still_all_zero(tiny):
    run = tiny.run(TEXT, mask="causal,no-self")
    assert np.all(run.attention(0, 0)[0] == 0.0)
    rows_sum_to_one_or_zero(run)


def test_reusing_the_same_run_twice_gives_each_new_run_its_own_maps(tiny):
    """Before, the second call wrote into the buffers the first new run reads: an 8×8 map for 9 tokens."""
    first = tiny.run("The quick brown fox")
    longer = tiny.run("The quick brown fox jumps over", reuse=first)
    other = tiny.run("The quick brown cat", reuse=first)
    for run, text in ((longer, "The quick brown fox jumps over"), (other, "The quick brown cat")):
        fresh = tiny.run(text)
        assert run.ids == fresh.ids
        n = len(fresh.ids[0])
        for layer in range(fresh.n_layers):
            ours = run.layer_attention(layer)
            assert ours.shape == (tiny.config.n_heads, n, n)
            assert np.abs(ours - fresh.layer_attention(layer)).max() <= 1e-5
    assert other.timings.reused_tokens == 0, "first's buffers belong to `longer`: the second caller computes afresh"


def test_a_run_handed_on_twice_keeps_only_what_every_newer_run_left_untouched(tiny):
    """first → second (keeps ~all) → third (keeps 2, then dropped): first may hand over again, but only 2 tokens."""
    first = tiny.run(TEXT)
    second = tiny.run(TEXT + " again", reuse=first)
    third = tiny.run("The quick red cat sat", reuse=second)
    kept_by_third = third.timings.reused_tokens
    del third, second
    gc.collect()
    again = tiny.run(TEXT + " and more", reuse=first)
    assert 0 < again.timings.reused_tokens <= kept_by_third
    fresh = tiny.run(TEXT + " and more")
    for layer in range(fresh.n_layers):
        assert np.abs(again.layer_attention(layer) - fresh.layer_attention(layer)).max() <= 1e-5


def test_float_rows_are_refused_not_truncated(tiny):
    run = tiny.run(TEXT)
    with pytest.raises(ValueError, match=r"rows: \[0\.7, 1\.9\] is not allowed; it must be a list of integer"):
        run.attention_rows(0, 0, [0.7, 1.9])
    assert run.attention_rows(0, 0, np.array([1, 2], dtype=np.int32)).shape == (2, len(run.ids[0]))


# -- family 7: option parsing -----------------------------------------------------------------------------------
def test_a_huge_window_or_prefix_is_a_value_error_not_an_overflow(tiny):
    with pytest.raises(ValueError, match=r"mask window=W: '99999999999999999999999' .* from 1 to 2147483647"):
        tiny.run(TEXT, mask="window=99999999999999999999999")
    with pytest.raises(ValueError, match="mask prefix=P"):
        parse_mask("prefix=" + "9" * 5000)  # int() itself refuses this many digits


def test_mask_w_and_p_are_plain_digits():
    for text in ("window=٣", "window=1_0", "window=+3", "window=3.0", "prefix=0x2"):
        with pytest.raises(ValueError, match="is not an integer"):
            parse_mask(text)
    assert parse_mask("window = 3") == MaskSpec(window=3)


def test_a_mask_that_is_not_text_is_a_value_error(tiny):
    for value in (5, b"causal", ["causal"], 1.5):
        with pytest.raises(ValueError, match="mask: .* is not text"):
            parse_mask(value)
        with pytest.raises(ValueError, match="mask: .* is not text"):
            tiny.run(TEXT, mask=value)


def test_causal_with_a_prefix_is_the_same_mask_as_the_prefix_alone():
    assert parse_mask("causal,prefix=2") == parse_mask("prefix=2")
    assert parse_mask(parse_mask("causal,prefix=2").describe()) == parse_mask("causal,prefix=2")


def test_numbers_beyond_floats_range_and_deep_nesting_get_a_value_error():
    with pytest.raises(ValueError, match="temperature: 1000.* finite number > 0"):
        RunOptions.from_dict({"temperature": 10**400})
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    with pytest.raises(ValueError, match=r"mask: \[+\.\.\.\]+ is not text"):
        RunOptions.from_dict({"mask": nested})


# -- family 8: API types -----------------------------------------------------------------------------------------
def test_numpy_numbers_are_taken_where_an_integer_or_a_number_is(tiny):
    run = tiny.run(TEXT, kv_heads=np.int64(2), temperature=np.float32(0.5), rope_theta=np.float64(500.0))
    assert (run.kv_heads, run.options.temperature, run.options.rope_theta) == (2, 0.5, 500.0)
    assert len(run.next_tokens(np.int64(3))) == 3
    assert run.attention(np.int64(1), np.int32(7), np.int64(0)).shape == (len(run.ids[0]),) * 2
    ids = np.array([run.ids[0]], dtype=np.int64)
    assert tiny.run_ids(ids).ids == run.ids


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda m, r: m.run(None), ["text", "None", "not a string or a list of strings"]),
        (lambda m, r: m.run(b"abc"), ["text", "b'abc'", "not a string"]),
        (lambda m, r: m.run(5), ["text", "5"]),
        (lambda m, r: m.run("abc\udc80def"), ["text", "lone surrogate", "'\\udc80'"]),
        (lambda m, r: m.run(["ok", "d\ud800"]), ["text 2", "lone surrogate"]),
        (lambda m, r: m.run(["ok", None]), ["text 2", "None"]),
        (lambda m, r: m.run_ids([]), ["ids", "no sequences"]),
        (lambda m, r: m.run_ids(None), ["ids", "None", "list of token-id lists"]),
        (lambda m, r: m.run_ids([[1.5, 2]]), ["ids", "1.5", "must be integers"]),
        (lambda m, r: m.run_ids([[None]]), ["ids", "None", "must be integers"]),
        (lambda m, r: m.run_ids([b"ab"]), ["ids", "b'ab'", "not a list of integers"]),
        (lambda m, r: m.run_ids([[1, True]]), ["ids", "True", "must be integers"]),
        (lambda m, r: m.run(TEXT, reuse="previous"), ["reuse", "'previous'", "not a Run"]),
        (lambda m, r: m.run(TEXT, progress=5), ["progress", "5", "not callable"]),
        (lambda m, r: r.attention(None, 0), ["layer", "None", "not an integer"]),
        (lambda m, r: r.attention(0, 1.0), ["head", "1.0", "not an integer"]),
        (lambda m, r: r.attention(0, 0, seq=b"0"), ["seq", "b'0'", "not an integer"]),
        (lambda m, r: r.layer_attention("0"), ["layer", "'0'", "not an integer"]),
        (lambda m, r: r.visible(None), ["seq", "None", "not an integer"]),
        (lambda m, r: r.next_tokens(3, seq=None), ["seq", "None"]),
        (lambda m, r: r.attention_rows(0, 0, None), ["rows", "None"]),
        (lambda m, r: r.attention_rows(0, 0, "01"), ["rows", "'01'"]),
        (lambda m, r: r.attention_rows(0, 0, [10**30]), ["rows"]),
        (lambda m, r: r.attention_rows(0, 0, [[0, 1], [1]]), ["rows"]),
        (lambda m, r: list(r.attention_blocks(0, None)), ["head", "None"]),
        (lambda m, r: r.mean_attention(-1), ["layer", "-1", "out of range"]),
        (lambda m, r: m.to(5), ["device", "5", "not a device name"]),
    ],
)
def test_every_bad_argument_gets_a_value_error_naming_it(tiny, call, words):
    with pytest.raises(ValueError) as error:
        call(tiny, tiny.run(TEXT))
    for word in words:
        assert word in str(error.value)


def test_resolved_options_of_another_kind_are_refused_by_resolve(tiny):
    from models.options import resolve

    resolved = tiny._resolve(None, {})
    assert isinstance(resolved, ResolvedOptions)
    with pytest.raises(ValueError, match="options: .* is not a RunOptions"):
        resolve(resolved, tiny.config)
