"""Property-based tests of config validation: TransformerConfig and the config readers of every architecture, given
arbitrary values for any field, either succeed or raise a ValueError that names the field; never another
exception, and never arithmetic on a value that was not checked first."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_options import LLAMA

from models.convert import GGUF, SAFETENSORS, converter
from models.nn.config import TransformerConfig

# Anything JSON or GGUF metadata can hold, plus the Python values an API caller might pass.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from([0, 1, 2, 3, 4, 6, 8, 64, 2**31 - 1, 2**31, -1, "64", "layer", "rope", "silu", "gelu"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)

BASE = LLAMA.to_dict()  # a valid config: each test breaks one field of it
FIELDS = list(TransformerConfig.__dataclass_fields__)

HF_BASES = {
    "bert": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128, vocab_size=400),
    "gpt2": dict(n_embd=64, n_layer=2, n_head=4, vocab_size=400, n_positions=64),
    "llama": dict(
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=8,
        num_key_value_heads=2,
        intermediate_size=128,
        vocab_size=400,
        rope_theta=10000.0,
        rope_scaling=None,
    ),
}
HF_BASES["mistral"] = {**HF_BASES["llama"], "sliding_window": 32}
HF_BASES["qwen2"] = dict(HF_BASES["llama"])
GGUF_BASE = {
    "embedding_length": 64,
    "attention.head_count": 8,
    "attention.head_count_kv": 2,
    "block_count": 2,
    "feed_forward_length": 128,
    "context_length": 128,
    "vocab_size": 400,
    "rope.freq_base": 10000.0,
    "attention.layer_norm_rms_epsilon": 1e-6,
    "attention.key_length": 8,
}
FAST = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def refused_by_name(error: ValueError, *names: str) -> bool:
    return any(name.split(".")[-1] in str(error) for name in names)


@FAST
@given(field=st.sampled_from(FIELDS), value=VALUES)
def test_any_value_in_any_config_field_is_accepted_or_refused_by_name(field, value):
    try:
        config = TransformerConfig(**{**BASE, field: value})
    except ValueError as error:
        assert f"config.{field}=" in str(error) or refused_by_name(error, field, "n_heads", "n_kv_heads"), error
        return
    # Accepted: then the arithmetic the engine does with it is safe.
    assert config.n_heads % config.n_kv_heads == 0 and config.kv_group_size >= 1
    assert math.isfinite(config.rope_theta) and config.norm_eps > 0


@FAST
@given(data=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=4))
def test_from_dict_never_raises_anything_but_a_value_error(data):
    try:
        TransformerConfig.from_dict({**BASE, **data})
    except ValueError:
        pass


@FAST
@given(data=VALUES)
def test_from_dict_of_anything_at_all_is_a_value_error_or_a_config(data):
    try:
        TransformerConfig.from_dict(data)
    except ValueError:
        pass


HF_FIELDS = sorted(
    {key for base in HF_BASES.values() for key in base}
    | {"head_dim", "max_position_embeddings", "layer_norm_eps", "rms_norm_eps", "type_vocab_size", "n_inner"}
    | {"pad_token_id", "tie_word_embeddings", "attention_bias", "mlp_bias", "hidden_act", "rope_parameters"}
    | {"layer_norm_epsilon", "activation_function", "position_embedding_type", "use_sliding_window", "model_type"}
)


@FAST
@given(arch=st.sampled_from(sorted(HF_BASES)), field=st.sampled_from(HF_FIELDS), value=VALUES)
def test_config_json_readers_accept_or_refuse_every_field_by_name(arch, field, value):
    hf = {**HF_BASES[arch], "model_type": arch, field: value}
    try:
        converter(SAFETENSORS, arch).config(hf)
    except ValueError as error:  # ModelLoadError and UnsupportedArchitectureError are ValueErrors
        # the file's name for the field, or ours (config.d_head for head_dim) when the check is TransformerConfig's
        assert field in str(error) or "config." in str(error) or "rope_scaling." in str(error), error


@FAST
@given(key=st.sampled_from(sorted(GGUF_BASE)), value=VALUES)
def test_gguf_metadata_reader_accepts_or_refuses_every_key_by_name(key, value):
    try:
        converter(GGUF, "llama").config({**GGUF_BASE, key: value})
    except ValueError as error:
        assert f"llama.{key}" in str(error) or "llama.attention.head_count" in str(error), error
