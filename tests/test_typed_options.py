"""RunOptions as a typed value: from_dict's checks, the shared defaults, and Model.run taking the object."""

import ast
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from test_options import BERT, LLAMA

from models.options import (
    DEFAULT_ROPE_THETA,
    MaskSpec,
    RunOptions,
    attention_kind,
    default_rope_theta,
    divisors,
    resolve,
)

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "The old lighthouse keeper watched the stormy sea every night"
MISTRAL = replace(LLAMA, architecture="mistral", rope_theta=1e6, sliding_window=4)


def test_from_dict_round_trips_and_fills_defaults():
    options = RunOptions(mask="causal,window=3", padding_mask=False, pos="alibi", rope_theta=50.0, kv_heads=2)
    assert RunOptions.from_dict(options.to_dict()) == options
    assert RunOptions.from_dict({}) == RunOptions()
    assert RunOptions.from_dict({"pos": "ALiBi"}).pos == "alibi"
    assert RunOptions.from_dict({"temperature": 2}) == RunOptions(temperature=2.0)


def test_from_dict_takes_numpy_scalars_as_python_numbers():
    options = RunOptions.from_dict(
        {"kv_heads": np.int64(3), "temperature": np.float32(0.5), "rope_theta": np.float64(2.5e4)}
    )
    assert options == RunOptions(kv_heads=3, temperature=0.5, rope_theta=25000.0)
    assert type(options.kv_heads) is int
    assert type(options.temperature) is float and type(options.rope_theta) is float


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"masks": "causal"}, ["run: unknown option 'masks'", "allowed: mask, padding_mask, pos, rope_theta"]),
        ({"mask": 3}, ["mask", "3", "not text", "window=W"]),
        ({"mask": "causal,sideways"}, ["mask", "'sideways'", "allowed parts"]),
        ({"padding_mask": "yes"}, ["padding-mask", "'yes'", "True (on) or False (off)"]),
        ({"padding_mask": 1}, ["padding-mask", "1", "True (on) or False (off)"]),
        ({"pos": "relative"}, ["pos", "'relative'", "model, none, rope, sinusoidal, alibi"]),
        ({"pos": None}, ["pos", "None", "model, none, rope"]),
        ({"rope_theta": 0}, ["rope-theta", "0", "finite number > 0"]),
        ({"rope_theta": float("inf")}, ["rope-theta", "inf", "finite number > 0"]),
        ({"rope_theta": "1e4"}, ["rope-theta", "'1e4'", "finite number > 0"]),
        ({"rope_theta": True}, ["rope-theta", "True", "finite number > 0"]),
        ({"kv_heads": 0}, ["kv-heads", "0", "integer >= 1"]),
        ({"kv_heads": True}, ["kv-heads", "True", "integer >= 1"]),
        ({"kv_heads": 2.0}, ["kv-heads", "2.0", "integer >= 1"]),
        ({"kv_heads": np.float64(2.0)}, ["kv-heads", "2.0", "integer >= 1"]),
        ({"kv_heads": "2"}, ["kv-heads", "'2'", "integer >= 1"]),
        ({"temperature": 0}, ["temperature", "0", "finite number > 0"]),
        ({"temperature": float("nan")}, ["temperature", "nan", "finite number > 0"]),
        ({"temperature": None}, ["temperature", "None", "finite number > 0"]),
        ({"temperature": np.bool_(True)}, ["temperature", "True", "finite number > 0"]),
    ],
)
def test_from_dict_names_the_field_the_value_and_what_is_allowed(data, words):
    with pytest.raises(ValueError) as error:
        RunOptions.from_dict(data)
    for word in words:
        assert word in str(error.value)


def test_from_dict_needs_a_mapping():
    with pytest.raises(ValueError, match=r"run options: \['causal'\] is not a mapping"):
        RunOptions.from_dict(["causal"])


def test_resolve_applies_the_same_checks_to_a_directly_built_object():
    with pytest.raises(ValueError, match=r"padding-mask: 'on' is not allowed"):
        resolve(RunOptions(padding_mask="on"), LLAMA)
    with pytest.raises(ValueError, match=r"kv-heads: True is not allowed"):
        resolve(RunOptions(kv_heads=True), LLAMA)
    assert resolve(RunOptions(kv_heads=np.int32(4)), LLAMA).kv_heads == 4


def test_default_rope_theta_is_the_models_own_only_for_rope_models():
    assert default_rope_theta("rope", 500.0) == 500.0
    assert default_rope_theta("learned", 500.0) == DEFAULT_ROPE_THETA == 10000.0
    assert default_rope_theta("alibi", 1e6) == 10000.0
    assert resolve(RunOptions(), LLAMA).rope_theta == default_rope_theta(LLAMA.positional, LLAMA.rope_theta) == 500.0
    assert resolve(RunOptions(pos="rope"), BERT).rope_theta == 10000.0


@pytest.mark.parametrize(
    ("n_heads", "kv_heads", "kind"), [(8, 8, "MHA"), (8, 1, "MQA"), (8, 2, "GQA"), (9, 3, "GQA"), (1, 1, "MHA")]
)
def test_attention_kind(n_heads, kv_heads, kind):
    assert attention_kind(n_heads, kv_heads) == kind


def test_attention_kind_refuses_a_count_that_does_not_divide_the_heads():
    with pytest.raises(ValueError, match=r"kv-heads: 3 does not divide the 8 query heads; allowed: 1, 2, 4, 8"):
        attention_kind(8, 3)


def test_divisors_are_the_allowed_kv_head_counts():
    assert divisors(9) == [1, 3, 9]
    assert divisors(12) == [1, 2, 3, 4, 6, 12]


@pytest.mark.parametrize("config", [LLAMA, BERT, MISTRAL], ids=lambda c: c.architecture)
@pytest.mark.parametrize(
    "options",
    [
        RunOptions(),
        RunOptions(mask="no-self"),
        RunOptions(mask="prefix=3,window=2", pos="alibi", kv_heads=1, temperature=0.5),
        RunOptions(pos="sinusoidal", rope_theta=42.0, padding_mask=False),
    ],
)
def test_resolved_options_as_run_options_resolve_to_the_same_thing(config, options):
    resolved = resolve(options, config)
    again = resolved.as_run_options()
    assert RunOptions.from_dict(again.to_dict()) == again
    assert resolve(again, config) == resolved


def test_as_run_options_values():
    assert resolve(RunOptions(), BERT).as_run_options() == RunOptions(
        mask="bidirectional", padding_mask=True, pos="model", rope_theta=10000.0, kv_heads=4, temperature=1.0
    )
    assert resolve(RunOptions(), MISTRAL).as_run_options().mask == "causal,window=4"
    assert resolve(RunOptions(), BERT).describe()["pos"] == "learned"  # what a status line shows


def test_a_user_mask_replaces_a_sliding_window_models_own_window():
    assert resolve(RunOptions(), MISTRAL).mask == MaskSpec(base="causal", window=4)
    assert resolve(RunOptions(mask="model"), MISTRAL).mask == MaskSpec(base="causal", window=4)
    assert resolve(RunOptions(mask="no-self"), MISTRAL).mask == MaskSpec(base="causal", no_self=True)


def test_parse_mask_is_the_only_mask_parser_in_the_engine():
    # The grammar's own tokens, as a parser would have to spell them.
    tokens = {"no-self", "window", "prefix", ","}
    offenders = []
    for path in (ROOT / "models").rglob("*.py"):
        where = path.relative_to(ROOT).as_posix()
        # The labs' toy models never take a mask spec; their tasks' alphabets hold "," as data (dates).
        if where == "models/options.py" or where.startswith("models/lab/"):
            continue
        tree = ast.parse(path.read_text())
        # An f-string's format spec ("{n:,}") is not a string the code compares text with.
        specs = {
            id(c)
            for f in ast.walk(tree)
            if isinstance(f, ast.FormattedValue) and f.format_spec
            for c in ast.walk(f.format_spec)
        }
        for node in ast.walk(tree):
            if id(node) in specs:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in tokens or node.value.startswith(("window=", "prefix=")):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value[:40]!r}")
    assert offenders == []


# -- Model.run with a RunOptions object -------------------------------------------------------------------------


def test_run_takes_a_run_options_object_or_keywords_alike(minilm):
    options = RunOptions(mask="causal,window=3", kv_heads=4, temperature=2.0)
    by_object = minilm.run(SENTENCE, options=options)
    by_keywords = minilm.run(SENTENCE, mask="causal,window=3", kv_heads=np.int64(4), temperature=2.0)
    assert by_object.options == by_keywords.options == resolve(options, minilm.config)
    assert np.array_equal(by_object.layer_attention(2), by_keywords.layer_attention(2))
    ids_run = minilm.run_ids(by_object.ids, options=options)
    assert np.array_equal(ids_run.layer_attention(2), by_object.layer_attention(2))


def test_run_refuses_both_forms_at_once_and_anything_but_run_options(minilm):
    with pytest.raises(ValueError, match=r"run: options=.* and keywords \(mask\) were both given"):
        minilm.run(SENTENCE, options=RunOptions(), mask="causal")
    with pytest.raises(ValueError, match=r"options: \{'mask': 'causal'\} is not a RunOptions"):
        minilm.run(SENTENCE, options={"mask": "causal"})
    with pytest.raises(ValueError, match=r"temperature: 'hot' is not allowed; it must be a finite number > 0"):
        minilm.run(SENTENCE, temperature="hot")
    with pytest.raises(ValueError, match=r"run: unknown option 'heads'"):
        minilm.run_ids([[101, 102]], heads=2)
