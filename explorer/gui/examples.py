"""File → Examples: the sentences in resources/examples*.txt, English and Chinese, each opened with one click.

The Chinese ones show attention at work across characters: a pronoun (它, 她) that must find its referent,
and a plural subject (学生们) that agrees with 都 many words later.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMenu

from explorer.core.sequences import read_sequences
from explorer.resource_files import resources

from .i18n import tr

log = logging.getLogger(__name__)

# (file, its section's heading): each a sequences file the user can also open as a batch with File → Open.
EXAMPLE_FILES = (("examples.txt", "English"), ("examples.zh-CN.txt", "中文"))


def example_texts(folder: Path | None = None) -> dict[str, list[str]]:
    """Heading → sentences; a missing or unreadable file is left out (examples are a convenience)."""
    folder = resources() if folder is None else folder
    found = {}
    for name, heading in EXAMPLE_FILES:
        try:
            found[heading] = read_sequences(str(folder / name))
        except (OSError, ValueError) as error:
            log.warning("examples: %s", error)
    return found


def build_examples_menu(shell, menu: QMenu, folder: Path | None = None) -> QMenu:
    menu.setToolTipsVisible(True)
    for heading, texts in example_texts(folder).items():
        menu.addSection(heading)
        for text in texts:
            action = menu.addAction(text if len(text) <= 60 else text[:59] + "…")
            action.setToolTip(text)
            action.triggered.connect(lambda _=False, t=text: shell.workspace.set_texts([t], None))
    if menu.isEmpty():
        menu.addAction(tr("No examples found")).setEnabled(False)
    return menu
