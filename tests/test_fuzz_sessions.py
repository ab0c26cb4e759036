"""Property-based tests of session loading: whatever a file holds, load_session gives a SessionState or a
ValueError that names the file; never another exception (no TypeError, AttributeError, RecursionError…)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.session import FORMAT, load_session
from explorer.core.state import SessionState
from models.options import RunOptions

NAME = "fuzzed.json"
FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", "causal", "no-self,window=2", "model", "__import__('os').system('true')", "\ud800"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)
option_values = st.fixed_dictionaries(
    {},
    optional={name: json_values for name in (*RunOptions.__dataclass_fields__, "unknown")},
)
texts = st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=3)
FIELDS = ("seq", "source_file", "device", "tools", "active_tool", "layer", "head", "view")


def documents():
    """Mostly well-formed sessions with some fields replaced by anything JSON can hold."""
    base = st.fixed_dictionaries(
        {
            "format": st.sampled_from([FORMAT] * 9 + ["other"]),
            "version": st.sampled_from([1, 2, 2, 2, 2, 3, "2"]),
            "model": st.one_of(st.just("smollm2-135m-instruct"), st.just("gpt2"), json_values),
            "texts": st.one_of(texts, texts, json_values),
            "options": st.one_of(option_values, option_values, json_values),
        },
        optional={name: json_values for name in FIELDS},
    )
    return st.one_of(base, base, base, json_values)


def load(directory: str, content: bytes):
    path = Path(directory) / NAME
    path.write_bytes(content)
    try:
        return load_session(path)
    except ValueError as error:
        assert NAME in str(error), f"the message names the file: {error}"
        return error


def check_state(result) -> None:
    if isinstance(result, SessionState):
        assert isinstance(result.model, str) and result.model
        # Texts may be empty (a session saved with an empty editor reopens), but there is at least one.
        assert result.texts and all(isinstance(t, str) for t in result.texts)
        assert 0 <= result.seq < len(result.texts)
        assert isinstance(result.options, RunOptions) and result.options.checked() == result.options
        assert all(isinstance(name, str) and isinstance(data, dict) for name, data in result.tools.items())
        json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # what save_session will write


@pytest.fixture(scope="module")
def directory():
    with tempfile.TemporaryDirectory() as folder:
        yield folder


@FUZZ
@given(document=documents())
def test_any_json_document_is_a_session_state_or_a_value_error_naming_the_file(directory, document):
    try:
        content = json.dumps(document).encode("ascii")  # lone surrogates travel as \\ud800 escapes
    except ValueError:  # a NaN key and the like; the bytes test below covers files json.dumps cannot make
        return
    check_state(load(directory, content))


@FUZZ
@given(content=st.binary(max_size=300))
def test_any_bytes_are_a_session_state_or_a_value_error_naming_the_file(directory, content):
    check_state(load(directory, content))


@FUZZ
@given(
    prefix=st.sampled_from([b"", b'{"format": "attention-explorer-session", "version": 2, "texts": ']),
    brackets=st.text(alphabet='[{]}"\\:,1', min_size=1, max_size=2000),
)
def test_brackets_and_quotes_never_reach_the_parser_unbounded(directory, prefix, brackets):
    check_state(load(directory, prefix + brackets.encode()))
