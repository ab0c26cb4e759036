"""Sessions v2 and the tools' saved state, second hardening sweep (issue 22): whatever a session file holds for a
tool, its check gives a ValueError naming the field or a valid state (never TypeError); a sequence index beyond
the texts is refused; and a layer or head the model lacks is said in the status bar, not silently moved."""

import json

import pytest
from gui_helpers import temporary_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.session import FORMAT, load_session
from explorer.core.views import ModelInfo
from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.tools.compare.state import CompareState
from explorer.gui.tools.flow.state import FlowState
from explorer.gui.tools.generate.state import GenerateState
from explorer.gui.tools.heads.state import HeadsState
from explorer.gui.tools.maps.state import MapsState
from explorer.gui.tools.seq2seq.state import Seq2seqState
from explorer.gui.workspace import Workspace

FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["pooling", "head", "js", "cross", "mean", "attention", "prefix_matching"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=10,
)
STATES = {
    "maps": MapsState,
    "heads": HeadsState,
    "flow": FlowState,
    "compare": CompareState,
    "generate": GenerateState,
    "seq2seq": Seq2seqState,
}


def fields_of(name):
    """Objects with the tool's own field names (and a stray one), each holding anything JSON can."""
    names = [*STATES[name].__dataclass_fields__, "page", "pages", "unknown"]
    return st.dictionaries(st.sampled_from(names), json_values, max_size=4)


@pytest.mark.parametrize("name", sorted(STATES))
@FUZZ
@given(data=st.data())
def test_every_tool_state_is_checked_by_type(name, data):
    value = data.draw(st.one_of(fields_of(name), json_values))
    try:
        state = STATES[name].from_dict(value)
    except ValueError as error:
        assert f"tools.{name}" in str(error)
        return
    assert STATES[name].from_dict(state.to_dict()) == state


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    jobs = JobRunner()
    shell = Shell(Workspace(jobs), temporary_settings(tmp_path_factory.mktemp("sessions")))
    shell.show()
    yield shell
    shell.close()


@pytest.mark.parametrize("page", [["pooling"], {"pooling": 1}, 3, None, True])
def test_a_foundations_page_of_the_wrong_kind_names_the_field(window, page):
    tool = window.open_tool("foundations")
    with pytest.raises(ValueError, match="tools.foundations.page"):
        tool.check_state({"page": page})


@FUZZ
@given(value=st.dictionaries(st.sampled_from(["page", "pages", "other"]), json_values, max_size=3))
def test_any_foundations_state_is_a_value_error_or_accepted(window, value):
    tool = window.open_tool("foundations")
    try:
        tool.check_state(value)
    except ValueError as error:
        assert "tools.foundations" in str(error)


def test_a_sequence_index_beyond_the_texts_is_refused(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 2, "model": "gpt2", "texts": ["a", "b"], "seq": 5}))
    with pytest.raises(ValueError, match='"seq" is 5, but the session has 2 text'):
        load_session(path)


def test_a_layer_the_model_lacks_is_said_not_silently_moved(window):
    tool = window.open_tool("maps")
    tool.restore_state({"layer": 1_000_000, "head": 3, "view": "head"})
    info = ModelInfo("tiny", "llama", 4, 8, 2, 128, True, "rope", 10000.0, "cpu", ("cpu",), "test")
    window.statusBar().clearMessage()
    tool._on_model(info)
    assert (tool.state.layer, tool.state.head) == (3, 3)
    message = window.statusBar().currentMessage()
    assert "1000000" in message and "tiny" in message and "showing layer 3, head 3" in message
    window.statusBar().clearMessage()
    tool._on_model(info)  # already inside: nothing to say
    assert window.statusBar().currentMessage() == ""
