"""SettingsForm alone: values read back as given, None fields, active fields, problems shown on their field."""

import pytest
from widget_helpers import show

from explorer.gui.widgets.settings_form import Field, SettingsForm

FIELDS = [
    Field("system", "System", choices=(("Transformer", "transformer"), ("GRU", "gru"))),
    Field("heads", "Heads", minimum=1, maximum=16),
    Field("kv_heads", "KV heads", minimum=0, maximum=16, none_text="= heads"),
    Field("dropout", "Dropout", minimum=0.0, maximum=0.9, decimals=2),
]


@pytest.fixture
def form(qtbot):
    return show(qtbot, SettingsForm(FIELDS), 300, 300)


def test_values_round_trip_including_none(form):
    values = {"system": "gru", "heads": 4, "kv_heads": None, "dropout": 0.1}
    form.set_values(values)
    assert form.values() == values
    form.set_values({"kv_heads": 2, "unknown": 1})
    assert form.values()["kv_heads"] == 2


def test_a_choice_not_offered_is_refused_naming_the_field(form):
    with pytest.raises(ValueError, match="system"):
        form.set_values({"system": "lstm"})


def test_user_edits_are_announced_with_the_field_but_set_values_is_quiet(qtbot, form):
    seen = []
    form.edited.connect(seen.append)
    form.set_values({"heads": 8})
    assert seen == []
    form.editors["heads"].setValue(2)
    form.editors["system"].setCurrentIndex(1)
    assert seen == ["heads", "system"]


def test_only_the_fields_the_system_uses_are_enabled(form):
    form.set_active({"system", "heads"})
    assert form.editors["heads"].isEnabled() and not form.editors["kv_heads"].isEnabled()


def test_a_problem_is_written_under_the_form_and_its_field_outlined(form):
    form.show_problem("heads: 3 does not divide d_model 64", "heads")
    assert form.problem.isVisible() and "does not divide" in form.problem.text()
    assert "border" in form.editors["heads"].styleSheet() and form.editors["system"].styleSheet() == ""
    form.show_problem("")
    assert not form.problem.isVisible() and form.editors["heads"].styleSheet() == ""


def test_a_rule_greys_out_fields_after_changes_from_code_and_from_the_user(qtbot):
    rule = lambda values: {"system", "heads"} if values["system"] == "transformer" else {"system", "dropout"}  # noqa: E731
    form = show(qtbot, SettingsForm(FIELDS, active=rule), 300, 300)
    enabled = lambda: {name for name, editor in form.editors.items() if editor.isEnabled()}  # noqa: E731
    assert enabled() == {"system", "heads"}  # the rule holds from the start
    form.set_values({"system": "gru"})  # from code: no edit announced, the rule still follows
    assert enabled() == {"system", "dropout"}
    form.editors["system"].setCurrentIndex(0)  # from the user
    assert enabled() == {"system", "heads"}
