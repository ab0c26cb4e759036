"""Generated text read as text (issue 21 item 7): byte pieces joined and decoded together, not their labels.

Generate's summary joined each token's readable label, so 一位美 split over byte pieces read
一[佀–使]位(2/2)[濏–翮]…; read_as_text decodes the pieces as one stream, with the same rules as the labels for
what no character explains (a cut-off last character as its range, a stray byte as \\xNN).
"""

from models.io.token_text import read_as_text, readable_tokens

TEXT = "一位美丽的女士"


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    edges = [0, *cuts, len(stream)]
    return [stream[a:b] for a, b in zip(edges, edges[1:])]


def test_byte_pieces_read_as_the_characters_they_spell():
    stream = TEXT.encode("utf-8")  # 3 bytes per character
    pieces = split(stream, [4, 5, 7, 11, 12, 19])  # cuts inside 位, 美, 丽 and 女
    labels = "".join(readable_tokens(pieces))
    assert labels != TEXT and "(1/2)" in labels, "the labels name parts; the text must not"
    assert read_as_text(pieces) == TEXT == stream.decode("utf-8")


def test_special_tokens_keep_their_names_and_break_the_stream():
    pieces = [b" Hi", "<|im_end|>", "猫".encode()[:2], "猫".encode()[2:]]
    assert read_as_text(pieces) == " Hi<|im_end|>猫"


def test_a_cut_off_last_character_reads_as_its_range_and_stray_bytes_as_hex():
    cut = TEXT.encode("utf-8")[:5]  # 一 and the first two bytes of 位 (E4 BD)
    assert read_as_text(split(cut, [3, 4])) == "一[佀–使]"
    assert read_as_text([b"a\x8c", b"b"]) == "a\\x8Cb"
    assert read_as_text([]) == ""
