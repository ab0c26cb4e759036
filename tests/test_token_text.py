"""Readable token labels: byte pieces named by the character they are part of, checked against Python's own
UTF-8 decoding, and on SmolLM2's real tokenizer with the issue's Chinese sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.display import display_label
from models.io.token_text import characters, readable_tokens

CAT, SIT = "猫".encode(), "坐".encode()  # 3 bytes each: E7 8C AB, E5 9D 90


def test_a_character_split_over_three_pieces_names_each_part():
    assert readable_tokens([CAT[:1], CAT[1:2], CAT[2:]]) == ["猫(1/3)", "猫(2/3)", "猫(3/3)"]


def test_parts_count_pieces_not_bytes():
    assert readable_tokens([CAT[:2], CAT[2:]]) == ["猫(1/2)", "猫(2/2)"]


def test_one_piece_that_completes_two_characters_shows_both():
    # The middle piece ends 猫 and begins 坐: it is part of both, and says so.
    pieces = [CAT[:2], CAT[2:] + SIT[:1], SIT[1:]]
    assert readable_tokens(pieces) == ["猫(1/2)", "猫(2/2)坐(1/2)", "坐(2/2)"]


def test_a_piece_holding_whole_characters_and_a_part_shows_all():
    pieces = [b" " + CAT + SIT[:1], SIT[1:] + b"!"]
    assert readable_tokens(pieces) == [" 猫坐(1/2)", "坐(2/2)!"]


def test_whole_pieces_read_as_their_text():
    assert readable_tokens([b" The", b" cat", "<|endoftext|>", b"\n"]) == [" The", " cat", "<|endoftext|>", "\n"]


def test_a_special_token_breaks_a_character_and_bytes_left_over_read_as_hex():
    # The lead byte before [SEP] starts some character of U+7000..U+7FFF; the bytes after it start none, and show as
    # \xNN, never as <0x..>.
    assert readable_tokens([CAT[:1], "[SEP]", CAT[1:]]) == ["[瀀–翿]", "[SEP]", "\\x8C\\xAB"]


def test_a_character_cut_off_at_the_end_reads_as_its_range():
    # E4 BD starts one of the 64 characters U+4F40..U+4F7F: 佀 .. 使. Which one, the text does not say.
    assert readable_tokens([CAT, "猫".encode()[:0] + bytes([0xE4, 0xBD])]) == ["猫", "[佀–使]"]
    assert readable_tokens([bytes([0xE7]), bytes([0x8C])]) == ["[猀–猿](1/2)", "[猀–猿](2/2)"]
    assert all(0x4F40 <= ord(c) <= 0x4F7F for c in "佀使") and "佀".encode()[:2] == bytes([0xE4, 0xBD])
    # UTF-8's own limits: no overlong forms after E0, no surrogates after ED.
    assert readable_tokens([bytes([0xE0])]) == ["[U+0800–U+0FFF]"]
    assert readable_tokens([bytes([0xED])]) == ["[U+D000–U+D7FF]"]


def test_invalid_bytes_are_one_byte_each():
    assert characters(b"\xff\xe7\x8c\xab") == [(0, 1, None), (1, 4, "猫")]


def test_leading_spaces_are_marked_so_the_two_tokens_differ():
    assert display_label(" The") == "␣The"
    assert display_label("The") == "The"
    assert display_label(" ") == "␣"


@settings(max_examples=200, derandomize=True, database=None)
@given(st.text(min_size=1, max_size=12), st.data())
def test_the_labels_of_any_split_spell_the_text(text, data):
    """Whatever the cut points, the characters that the labels name, each counted once, spell the text."""
    raw = text.encode("utf-8")
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(raw) - 1)), max_size=len(raw))))
    bounds = [0, *(c for c in cuts if 0 < c < len(raw)), len(raw)]
    pieces = [raw[a:b] for a, b in zip(bounds, bounds[1:])]
    labels = readable_tokens(pieces)
    assert "<0x" not in "".join(labels)
    spelled = ""
    for label in labels:
        for char, part in _named(label):
            if part in (None, 1):  # a split character counts once, at its first part
                spelled += char
    assert spelled == text


def _named(label: str):
    """(character, part) pairs of a label: part is None for a whole character."""
    index = 0
    while index < len(label):
        char = label[index]
        index += 1
        if label.startswith("(", index) and ")" in label[index:] and "/" in label[index : label.index(")", index)]:
            inside = label[index + 1 : label.index(")", index)]
            first, _, total = inside.partition("/")
            if first.isdigit() and total.isdigit():
                index = label.index(")", index) + 1
                yield char, int(first)
                continue
        yield char, None


def test_smollm2_labels_the_chinese_sentence_without_hex(smollm):
    run = smollm.run("猫坐在垫子上，因为它累了。")
    labels = run.tokens[0]
    assert not any("<0x" in label or "\\x" in label for label in labels)
    assert labels[:3] == ["猫(1/3)", "猫(2/3)", "猫(3/3)"]
    # Whole characters read as themselves, and every character is named in order.
    assert "".join(char for label in labels for char, part in _named(label) if part in (None, 1)) == (
        "猫坐在垫子上，因为它累了。"
    )
    # Hover shows the raw piece: SmolLM2's byte-level stand-ins for the same bytes.
    assert run.pieces[0][0] == smollm.tokenizer.backend.id_to_token(run.ids[0][0])
    assert [display_label(label) for label in labels] == labels  # nothing is elided or re-marked


def test_chinese_predictions_are_never_hex(smollm):
    run = smollm.run("猫坐在垫子上，因为它累")
    labels = [label for label, _ in run.next_tokens(8)]
    assert not any("\\x" in label or "<0x" in label for label in labels)
    # SmolLM2 predicts pieces that only start a character: they read as the range they must fall in.
    assert any(label.startswith("[") and "–" in label for label in labels)


def test_next_tokens_read_in_context(smollm):
    run = smollm.run("The animal didn't cross the street because it was too")
    labels = [label for label, _ in run.next_tokens(5)]
    ids = run.next_token_ids(5)
    assert labels == [smollm.tokenizer.label(i) for i in ids]  # whole words: context changes nothing
    assert all(label.startswith(" ") for label in labels[:3])  # " tired" etc., which display as ␣tired


def test_a_prediction_that_completes_a_character_names_it(smollm):
    ids = smollm.tokenizer.encode(["猫"]).ids[0]  # three byte pieces
    assert len(ids) == 3
    assert smollm.tokenizer.label_after(ids[:2], ids[2]) == "猫(3/3)"
    assert smollm.tokenizer.label(ids[2]) == "\\xAB"  # alone, nothing says which character it ends
