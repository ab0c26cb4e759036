"""Run options: parsing, validation messages, and the exact shape of every mask part."""

import pytest
import torch

from models.nn.config import TransformerConfig
from models.nn.masks import visibility
from models.options import MaskSpec, RunOptions, parse_mask, resolve

LLAMA = TransformerConfig(
    architecture="llama",
    d_model=64,
    n_layers=2,
    n_heads=8,
    n_kv_heads=2,
    d_head=8,
    d_mlp=128,
    vocab_size=100,
    n_ctx=64,
    norm="rms",
    mlp="swiglu",
    positional="rope",
    rope_theta=500.0,
    causal=True,
)
BERT = TransformerConfig(
    architecture="bert",
    d_model=64,
    n_layers=2,
    n_heads=4,
    n_kv_heads=4,
    d_head=16,
    d_mlp=128,
    vocab_size=100,
    n_ctx=64,
    norm_placement="post",
    positional="learned",
    causal=False,
)


def grid(spec: MaskSpec, n: int, real=None) -> list[list[int]]:
    return visibility(spec, n, None if real is None else torch.tensor(real)).int().tolist()


def test_parse_mask_parts():
    assert parse_mask("causal") == MaskSpec(base="causal")
    assert parse_mask(" bidirectional , no-self ") == MaskSpec(base="bidirectional", no_self=True)
    assert parse_mask("causal,window=3") == MaskSpec(base="causal", window=3)
    assert parse_mask("prefix=2") == MaskSpec(prefix=2)
    assert parse_mask(None) == MaskSpec() == parse_mask("model")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("causal,sideways", ["unknown part 'sideways'", "allowed parts"]),
        ("window=0", ["window=W", "0", ">= 1"]),
        ("window=x", ["window=W", "'x'", "not an integer"]),
        ("prefix=-1", ["prefix=P", "-1"]),
        ("causal,bidirectional", ["both causal and bidirectional"]),
        ("bidirectional,prefix=2", ["prefix=P", "bidirectional"]),
        ("causal,causal", ["given twice"]),
    ],
)
def test_bad_masks_name_the_option_value_and_rule(text, words):
    with pytest.raises(ValueError) as error:
        parse_mask(text)
    message = str(error.value)
    assert message.startswith("mask")
    for word in words:
        assert word in message


def test_causal_window_and_no_self_grids():
    assert grid(MaskSpec(base="causal"), 3) == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    assert grid(MaskSpec(base="causal", window=2), 4) == [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]
    assert grid(MaskSpec(base="bidirectional", window=2), 4) == [
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [0, 1, 1, 1],
        [0, 0, 1, 1],
    ]
    assert grid(MaskSpec(base="bidirectional", no_self=True), 3) == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    assert grid(MaskSpec(base="causal", no_self=True), 3) == [[0, 0, 0], [1, 0, 0], [1, 1, 0]]


def test_prefix_lm_grid():
    assert grid(MaskSpec(prefix=2), 4) == [[1, 1, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]


def test_padding_hides_pad_keys():
    assert grid(MaskSpec(base="bidirectional"), 3, real=[True, True, False]) == [[1, 1, 0]] * 3


def test_defaults_come_from_the_model():
    assert resolve(RunOptions(), LLAMA).mask == MaskSpec(base="causal")
    assert resolve(RunOptions(), BERT).mask == MaskSpec(base="bidirectional")
    # A part without a base inherits the model's own base.
    assert resolve(RunOptions(mask="no-self"), BERT).mask == MaskSpec(base="bidirectional", no_self=True)
    resolved = resolve(RunOptions(), LLAMA)
    assert (resolved.positional, resolved.rope_theta, resolved.kv_heads) == ("rope", 500.0, 2)
    assert resolve(RunOptions(pos="rope"), BERT).rope_theta == 10000.0


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (RunOptions(kv_heads=3), ["kv-heads", "3", "does not divide the 8 query heads", "1, 2, 4, 8"]),
        (RunOptions(kv_heads=0), ["kv-heads", "0"]),
        (RunOptions(pos="relative"), ["pos", "relative", "model, none, rope, sinusoidal, alibi"]),
        (RunOptions(temperature=0), ["temperature", "0", "> 0"]),
        (RunOptions(temperature=float("nan")), ["temperature", "nan"]),
        (RunOptions(rope_theta=-5), ["rope-theta", "-5", "> 0"]),
    ],
)
def test_bad_options_name_the_option_value_and_rule(options, words):
    with pytest.raises(ValueError) as error:
        resolve(options, LLAMA)
    for word in words:
        assert word in str(error.value)


def test_config_validation_names_field_and_allowed_values():
    with pytest.raises(ValueError, match=r"config.norm='batch': allowed values are layer, rms"):
        TransformerConfig(
            architecture="x",
            d_model=8,
            n_layers=1,
            n_heads=2,
            n_kv_heads=2,
            d_head=4,
            d_mlp=8,
            vocab_size=10,
            n_ctx=8,
            norm="batch",
        )
    with pytest.raises(ValueError, match=r"n_kv_heads=3: must divide n_heads=4"):
        TransformerConfig(
            architecture="x", d_model=8, n_layers=1, n_heads=4, n_kv_heads=3, d_head=2, d_mlp=8, vocab_size=10, n_ctx=8
        )
