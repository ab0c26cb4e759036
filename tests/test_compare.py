"""Comparing two variants (models.analysis.compare): KL and JS per head against direct numpy formulas on real
SmolLM2 weights, the Done-when cases of issue 13 (identical variants, an exact KV expansion, two masks), the
two-model tokenizer check, and the variant-spec grammar of `analyze compare`."""

import json
import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.variant_spec import parse_variant
from models.analysis import compare, compare_runs, diff_map, run_pair
from models.analysis.compare import row_divergences
from models.options import RunOptions

TEXT = "The quick brown fox jumps over the lazy dog, and the dog did not mind at all."
WINDOW = 8


def numpy_kl(a: np.ndarray, b: np.ndarray, seen_by_b: np.ndarray | None = None) -> np.ndarray:
    """KL(A‖B) per row in nats, the textbook sum over a > 0 of a·ln(a/b); +inf where a > 0 and b = 0, except
    where B's mask shows the key (seen_by_b): there b = 0 is float32 underflow, read as the smallest float32."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    if seen_by_b is not None:
        b = np.where(seen_by_b & (b == 0), np.finfo(np.float32).smallest_subnormal, b)
    out = np.zeros(a.shape[0])
    for i, (p, q) in enumerate(zip(a, b)):
        support = p > 0
        out[i] = math.inf if (q[support] == 0).any() else float(np.sum(p[support] * np.log(p[support] / q[support])))
    return out


def numpy_js(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = a.astype(np.float64), b.astype(np.float64)
    m = 0.5 * (a + b)
    return 0.5 * numpy_kl(a, m) + 0.5 * numpy_kl(b, m)


@pytest.fixture(scope="module")
def masks(smollm):
    return compare(smollm, TEXT, a={"mask": "causal"}, b={"mask": f"causal,window={WINDOW}"})


def test_identical_variants_give_zero_kl_and_a_zero_diff(smollm):
    result = compare(smollm, TEXT, a=RunOptions(temperature=0.7), b={"temperature": 0.7})
    assert result.compared.all() and result.compared.size == len(result.tokens)
    assert np.array_equal(result.kl, np.zeros_like(result.kl))
    assert np.array_equal(result.js, np.zeros_like(result.js))
    assert (result.infinite_rows == 0).all()
    for layer, head in ((0, 0), (14, 4), (29, 8)):
        diff = diff_map(result.run_a, result.run_b, layer, head)
        assert np.array_equal(diff.diff, np.zeros_like(diff.diff))
        assert np.array_equal(diff.a, result.run_a.attention(layer, head))
    assert result.next_a == result.next_b


def test_nine_kv_heads_are_an_exact_expansion_of_smollms_three(smollm):
    result = compare(smollm, TEXT, a=None, b={"kv_heads": 9})
    assert result.run_a.kv_heads == 3 and result.run_b.kv_heads == 9
    assert np.isfinite(result.kl).all() and result.kl.max() < 1e-6
    assert result.js.max() < 1e-6


def test_two_masks_differ_exactly_in_the_rows_where_the_masks_differ(masks):
    visible_a, visible_b = masks.run_a.visible(), masks.run_b.visible()
    differ = (visible_a != visible_b).any(axis=-1)  # (N,): the rows the window changes
    assert differ.tolist() == [i >= WINDOW for i in range(len(masks.tokens))]
    n_layers, n_heads = masks.kl.shape
    for layer in range(n_layers):
        for head in range(n_heads):
            assert ((masks.kl_rows[layer, head] > 0) == differ).all(), (layer, head)
            assert ((masks.js_rows[layer, head] > 0) == differ).all(), (layer, head)
    # Row i >= 8 loses key 0, which every causal head gives some weight: KL(A‖B) is +inf there, JS stays finite.
    assert (masks.infinite_rows == differ.sum()).all()
    assert np.isinf(masks.kl).all() and np.isfinite(masks.js).all()
    assert (masks.js <= math.log(2)).all()
    assert np.array_equal(masks.kl_finite, np.zeros_like(masks.kl_finite))  # the rows before 8 are the same


def test_per_row_values_match_direct_numpy_formulas(masks):
    for layer, head in ((0, 3), (11, 0), (29, 7)):
        a, b = masks.run_a.attention(layer, head), masks.run_b.attention(layer, head)
        np.testing.assert_allclose(masks.js_rows[layer, head], numpy_js(a, b), rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(np.isinf(masks.kl_rows[layer, head]), np.isinf(numpy_kl(a, b)))
        assert masks.js[layer, head] == pytest.approx(numpy_js(a, b).mean(), rel=1e-12)


def test_kl_and_js_against_numpy_and_scipy_where_every_row_is_finite(smollm):
    from scipy.spatial.distance import jensenshannon

    result = compare(smollm, TEXT, a=None, b={"temperature": 0.5})
    assert np.isfinite(result.kl).all() and (result.kl > 0).all()
    seen = result.run_b.visible()
    # Layer 18 head 8: at T = 0.5 one of B's visible cells underflows to 0 where A has 1.7e-20: finite, not inf.
    a, b = result.run_a.attention(18, 8), result.run_b.attention(18, 8)
    assert ((a > 0) & (b == 0) & seen).any() and np.isinf(numpy_kl(a, b)).any()
    for layer, head in ((2, 1), (20, 5), (18, 8)):
        a, b = result.run_a.attention(layer, head), result.run_b.attention(layer, head)
        # kl_div adds Σb − Σa per row, 0 for exact distributions: float32 rows sum to 1 within ~1e-6 only.
        np.testing.assert_allclose(result.kl_rows[layer, head], numpy_kl(a, b, seen), rtol=1e-6, atol=1e-6)
        scipy_js = jensenshannon(a.astype(np.float64), b.astype(np.float64), axis=1) ** 2  # base e
        np.testing.assert_allclose(result.js_rows[layer, head], scipy_js, rtol=1e-6, atol=1e-9)
        assert result.kl[layer, head] == pytest.approx(numpy_kl(a, b, seen).mean(), abs=1e-6)
    np.testing.assert_allclose(result.kl_finite, result.kl, rtol=1e-12)  # every row finite: the same mean


def test_the_diff_map_is_b_minus_a_with_both_masks(masks):
    diff = diff_map(masks.run_a, masks.run_b, 5, 2)
    a, b = masks.run_a.attention(5, 2), masks.run_b.attention(5, 2)
    np.testing.assert_array_equal(diff.diff, b - a)
    np.testing.assert_array_equal(diff.visible, masks.run_a.visible() | masks.run_b.visible())
    assert diff.diff[WINDOW, 0] == -a[WINDOW, 0] < 0  # B's window hides key 0 from row 8: all of A's weight goes


def test_to_dict_is_plain_json_with_infinity_spelled_out(masks):
    data = json.loads(json.dumps(masks.to_dict(), allow_nan=False))
    assert data["units"] == "nats"
    assert data["kl"][0][0] == "inf" and data["kl_infinite_rows"][0][0] == len(masks.tokens) - WINDOW
    assert data["js"][3][4] == pytest.approx(masks.js[3, 4])
    assert data["variant_b"]["mask"] == f"causal,window={WINDOW}"
    assert [entry["token"] for entry in data["next_tokens_a"]] == [token for token, _ in masks.next_a]


def test_a_second_model_needs_the_same_vocabulary(smollm, minilm):
    with pytest.raises(ValueError, match="model_b: .*vocabulary differs.*same tokenizer"):
        run_pair(smollm, TEXT, model_b=minilm)
    run_a, run_b = run_pair(smollm, TEXT, b={"kv_heads": 1}, model_b=smollm)  # the same vocabulary: accepted
    assert run_a.ids == run_b.ids


def test_runs_of_different_ids_or_shapes_are_refused(smollm, minilm):
    one, other = smollm.run(TEXT), smollm.run(TEXT + " Yes.")
    with pytest.raises(ValueError, match="run_b: the two runs read different token ids"):
        compare_runs(one, other)
    with pytest.raises(ValueError, match="run_b: .*6 layers × 12 heads"):
        compare_runs(one, minilm.run(TEXT))
    with pytest.raises(ValueError, match="seq"):
        compare_runs(one, one, seq=1)
    with pytest.raises(ValueError, match="text: .* is not text"):
        run_pair(smollm, [TEXT])
    with pytest.raises(ValueError, match="b: .* is not RunOptions"):
        run_pair(smollm, TEXT, b="causal")


def test_an_encoder_compares_without_next_tokens(minilm):
    result = compare(minilm, "A small encoder reads both ways.", a=None, b={"mask": "causal"})
    assert result.next_a is None and result.next_b is None
    assert result.infinite_rows.sum() > 0 and np.isfinite(result.js).all()


# -- the variant spec of `analyze compare --a/--b` ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", RunOptions()),
        ("model", RunOptions()),
        ("mask=causal", RunOptions(mask="causal")),
        ("mask=causal,window=8", RunOptions(mask="causal,window=8")),
        ("window=8", RunOptions(mask="window=8")),
        ("no-self, prefix=4", RunOptions(mask="no-self,prefix=4")),
        ("kv-heads=1,temperature=0.5", RunOptions(kv_heads=1, temperature=0.5)),
        ("pos=rope,rope-theta=100000", RunOptions(pos="rope", rope_theta=100000.0)),
        ("padding-mask=off,mask=bidirectional", RunOptions(mask="bidirectional", padding_mask=False)),
    ],
)
def test_variant_specs(spec, expected):
    assert parse_variant(spec, "--b") == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("window=0", "--b: mask window=W"),
        ("causal,bogus", "--b: mask: unknown part 'bogus'"),
        ("kv-heads=two", "--b: kv-heads='two' is not a whole number"),
        ("temperature=hot", "--b: temperature='hot' is not a number"),
        ("temperature=-1", "--b: temperature"),
        ("pos=spiral", "--b: pos='spiral' is unknown"),
        ("padding-mask=maybe", "--b: padding-mask='maybe' is not on or off"),
        ("kv-heads=1,kv-heads=3", "--b: kv-heads is given twice"),
        ("causal,,window=8", "--b: an empty item"),
    ],
)
def test_bad_variant_specs_name_the_option(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_variant(spec, "--b")


MASKS = st.sampled_from([None, "causal", "bidirectional", "causal,window=3", "no-self", "prefix=2,no-self"])


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    mask=MASKS,
    kv=st.one_of(st.none(), st.integers(1, 64)),
    temperature=st.floats(0.05, 20.0),
    theta=st.one_of(st.none(), st.floats(1.0, 1e8)),
    padding=st.booleans(),
    pos=st.sampled_from(["model", "rope", "alibi", "none", "sinusoidal"]),
)
def test_a_spec_written_from_options_parses_back_to_them(mask, kv, temperature, theta, padding, pos):
    options = RunOptions(mask, padding, pos, theta, kv, temperature)
    items = [f"mask={mask}"] if mask else []
    items += [f"pos={pos}", f"temperature={temperature!r}", f"padding-mask={'on' if padding else 'off'}"]
    items += [f"kv-heads={kv}"] if kv is not None else []
    items += [f"rope-theta={theta!r}"] if theta is not None else []
    assert parse_variant(",".join(items)) == options


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(st.characters(exclude_categories=()), max_size=40))
def test_any_text_parses_or_raises_a_value_error(text):
    try:
        parse_variant(text, "--a")
    except ValueError as error:
        assert str(error).startswith("--a: ")


def test_compare_runs_streams_blocks_and_matches_the_full_maps(tiny_causal_lm, monkeypatch):
    """Issue 27: compare_runs reads both runs block by block (a full (H, N, N) layer is 17 GB at 32k tokens on
    Gemma 3), with the divergences of the full maps: 700 tokens make several row blocks, and a window in B
    gives the two runs different key ranges in each block."""
    model = tiny_causal_lm
    ids = [int(i) for i in np.random.default_rng(3).integers(3, model.config.vocab_size, 700)]
    run_a = model.run_ids([ids])
    run_b = model.run_ids([ids], options=RunOptions.from_dict({"mask": "causal,window=40", "temperature": 0.8}))
    reference = {
        (layer, head): (run_a.attention(layer, head), run_b.attention(layer, head), run_b.visible(0, layer=layer))
        for layer in range(run_a.n_layers)
        for head in range(run_a.n_heads)
    }
    whole = type(run_a).visible

    def rows_only(self, seq=0, layer=None, rows=None):
        assert rows is not None and len(rows) <= 100, "the N × N visibility was read whole"
        return whole(self, seq, layer, rows)

    engine = sys.modules["models.analysis.compare"]  # the module (the package's `compare` is its function)
    monkeypatch.setattr(engine, "VISIBILITY_CELLS", 100 * len(ids), raising=False)  # chunks of 100 rows
    monkeypatch.setattr(type(run_a), "layer_attention", lambda *a, **k: pytest.fail("a whole layer was built"))
    monkeypatch.setattr(type(run_a), "attention_and_visibility", lambda *a, **k: pytest.fail("a whole map"))
    monkeypatch.setattr(type(run_a), "visible", rows_only)
    reports = []
    result = compare_runs(run_a, run_b, progress=lambda done, total: reports.append((done, total)))
    assert result.compared.all()
    dones = [done for done, _total in reports]
    assert dones == sorted(dones) and dones[-1] == run_a.n_layers and {t for _d, t in reports} == {run_a.n_layers}
    assert any(0 < done < 1 for done in dones)  # within a layer too: a cancel need not wait for a whole layer
    for (layer, head), (a, b, seen_by_b) in reference.items():
        whole_kl, whole_js = row_divergences(a, b, seen_by_b)  # what compare_runs computed from the full maps
        np.testing.assert_allclose(result.kl_rows[layer, head], whole_kl, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(result.js_rows[layer, head], whole_js, rtol=1e-12, atol=1e-15)
        kl = numpy_kl(a, b, seen_by_b)  # the textbook sum: equal within the float32 rows' own rounding
        np.testing.assert_allclose(result.kl_rows[layer, head], kl, rtol=0, atol=1e-6)
        np.testing.assert_allclose(result.js_rows[layer, head], numpy_js(a, b), rtol=0, atol=1e-6)
        assert result.infinite_rows[layer, head] == np.isinf(kl).sum() > 0
