"""Finding a client by what the person at the desk types: first and last name in any order,
"Last, First" (the client list's own format), phone digits whatever the spacing, and, when
nothing matches exactly, names a small typo away ("Smiht" finds Smith).

Exact matches are the same on both databases. Close matches: on both, names within a small
edit distance among the distinct names sharing the typed word's first letter and about its
length (a bounded candidate set); on PostgreSQL also names pg_trgm finds similar (its `%`
operator over the GIN trigram indexes of migration `intake/0005_client_search_trigram`),
which catches a typo in the first letter too, ranked by trigram similarity (README "Client
search").

The parsing and the edit distance are pure functions; the query builders take a queryset
that already holds only the clients the user may see (`intake.access`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import CharField, Func, Q, QuerySet, Value
from django.db.models.functions import Greatest, Length, Upper

# The characters people put between the digits of a phone number.
PHONE_SEPARATORS = " -().+/"
FUZZY_WORD_MIN = 3  # a typo in a one- or two-letter word is a different word
CLOSE_MATCHES_SHOWN = 25
CLOSE_NAME_CANDIDATES_MAX = 5000  # SQLite: distinct names read for the edit-distance pass
_WORD_SPLIT = re.compile(r"[\s,;]+")
_PHONE_ONLY = re.compile(r"^[\d\s\-().+/]+$")


@dataclass(frozen=True)
class ClientQuery:
    """What a search box holds, parsed: name words (each must be in the first or the last
    name) and phone digits (must be in the phone number, separators ignored)."""

    words: tuple[str, ...] = ()
    phone_digits: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.phone_digits)


def client_query_parse(text: str) -> ClientQuery:
    """'Smith, Alex' and 'alex smith' -> words ('Smith', 'Alex'); '(555) 014-2' -> phone
    digits '5550142'. A word of digits alone among names is a piece of the phone number."""
    text = (text or "").strip()
    if _PHONE_ONLY.match(text):
        return ClientQuery(phone_digits=re.sub(r"\D", "", text))
    words, digits = [], []
    for word in _WORD_SPLIT.split(text):
        word = word.strip(".'-")
        if not word:
            continue
        if word.isdigit():
            digits.append(word)
        else:
            words.append(word)
    return ClientQuery(words=tuple(words), phone_digits="".join(digits))


@dataclass(frozen=True)
class NewClientNames:
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


def new_client_names(text: str) -> NewClientNames:
    """How a failed search prefills "Add this client": 'Smith, Alex' (the list's format) ->
    Alex Smith; 'Mary Ann Smith' -> first 'Mary Ann', last 'Smith'; one word is taken as the
    last name (what people search by); a phone number goes to the phone field."""
    text = (text or "").strip()
    if _PHONE_ONLY.match(text) and any(c.isdigit() for c in text):
        return NewClientNames(phone=text)
    if "," in text:
        last, _, first = text.partition(",")
        return NewClientNames(first_name=" ".join(first.split()), last_name=" ".join(last.split()))
    words = text.split()
    if len(words) == 1:
        return NewClientNames(last_name=words[0])
    return NewClientNames(first_name=" ".join(words[:-1]), last_name=words[-1] if words else "")


def new_client_query(text: str) -> str:
    """'?first_name=Alex&last_name=Smith' for "Add this client" after a search for `text`
    (the client form reads these fields as its initial values)."""
    fields = {k: v for k, v in vars(new_client_names(text)).items() if v}
    return "?" + urlencode(fields) if fields else ""


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one
    substring): insertions, deletions, substitutions and swaps of neighbours cost 1, so
    'smiht' is 1 from 'smith'. Case-insensitive."""
    a, b = a.casefold(), b.casefold()
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def typo_allowance(word: str) -> int:
    """How many edits still count as a small typo of `word`: none under 3 letters, one up
    to 5 letters, two from 6."""
    if len(word) < FUZZY_WORD_MIN:
        return 0
    return 1 if len(word) <= 5 else 2


# --- queries -----------------------------------------------------------------------------------


class PhoneDigits(Func):
    """The phone number with only its digits. On PostgreSQL the same expression as the GIN
    trigram index of migration 0005, so a `contains` on it uses the index."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="REGEXP_REPLACE(%(expressions)s, '[^0-9]+', '', 'g')",
            **extra_context,
        )

    def as_sql(self, compiler, connection, **extra_context):
        if "template" not in extra_context:
            template = "%(expressions)s"
            for separator in PHONE_SEPARATORS:
                template = f"REPLACE({template}, '{separator}', '')"
            extra_context["template"] = template
        return super().as_sql(compiler, connection, **extra_context)


def _word_exact(word: str) -> Q:
    # icontains is UPPER(column::text) LIKE UPPER(...): on PostgreSQL the GIN trigram indexes
    # of migration 0005 are on exactly UPPER(first_name) and UPPER(last_name).
    return Q(first_name__icontains=word) | Q(last_name__icontains=word)


def clients_matching(clients: QuerySet, query: ClientQuery) -> QuerySet:
    """`clients` holding every word of `query` in their first or last name and its phone
    digits in their phone number."""
    for word in query.words:
        clients = clients.filter(_word_exact(word))
    if query.phone_digits:
        clients = clients.alias(phone_digits=PhoneDigits("phone")).filter(
            phone_digits__contains=query.phone_digits
        )
    return clients


def clients_close(clients: QuerySet, query: ClientQuery) -> list:
    """Up to CLOSE_MATCHES_SHOWN of `clients` whose names are a small typo away from the
    words of `query` (each word exact or close), closest first. Phone digits are matched
    exactly. Empty when no word is long enough to have a typo."""
    if not any(typo_allowance(word) for word in query.words):
        return []
    if query.phone_digits:
        clients = clients_matching(clients, ClientQuery(phone_digits=query.phone_digits))
    if connection.vendor == "postgresql":
        return _clients_close_trigram(clients, query.words)
    return _clients_close_edit_distance(clients, query.words)


def _clients_close_trigram(clients: QuerySet, words: tuple[str, ...]) -> list:
    """pg_trgm: a word is close to a name when their trigram similarity passes
    `pg_trgm.similarity_threshold` (0.3, the `%` operator, served by the GIN indexes), or
    when it is within the edit distance SQLite uses (a short name with one swap, 'Alx' for
    'Alex', shares too few trigrams); ranked by the summed trigram similarity."""
    score = None
    for word in words:
        upper = word.upper()
        condition = _word_exact(word)
        if typo_allowance(word):
            condition |= (
                Q(TrigramSimilar(Upper("first_name"), Value(upper)))
                | Q(TrigramSimilar(Upper("last_name"), Value(upper)))
                | _close_names_filter(clients, word)
            )
        clients = clients.filter(condition)
        similarity = Greatest(
            TrigramSimilarity(Upper("first_name"), Value(upper)),
            TrigramSimilarity(Upper("last_name"), Value(upper)),
        )
        score = similarity if score is None else score + similarity
    return list(
        clients.annotate(closeness=score).order_by("-closeness", "last_name", "first_name", "id")[
            :CLOSE_MATCHES_SHOWN
        ]
    )


def _close_names(clients: QuerySet, column: str, word: str) -> set[str]:
    """The distinct values of `column` among `clients` within the word's typo allowance,
    read among those sharing its first letter (a typo there is rarer) and a length close to
    it: a bounded candidate set."""
    allowance = typo_allowance(word)
    candidates = (
        clients.annotate(name_length=Length(column))
        .filter(
            **{f"{column}__istartswith": word[0]},
            name_length__gte=len(word) - allowance,
            name_length__lte=len(word) + allowance,
        )
        .order_by()
        .values_list(column, flat=True)
        .distinct()[:CLOSE_NAME_CANDIDATES_MAX]
    )
    return {name for name in candidates if edit_distance(word, name) <= allowance}


def _close_names_filter(clients: QuerySet, word: str) -> Q:
    """The clients whose first or last name is within the word's typo allowance."""
    firsts = _close_names(clients, "first_name", word)
    lasts = _close_names(clients, "last_name", word)
    return Q(first_name__in=firsts) | Q(last_name__in=lasts)


def _clients_close_edit_distance(clients: QuerySet, words: tuple[str, ...]) -> list:
    """SQLite: for each word, the names within its typo allowance (`_close_names`), then the
    clients holding every word exactly or closely, ranked by the summed edit distance."""
    for word in words:
        condition = _word_exact(word)
        if typo_allowance(word):
            condition |= _close_names_filter(clients, word)
        clients = clients.filter(condition)
    found = list(clients.order_by("last_name", "first_name", "id")[: CLOSE_MATCHES_SHOWN * 8])

    def distance(client) -> int:
        total = 0
        for word in words:
            folded = word.casefold()
            names = (client.first_name, client.last_name)
            if any(folded in name.casefold() for name in names):
                continue
            total += min(edit_distance(word, name) for name in names)
        return total

    found.sort(key=distance)
    return found[:CLOSE_MATCHES_SHOWN]
