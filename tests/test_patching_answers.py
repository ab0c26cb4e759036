"""The Patching tool's answer pickers ask the engine for a listed prediction by its token id: its label may be no
text that encodes to it ('[U+0800–U+0FFF]', a partial character's placeholder on a byte-level tokenizer), and
asking by the label failed with "is 17 tokens, not one" (found by the qa tour on a tiny model)."""

from explorer.gui.tools.patching.inputs import PatchingInputs

PREDICTIONS = [("[U+0800–U+0FFF]", 0.4), (" Mary", 0.3), ("猫(1/3)", 0.1)]
IDS = [231, 5411, 172]


def test_a_listed_prediction_is_asked_for_by_its_id_and_typed_text_as_it_is(qtbot):
    inputs = PatchingInputs()
    qtbot.addWidget(inputs)
    inputs.set_predictions(PREDICTIONS, " Mary", " John", IDS)
    assert inputs.token(inputs.answer) == 5411  # the kept answer is the listed prediction again
    assert inputs.picked(inputs.answer) == " Mary"  # what the state and a session keep: readable text
    assert inputs.token(inputs.wrong) == " John"  # typed, not listed: the text as it is
    inputs.answer.setCurrentIndex(0)
    assert inputs.token(inputs.answer) == 231 and inputs.picked(inputs.answer) == "[U+0800–U+0FFF]"
    inputs.set_predictions(PREDICTIONS, "[U+0800–U+0FFF]", "猫(1/3)", IDS)  # the next run of the same texts
    assert (inputs.token(inputs.answer), inputs.token(inputs.wrong)) == (231, 172)


def test_without_ids_a_listed_prediction_is_its_label(qtbot):
    inputs = PatchingInputs()
    qtbot.addWidget(inputs)
    inputs.set_predictions(PREDICTIONS, " Mary", " John")
    assert inputs.token(inputs.answer) == " Mary"
