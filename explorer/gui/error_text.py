"""The engine's error messages in the interface's language: the common ones whole, any other after a translated lead.

The engine (models/) is Qt-free and speaks English: its ValueErrors name the argument first ("text: is empty;
…"), and its own exception types say the kind (MemoryBudgetError, NumericalError, ModelLoadError, …). A
message the catalogue knows word for word is shown translated whole; otherwise a translated lead sentence,
chosen by the exception's type or else by the argument it names, comes first and the English detail after it.
In English, or for an error of no known kind, the message is shown as it is.

Types are recognised by name along the exception's class hierarchy, so this module imports nothing from the
engine (the window opens without torch).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP

from .i18n import tr

# Engine messages translated whole: the exact English text is the catalogue's source (QT_TRANSLATE_NOOP marks
# each for lupdate; tr() looks it up when the error is shown).
WHOLE = (
    QT_TRANSLATE_NOOP("", "text: is empty; type some text to see its attention"),
    QT_TRANSLATE_NOOP("", "text: produced no tokens; type some text to see its attention"),
    QT_TRANSLATE_NOOP("", "text: nothing to run; give at least one non-empty text"),
    QT_TRANSLATE_NOOP("", "text: is empty; generation continues a text of at least one token"),
    QT_TRANSLATE_NOOP("", "corpus: is empty; type some text or pick a corpus file"),
)


def _type_leads() -> dict[str, str]:
    """Exception class name -> lead sentence; the most specific class along the hierarchy wins."""
    return {
        "UnsafeCheckpointError": tr("This checkpoint format is never loaded (pickle can run code)"),
        "UnsupportedArchitectureError": tr("This model's architecture is not supported"),
        "ModelLoadError": tr("The model could not be loaded"),
        "MemoryBudgetError": tr("Not enough memory for this request"),
        "NumericalError": tr("A value came out non-finite, so it is not shown"),
        "ShardError": tr("The corpus results could not be read"),
        "FileNotFoundError": tr("The file was not found"),
        "PermissionError": tr("The file could not be opened: permission denied"),
        "OSError": tr("A file could not be read or written"),
    }


def _argument_leads() -> dict[str, str]:
    """The argument a ValueError names first -> lead sentence."""
    text = tr("The text cannot be run")
    return {
        "text": text,
        "texts": text,
        "ids": text,
        "options": tr("The variant's options cannot be used"),
        "layer": tr("There is no such layer in this model"),
        "head": tr("There is no such head in this model"),
        "query": tr("There is no such query position"),
        "model": tr("The model cannot be used for this"),
        "temperature": tr("The temperature cannot be used"),
        "seed": tr("The seed cannot be used"),
        "steps": tr("The number of steps cannot be used"),
        "method": tr("The method cannot be used"),
        "mask": tr("The mask cannot be used"),
        "ablate": tr("The knocked-out heads cannot be used"),
        "answer": tr("The answer cannot be used"),
        "wrong": tr("The wrong answer cannot be used"),
        "clean": tr("The clean text cannot be used"),
        "corrupt": tr("The corrupted text cannot be used"),
        "corpus": tr("The corpus cannot be used"),
        "source": tr("The corpus cannot be used"),
        "in": tr("The corpus cannot be used"),  # corpus_reading names the CLI's --in
        "perplexity": tr("t-SNE cannot place this few points: choose PCA, or give a longer text"),
        "neighbours": tr("UMAP cannot use this number of neighbours"),
        "points": tr("The number of points cannot be used"),
        "target": tr("The target token cannot be used"),
        "max_new_tokens": tr("The number of new tokens cannot be used"),
    }


def argument_of(message: str) -> str:
    """The argument an engine message names first ("text 2: is empty" -> "text"), or "" if it names none."""
    head, colon, _rest = message.partition(":")
    if not colon or not head or len(head) > 40:
        return ""
    words = head.split()
    name = words[0].lstrip("-") if words else ""  # "--in": a command-line flag names the argument too
    if len(words) > 1 and not all(word.isdigit() for word in words[1:]):
        return ""  # "text 2" names the argument; "Export failed" is a sentence, not an argument
    return name if name.replace("_", "").isalnum() and name.isascii() else ""


def describe(error: BaseException) -> str:
    """The message to show for an error: translated whole, after a translated lead, or as the engine said it."""
    message = str(error)
    whole = tr(message) if message in WHOLE else message
    if whole != message:
        return whole
    lead = _lead(error, message)
    return f"{lead}：{message}" if lead else message


def _lead(error: BaseException, message: str) -> str:
    """The lead sentence in the interface's language, or "" when there is none or it would only repeat the
    English detail (the interface is in English)."""
    leads = _type_leads()
    lead = next((leads[cls.__name__] for cls in type(error).__mro__ if cls.__name__ in leads), "")
    if not lead and isinstance(error, ValueError):
        lead = _argument_leads().get(argument_of(message), "")
    return lead if lead and not _untranslated(lead) else ""


def _untranslated(lead: str) -> bool:
    """Whether the lead came back in English: no catalogue installed, or the interface is English."""
    return lead.isascii()


# The tokenizer's warning for a text past the model's context (models/io/tokenizer.py), said in a run's warnings.
TRUNCATED = re.compile(r"^text(?: (\d+))?: longer than the model's context of (\d+) tokens; dropped (\d+) tokens$")


def describe_warning(warning: str) -> str:
    """A run's warning in the interface's language: a text cut to the model's context is said whole (Gemma 3's
    32,768 tokens, MiniLM's 512); any other as the engine said it."""
    match = TRUNCATED.match(warning)
    if match is None:
        return warning
    index, n_ctx, dropped = match.groups()
    where = tr("text") if index is None else tr("text {index}").format(index=index)
    note = tr("{where}: longer than the model's context of {n_ctx} tokens; the last {dropped} tokens were dropped")
    return note.format(where=where, n_ctx=n_ctx, dropped=dropped)
