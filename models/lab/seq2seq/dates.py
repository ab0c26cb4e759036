"""The dates task: a date in varied human forms ("21 Nov 2026", "November 21, 2026", "21/11/2026") → "2026-11-21".

Source and target are characters (a space shows as "␣"). Each form is a template; rendering it records where the
day, month and year fields fall, which gives the correct alignment: a target digit maps to the source digit it
copies when the field is written with as many digits, else to the whole source field (a month name, a day "5"
that becomes "05"). The "-" separators have no source position.
"""

from __future__ import annotations

import datetime
import re

import numpy as np

from models.lab.seq2seq.tasks import Example, Task

SPACE = "␣"
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Forms by difficulty: each level adds to the one before. Fields: {d} day, {dd} day with two digits, {o} day
# with an ordinal suffix, {m} / {mm} month number, {Mon} / {Month} / {MON} month name, {Y} year, {W} weekday.
FORMS = {
    1: ("{d} {Mon} {Y}", "{Month} {d}, {Y}", "{dd}/{mm}/{Y}"),
    2: ("{Mon} {d}, {Y}", "{d} {Month} {Y}", "{dd}.{mm}.{Y}", "{Y}/{mm}/{dd}", "{d}/{m}/{Y}"),
    3: ("{o} {Month} {Y}", "{MON} {d} {Y}", "{W} {d} {Mon} {Y}", "{d}-{Mon}-{Y}"),
}
FIRST_YEAR, LAST_YEAR = 1950, 2049
_FIELD = re.compile(r"\{(\w+)\}")
_PATTERNS = {
    "d": r"\d{1,2}", "dd": r"\d{2}", "o": r"\d{1,2}(?:st|nd|rd|th)", "m": r"\d{1,2}", "mm": r"\d{2}",
    "Mon": "|".join(m[:3] for m in MONTHS), "Month": "|".join(MONTHS), "MON": "|".join(m[:3].upper() for m in MONTHS),
    "Y": r"\d{4}", "W": "|".join(WEEKDAYS),
}  # fmt: skip


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _render(field: str, date: datetime.date) -> str:
    return {
        "d": str(date.day), "dd": f"{date.day:02d}", "o": _ordinal(date.day), "m": str(date.month),
        "mm": f"{date.month:02d}", "Mon": MONTHS[date.month - 1][:3], "Month": MONTHS[date.month - 1],
        "MON": MONTHS[date.month - 1][:3].upper(), "Y": str(date.year), "W": WEEKDAYS[date.weekday()],
    }[field]  # fmt: skip


class DatesTask(Task):
    name = "dates"

    def __init__(self, difficulty: int = 1):
        self.difficulty = difficulty
        self.forms = tuple(form for level in range(1, difficulty + 1) for form in FORMS[level])
        letters = sorted({c for name in MONTHS + WEEKDAYS for c in name + name.upper()})
        self.symbols = tuple("0123456789") + tuple(letters) + (SPACE, ",", "/", ".", "-")
        self.max_source = max(len(self.render(form, datetime.date(2000, 9, 28))[0]) for form in self.forms)
        self.max_target = 10
        self._first = datetime.date(FIRST_YEAR, 1, 1).toordinal()
        self._days = datetime.date(LAST_YEAR, 12, 31).toordinal() - self._first + 1

    def render(self, form: str, date: datetime.date) -> tuple[str, dict[str, tuple[int, int, str]]]:
        """The text of date in form, and each field's (start, end, placeholder) by field: day, month, year."""
        text, spans, at = "", {}, 0
        for part in _FIELD.split(form):
            is_field = part in _PATTERNS and (at % 2 == 1)
            value = _render(part, date) if is_field else part
            if is_field and part != "W":
                kind = "year" if part == "Y" else "day" if part in ("d", "dd", "o") else "month"
                digits = len(value) - 2 if part == "o" else len(value)  # an ordinal's suffix is not the day
                spans[kind] = (len(text), len(text) + digits, part)
            text += value
            at += 1
        return text, spans

    def sample(self, rng: np.random.Generator) -> Example:
        date = datetime.date.fromordinal(self._first + int(rng.integers(0, self._days)))
        return self._example(self.forms[int(rng.integers(0, len(self.forms)))], date)

    def _example(self, form: str, date: datetime.date) -> Example:
        text, spans = self.render(form, date)
        source = tuple(SPACE if c == " " else c for c in text)
        target = tuple(date.isoformat())
        alignment = np.zeros((len(target), len(source)), dtype=bool)
        for kind, first, width in (("year", 0, 4), ("month", 5, 2), ("day", 8, 2)):
            start, end, _ = spans[kind]
            if end - start == width and source[start:end] == target[first : first + width]:
                alignment[np.arange(first, first + width), np.arange(start, end)] = True  # digit to digit
            else:
                alignment[first : first + width, start:end] = True  # the whole field
        return Example(source, target, alignment, date)

    def parse(self, text: str) -> Example:
        if not isinstance(text, str) or not text.strip():
            raise ValueError('source: type a date, e.g. "21 Nov 2026"')
        typed = " ".join(text.replace(SPACE, " ").split())
        for form in self.forms:
            date = _match(form, typed)
            if date is not None:
                if not FIRST_YEAR <= date.year <= LAST_YEAR:
                    raise ValueError(f"source: the year {date.year} is outside {FIRST_YEAR}..{LAST_YEAR}")
                return self._example(form, date)
        examples = "; ".join(self.render(f, datetime.date(2026, 11, 21))[0] for f in self.forms)
        raise ValueError(f"source: {text!r} is not a date in a form this task knows ({examples})")

    def join(self, tokens) -> str:
        return "".join(" " if t == SPACE else t for t in tokens)


def _match(form: str, text: str) -> datetime.date | None:
    parts = _FIELD.split(form)
    regex = "".join(f"(?P<{p}>{_PATTERNS[p]})" if i % 2 else re.escape(p) for i, p in enumerate(parts))
    found = re.fullmatch(regex, text)
    if found is None:
        return None
    fields = found.groupdict()
    day = int(re.match(r"\d+", fields.get("d") or fields.get("dd") or fields.get("o")).group())
    month_text = fields.get("m") or fields.get("mm")
    if month_text is not None:
        month = int(month_text)
    else:
        name = fields.get("Mon") or fields.get("Month") or fields.get("MON")
        month = [m[:3].upper() for m in MONTHS].index(name[:3].upper()) + 1
    try:
        date = datetime.date(int(fields["Y"]), month, day)
    except ValueError:
        return None
    if "o" in fields and fields["o"] != _ordinal(day):
        return None
    if "W" in fields and fields["W"] != WEEKDAYS[date.weekday()]:
        return None
    return date
