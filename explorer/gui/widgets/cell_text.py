"""What the maps say about a cell or a token under the pointer: the hover readout and the tooltips."""

from __future__ import annotations

from explorer.core.display import display_label
from explorer.gui.i18n import tr


class TokenDetails:
    """The tokens of one map with their raw tokenizer pieces and ids, for readouts and tooltips.

    pieces and ids may be empty (an engine that does not report them): the texts still describe the token.
    """

    def __init__(self, tokens: list[str], pieces: list[str] | None = None, ids: list[int] | None = None):
        self.tokens = list(tokens)
        self.labels = [display_label(token) for token in self.tokens]
        self.pieces = list(pieces or [])
        self.ids = list(ids or [])

    def __len__(self) -> int:
        return len(self.tokens)

    def piece(self, index: int) -> str:
        """The raw piece and id, "'Ġthe' #262", or "" when the engine gave neither."""
        parts = []
        if index < len(self.pieces):
            parts.append(repr(self.pieces[index]))
        if index < len(self.ids):
            parts.append(f"#{self.ids[index]}")
        return " ".join(parts)

    def tooltip(self, index: int, role: str) -> str:
        """Several lines: the role and position, the label, the raw piece and its id."""
        text = tr('{role} {index}: "{label}"').format(role=role, index=index, label=self.labels[index])
        if index < len(self.pieces):
            text += "\n" + tr("piece {piece}").format(piece=repr(self.pieces[index]))
        if index < len(self.ids):
            text += "\n" + tr("id {id}").format(id=self.ids[index])
        return text


def cell_readout(queries: TokenDetails, keys: TokenDetails, row: int, column: int, value: float | None) -> str:
    """`q 12 "the" → k 3 "cat": 0.1234` (or ": masked"), positions first so repeated tokens are told apart."""
    shown = tr("masked") if value is None else f"{value:.4f}"
    return tr('q {row} "{query}" → k {column} "{key}": {value}').format(
        row=row, query=queries.labels[row], column=column, key=keys.labels[column], value=shown
    )


def cell_tooltip(queries: TokenDetails, keys: TokenDetails, row: int, column: int, value: float | None) -> str:
    """The readout, then each side's raw piece and id when the engine gave them."""
    lines = [cell_readout(queries, keys, row, column, value)]
    for role, details, index in ((tr("query"), queries, row), (tr("key"), keys, column)):
        piece = details.piece(index)
        if piece:
            lines.append(f"{role}: {piece}")
    return "\n".join(lines)
