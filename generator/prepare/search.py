"""What each record page tells the search index (Pagefind; publish/pagefind.py runs it).

Only record pages are indexed (procedures, plans and policies, agencies with their hotlines):
render_page wraps their content in `data-pagefind-body` with a hidden block made here, so the
header, navigation, footer and list pages stay out of the index.

Vietnamese without diacritics. Pagefind matches words regardless of tone marks ("ky" finds "ký")
but treats đ as a letter of its own, so "dang ky" would not find "Đăng ký"; and people write the
same syllable with i or y ("đăng kí", "lý lịch"/"lí lịch", "bác sĩ"/"bác sỹ"). The search box
folds every query as textnorm.search_fold does (NFC, marks removed, đ→d, lower case; then a y
that is a syllable's only vowel after an initial that also takes i becomes i: "ky"→"ki"), and
every indexed page carries a hidden copy, folded the same way, of its words whose folded form
Pagefind's own folding would miss (those with đ/Đ, and the y-syllables). Other words need no copy.

Phrases. Every syllable of a title also finds "tư", "từ", "tự" when typed "tu"; the pairs of
adjacent title syllables are indexed as one word each ("khai tử" → "khaitu"), weighted like the
title. The search script adds the pairs of a query's adjacent words to it, and lists the pages
that have them (the query as a phrase of a title) before the other pages that have its words.

Ranking. The folded title and code are indexed once more with a weight that is highest for
procedures, so for the same words a procedure comes before a plan or an agency, and a procedure
code finds its procedure first. Records no longer in force (a repealed procedure; an expired or
superseded document) carry the hidden filter `current: no`: the search script lists them after
the others, whatever their score, and each result shows its status.

Synonyms (generator/data/synonyms.yaml) are expanded when indexing: a page whose title contains an
official phrase also gets the citizens' phrases for it ("sổ đỏ" for "giấy chứng nhận quyền sử dụng
đất"), and so does a page whose title contains a citizens' phrase itself. Each phrase is indexed as
one word, its folded words joined ("sodo"): its syllables alone ("so", "do") are on every page and
would rank nothing. The search page lists the phrases (data-phrases) and its script joins them the
same way in a query; it searches the phrase's separate words only when the phrase finds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from generator.labels import PLAN_KINDS, RECORD_TYPES
from generator.legal import data_file
from generator.prepare.places import CatalogueView
from generator.prepare.views import AgencyView, PlanView, ProcedureView, RecordView
from generator.textnorm import fold, search_fold

# Filter keys (stable, English) and the Vietnamese names the search page shows for them.
FILTERS: tuple[tuple[str, str], ...] = (
    ("kind", "Loại"),
    ("agency", "Cơ quan"),
    ("field", "Lĩnh vực"),
    ("level", "Cấp"),
)
# The kinds a result can be, in the order of the "Loại" menu: procedures, the four kinds of
# plans and policies, agencies.
KIND_LABELS = {"procedure": RECORD_TYPES["procedure"], **PLAN_KINDS, "agency": RECORD_TYPES["agency"]}
# data-pagefind-weight of the hidden title and synonym lines (Pagefind's range is 0–10; an <h1>
# weighs 7): procedures first, then agencies (searched by name), then plans and policies.
TITLE_WEIGHT = {"procedure": 10.0, "agency": 6.0}
SYNONYM_WEIGHT = {"procedure": 8.0}
OTHER_WEIGHT = 2.0
# The hidden filter that sends records no longer in force after the others (search.js reads it).
CURRENT_FILTER = "current"
# Words Pagefind's folding leaves unlike search_fold's: those with đ/Đ, and short words ending in y
# (textnorm decides which of them are y-syllables). \b: a match can only start a word.
_WORD = re.compile(r"\w+")
_Y_LETTERS = frozenset("yýỳỷỹỵYÝỲỶỸỴ")
_NON_WORD = re.compile(r"[\W_]+")
_CLAUSE_BREAK = re.compile(r"(?:[^\w\s]|_)+")  # what ends a phrase: punctuation (search.js wordPairs)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What a record page tells the search index beyond its visible text. Values are labels."""

    kind: str  # a key of KIND_LABELS
    title: str
    agency: str  # the agency's name
    level: str = ""  # "Cấp tỉnh"
    field: str = ""  # lĩnh vực, procedures only
    code: str = ""  # procedure code or document number
    status: str = ""  # shown in the result: "Đang thực hiện", "Bị thay thế"; "" for agencies
    current: bool = True  # False when no longer in force: listed last, without the title weight
    # Every agency performing a catalogue procedure: its one result carries them all as values of
    # the `agency` filter (Pagefind allows several), so choosing one agency still finds it.
    agencies: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def filters(self) -> list[tuple[str, str]]:
        values = {"kind": (self.kind_label,), "agency": self.agencies or (self.agency,),
                  "field": (self.field,), "level": (self.level,)}
        return [(key, value) for key, _ in FILTERS for value in values[key] if value]


def index_entry(view: RecordView, agency_level: str, field: str) -> IndexEntry:
    """What a record's page adds to the index; `agency_level` is its agency's level label, `field`
    a procedure's field as its page lists it."""
    if isinstance(view, CatalogueView):
        return IndexEntry("procedure", view.title, view.agency_name, view.level_label, field, view.key,
                          status=view.status_label, current=view.current,
                          agencies=tuple(p.agency_name for p in view.places))
    if isinstance(view, ProcedureView):
        return IndexEntry("procedure", view.title, view.agency_name, view.level_label, field, view.key,
                          status=view.status_label, current=view.current)
    if isinstance(view, PlanView):
        return IndexEntry(view.kind, view.title, view.agency_name, agency_level, code=view.number,
                          status=view.status_label, current=view.current)
    assert isinstance(view, AgencyView)
    return IndexEntry("agency", view.title, view.title, view.level_label, code=view.code)


# --- index data of one page ---------------------------------------------------------------


def _words(text: str) -> str:
    """Folded text with punctuation as spaces, padded for whole-word `in` tests."""
    return f" {' '.join(_NON_WORD.sub(' ', search_fold(text)).split())} "


@cache
def synonyms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(official phrases, citizen phrases) pairs from synonyms.yaml, folded."""
    entries = data_file("synonyms.yaml")["entries"]
    return tuple(
        (tuple(_words(p) for p in entry["official"]), tuple(_words(p).strip() for p in entry["citizen"]))
        for entry in entries
    )


def synonyms_for(title: str) -> list[str]:
    """The citizens' phrases (folded) that should find a page with this title."""
    words = _words(title)
    found: dict[str, None] = {}
    for official, citizen in synonyms():
        if any(phrase in words for phrase in official):
            found.update(dict.fromkeys(citizen))
        found.update(dict.fromkeys(phrase for phrase in citizen if f" {phrase} " in words))
    return list(found)


def phrase_token(phrase: str) -> str:
    """A folded phrase as one indexed word: "so do" -> "sodo" (search.js joins queries the same way)."""
    return phrase.replace(" ", "")


def citizen_phrases() -> list[str]:
    """Every citizens' phrase, folded, longest first: the search page's `data-phrases`."""
    phrases = {phrase for _, citizen in synonyms() for phrase in citizen}
    return sorted(phrases, key=lambda p: (-len(p), p))


def title_pairs(title: str) -> list[str]:
    """Each pair of adjacent words of a title (folded, within a clause), as one word: "Đăng ký khai
    tử" -> ["dangki", "kikhai", "khaitu"] (search.js pairs a query's words the same way)."""
    pairs: dict[str, None] = {}
    for clause in _CLAUSE_BREAK.split(search_fold(title)):
        pairs.update(dict.fromkeys(a + b for a, b in pairwise(clause.split())))
    return list(pairs)


def variant_words(text: str) -> list[str]:
    """The words of `text` that Pagefind would not match with a folded query (those with đ/Đ and
    the y-syllables), folded as search_fold does, each once, in order."""
    # Every distinct word once, then the test: a third cheaper than one pattern for both kinds.
    found = (_fold_word(word) for word in dict.fromkeys(_WORD.findall(text)) if _is_variant(word))
    return list(dict.fromkeys(word for word in found if word))


def _is_variant(word: str) -> bool:
    """A word with đ/Đ, or a syllable of two or three letters ending in y ("ký", "lý", "quy")."""
    return "đ" in word or "Đ" in word or (2 <= len(word) <= 3 and word[-1] in _Y_LETTERS
                                          and word[:-1].isalpha())


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    # Pages repeat the same few hundred such words ("đăng", "ký", "được"): fold each once. A word
    # Pagefind folds to the same letters needs no copy ("ay" of "này" is no y-syllable).
    folded = search_fold(word)
    return folded if "đ" in word.lower() or folded != fold(word) else ""


def _weight(table: dict[str, float], entry: IndexEntry) -> float:
    return table.get(entry.kind, OTHER_WEIGHT) if entry.current else OTHER_WEIGHT


def index_data(entry: IndexEntry, body: str) -> dict[str, Any]:
    """The template data of a page's hidden index block (templates/_pagefind.j2).

    `body` is the page's rendered content: the variant words are taken from all of it.
    """
    title_line = " ".join(part for part in (search_fold(entry.title), entry.code) if part)
    return {
        "filters": [*entry.filters(), (CURRENT_FILTER, "yes" if entry.current else "no")],
        "meta": [
            (key, value)
            for key, value in (("title", entry.title), ("kind", entry.kind_label),
                               ("agency", entry.agency), ("code", entry.code), ("status", entry.status),
                               ("current", "" if entry.current else "no"))
            if value
        ],
        "title": {"text": title_line, "weight": _weight(TITLE_WEIGHT, entry)},
        "pairs": {"text": " ".join(title_pairs(entry.title)), "weight": _weight(TITLE_WEIGHT, entry)},
        "synonyms": {"text": " ".join(map(phrase_token, synonyms_for(entry.title))),
                     "weight": _weight(SYNONYM_WEIGHT, entry)},
        "variants": " ".join(variant_words(body)),
    }


def filter_options(entries: list[IndexEntry]) -> list[dict[str, Any]]:
    """The search page's filter menus: every value the index holds, in Vietnamese order."""
    order = {label: i for i, label in enumerate(KIND_LABELS.values())}
    menus = []
    for key, label in FILTERS:
        values = {value for e in entries for k, value in e.filters() if k == key}
        ordered = sorted(values, key=lambda v: (order.get(v, 99), fold(v), v))
        menus.append({"key": key, "label": label, "options": ordered})
    return menus
