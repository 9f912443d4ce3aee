"""ICD-10-CM diagnosis codes, as a physician's referral gives them (clinical rules §2.4, §9.1).

The code set is the official one (CDC/CMS, public domain) as the `simple-icd-10-cm` package
ships it (MIT licence, about 10 MB installed). Importing that package parses the whole
tabular list: about 2-5 s and 190 MB on these machines, so it is imported on first use and
kept for the life of the process (`_code_set`), never at start-up: only the pages that check
or search a code pay for it, once per worker. Stored codes carry their description, so
showing a chart or printing a PDF never loads it.

Pure: no models, no request. A billable code is a leaf of the classification (a category or
subcategory with no more specific code under it, the 7th character included where the code
needs one).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

# A claim form has room for twelve diagnosis codes (the CMS-1500's A to L).
DIAGNOSIS_CODES_MAX = 12
SEARCH_RESULTS_MAX = 25
SEARCH_QUERY_MAX = 100

CODE_UNKNOWN = "{code} is not an ICD-10-CM code."
CODE_NOT_BILLABLE = (
    "{code} ({description}) is a heading, not a billable code: give one of the more specific "
    "codes under it, such as {example}."
)
CODE_REPEATED = "{code} is given twice."
TOO_MANY_CODES = (
    f"Give at most {DIAGNOSIS_CODES_MAX} diagnosis codes (a claim has room for that many)."
)

# Codes are written with or without the dot, in any case, separated by commas, semicolons
# or spaces ("M54.31, m51.16; M5417").
_SEPARATORS = re.compile(r"[\s,;]+")
_CODE_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")


@dataclass(frozen=True)
class IcdCode:
    code: str  # dotted, upper case: "M54.31"
    description: str

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class DiagnosisCodeError(ValueError):
    """Bad codes in a referral's text: `messages` name each code and why."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class _Entry:
    code: str
    key: str  # without the dot
    description: str
    words: str  # the code and the description, lower case, for the search


@functools.cache
def _code_set():
    import simple_icd_10_cm

    return simple_icd_10_cm


@functools.cache
def _billable() -> tuple[_Entry, ...]:
    """Every billable code in the classification's order (by chapter, then code)."""
    cm = _code_set()
    entries = []
    for code in cm.get_all_codes(with_dots=True):
        if cm.is_category_or_subcategory(code) and cm.is_leaf(code):
            description = cm.get_description(code)
            entries.append(
                _Entry(
                    code=code,
                    key=code.replace(".", ""),
                    description=description,
                    words=f"{code} {description}".lower(),
                )
            )
    return tuple(entries)


@functools.cache
def _billable_by_key() -> tuple[list[str], list[_Entry]]:
    """The billable codes sorted without their dots, for finding codes by their start."""
    entries = sorted(_billable(), key=lambda e: e.key)
    return [e.key for e in entries], entries


def code_normalise(text: str) -> str:
    """ "m5431" or " M54.31 " -> "M54.31" where such a code exists; the upper-cased text
    otherwise."""
    raw = text.strip().upper()
    if not _CODE_SHAPE.match(raw):
        return raw
    cm = _code_set()
    return cm.add_dot(raw) if cm.is_valid_item(raw) else raw


def code_lookup(text: str) -> IcdCode:
    """The billable ICD-10-CM code `text` names, with its official description; raises
    DiagnosisCodeError naming the code when it is unknown or only a heading."""
    code = code_normalise(text)
    cm = _code_set()
    if not _CODE_SHAPE.match(code) or not cm.is_valid_item(code):
        raise DiagnosisCodeError([CODE_UNKNOWN.format(code=text.strip())])
    if not cm.is_category_or_subcategory(code):
        raise DiagnosisCodeError([CODE_UNKNOWN.format(code=text.strip())])
    if not cm.is_leaf(code):
        example = _first_billable_under(code)
        raise DiagnosisCodeError(
            [
                CODE_NOT_BILLABLE.format(
                    code=code, description=cm.get_description(code), example=example
                )
            ]
        )
    return IcdCode(code=code, description=cm.get_description(code))


def _first_billable_under(code: str) -> str:
    cm = _code_set()
    for descendant in cm.get_descendants(code):
        if cm.is_leaf(descendant):
            return f"{descendant} ({cm.get_description(descendant)})"
    return "a code under it"


def diagnosis_codes_parse(text: str) -> list[IcdCode]:
    """The codes in a referral's text, in the order given; raises DiagnosisCodeError with one
    message per bad code (unknown, a heading, repeated) or for too many codes."""
    tokens = [t for t in _SEPARATORS.split(text or "") if t]
    found: list[IcdCode] = []
    errors: list[str] = []
    for token in tokens:
        try:
            code = code_lookup(token)
        except DiagnosisCodeError as error:
            errors.extend(error.messages)
            continue
        if any(c.code == code.code for c in found):
            errors.append(CODE_REPEATED.format(code=code.code))
            continue
        found.append(code)
    if len(tokens) > DIAGNOSIS_CODES_MAX:
        errors.append(TOO_MANY_CODES)
    if errors:
        raise DiagnosisCodeError(errors)
    return found


def diagnosis_codes_split(text: str) -> tuple[list[IcdCode], list[str]]:
    """Free text as earlier versions stored it: the codes that read as billable ICD-10-CM
    codes, and the pieces that did not (for the data migration, which keeps the original text
    whenever anything did not parse)."""
    codes: list[IcdCode] = []
    rest: list[str] = []
    for token in (t for t in _SEPARATORS.split(text or "") if t):
        try:
            code = code_lookup(token)
        except DiagnosisCodeError:
            rest.append(token)
            continue
        if all(c.code != code.code for c in codes):
            codes.append(code)
    return codes, rest


def diagnosis_codes_search(query: str, *, limit: int = SEARCH_RESULTS_MAX) -> list[IcdCode]:
    """Billable codes for a query: codes starting with it when it looks like a code (with or
    without the dot), then codes whose code and description hold every word of it."""
    words = query.lower().split()
    if not words:
        return []
    results: list[IcdCode] = []
    seen: set[str] = set()
    prefix = query.strip().upper().replace(".", "")
    if len(words) == 1 and re.match(r"^[A-Z][0-9]", prefix):
        keys, entries = _billable_by_key()
        for entry in entries[bisect.bisect_left(keys, prefix) :]:
            if not entry.key.startswith(prefix) or len(results) >= limit:
                break
            results.append(IcdCode(entry.code, entry.description))
            seen.add(entry.code)
        if len(results) >= limit:
            return results
    entries = _billable()
    longest = max(words, key=len)  # the rarest word, most likely: filter by it first
    candidates = [i for i, text in enumerate(_search_texts()) if longest in text]
    for i in candidates:
        entry = entries[i]
        if entry.code not in seen and all(word in entry.words for word in words):
            results.append(IcdCode(entry.code, entry.description))
            if len(results) >= limit:
                break
    return results


@functools.cache
def _search_texts() -> list[str]:
    return [entry.words for entry in _billable()]
