"""The engine's corpus messages in the window's words and language.

models/ speaks to the command line, in English and in its options' names (`--in: x.jsonl line 3 is not JSON`,
`use another --out folder`). The Corpus tool shows the same facts in the interface's language: each message the
engine raises or warns of about a corpus or a results folder is matched here and said again through tr(). One
this table does not know is shown as the engine wrote it, without the option names.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP

from explorer.gui.i18n import tr

# (the engine's message as a pattern, what the window says: its named groups as placeholders)
KNOWN = (
    (r"(?P<source>.+) holds no text to analyse", QT_TRANSLATE_NOOP("", "{source} holds no text to analyse")),
    (r"(?P<source>.+) line (?P<line>\d+) is not JSON \((?P<why>.*)\)",
     QT_TRANSLATE_NOOP("", "{source}: line {line} is not JSON ({why})")),
    (r'(?P<source>.+) line (?P<line>\d+) is not an object with a "text" string',
     QT_TRANSLATE_NOOP("", '{source}: line {line} is not an object with a "text" string')),
    (r"(?P<source>.+) is not UTF-8 text \((?P<why>.*)\)", QT_TRANSLATE_NOOP("", "{source} is not UTF-8 text ({why})")),
    (r"(?P<source>.+) has the extension '(?P<suffix>[^']*)'; use (?P<allowed>.+)",
     QT_TRANSLATE_NOOP("", "{source} is not a corpus: its extension is '{suffix}'; use {allowed}")),
    (r"(?P<source>.+) is not a file", QT_TRANSLATE_NOOP("", "{source} is not a file")),
    (r'(?P<source>.+) has no "text" column; its columns: (?P<columns>.*)',
     QT_TRANSLATE_NOOP("", '{source} has no "text" column; its columns: {columns}')),
    (r"(?P<folder>.+): holds another job's results \((?P<differs>.*)\); use another --out folder",
     QT_TRANSLATE_NOOP("", "{folder} holds the results of another job ({differs}): delete that folder, or copy the corpus elsewhere, to score it again")),  # noqa: E501
    (r"text (?P<id>.+): (?P<n>\d+) tokens, over --max-tokens (?P<limit>\d+); truncated to \d+",
     QT_TRANSLATE_NOOP("", "text {id}: {n} tokens, over the model's context of {limit}; truncated to {limit}")),
    (r"(?P<source>.+): text (?P<id>.+) is blank; skipped",
     QT_TRANSLATE_NOOP("", "{source}: text {id} is blank; skipped")),
)  # fmt: skip
OPTION = re.compile(r"^--[a-z-]+: ")  # the option a command-line message begins with


def window_message(message: str) -> str:
    """The engine's message in the interface's language; one not in KNOWN, without its option's name."""
    message = OPTION.sub("", message.strip())
    for pattern, words in KNOWN:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if found:
            return tr(words).format(**found.groupdict())
    return message.replace("; use another --out folder", "")
