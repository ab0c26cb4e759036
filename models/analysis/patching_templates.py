"""Clean / corrupted text pairs to start activation patching from: the field's classic tasks, shared by the API,
the command line and the window's Patching tool.

Each pair has the same number of tokens on SmolLM2's tokenizer (the corruption swaps one name or subject for
another of one token), an answer the clean text predicts and a wrong answer the corrupted text leans to.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TEMPLATES", "PatchTemplate", "template_named"]


@dataclass(frozen=True)
class PatchTemplate:
    name: str  # a short key: "ioi", "factual", "chinese"
    language: str  # "en" or "zh"
    clean: str
    corrupt: str
    answer: str  # one token, with its leading space where the tokenizer has one
    wrong: str
    about: str  # what the pair tests, in a sentence


TEMPLATES = (
    PatchTemplate(
        name="ioi",
        language="en",
        # Indirect object identification (Wang et al. 2022): the corruption swaps the repeated name, so the
        # indirect object changes from Mary to John.
        clean="When Mary and John went to the store, John gave a drink to",
        corrupt="When Mary and John went to the store, Mary gave a drink to",
        answer=" Mary",
        wrong=" John",
        about="indirect object identification: which name is the indirect object",
    ),
    PatchTemplate(
        name="factual",
        language="en",
        # Factual recall (Meng et al. 2022): the subject is swapped for another of the same length.
        clean="The Eiffel Tower is located in the city of",
        corrupt="The Colosseum is located in the city of",
        answer=" Paris",
        wrong=" Rome",
        about="factual recall: the city of a landmark, with the subject swapped",
    ),
    PatchTemplate(
        name="chinese",
        language="zh",
        # Antonym pairs in context ("up and down, front and back, up and ..."): the corruption swaps the word
        # whose partner is recalled. Every character here is one token on SmolLM2, except 小.
        clean="大和小，上和下，前和后，上和",
        corrupt="大和小，上和下，前和后，前和",
        answer="下",
        wrong="后",
        about="in-context recall in Chinese: the partner of a word seen earlier, with the word swapped",
    ),
)


def template_named(name: str) -> PatchTemplate:
    """The template called `name`; ValueError listing the names otherwise."""
    for template in TEMPLATES:
        if template.name == name:
            return template
    raise ValueError(f"template: {name!r} is not one of {', '.join(t.name for t in TEMPLATES)}")
