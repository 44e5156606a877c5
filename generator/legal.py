"""The legal registry and the other rule data files, loaded once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from generator.model import LegalRef
from generator.textnorm import fold

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def data_file(name: str) -> Any:
    """A YAML file shipped in generator/data (trusted: part of the release, not user input)."""
    text = resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)


@cache
def _legal_data() -> dict[str, Any]:
    return data_file("legal.yaml")


@cache
def registry() -> dict[str, LegalRef]:
    """Every entry of legal.yaml by id, its `also` entries built in."""
    entries = _legal_data()["entries"]
    built: dict[str, LegalRef] = {}

    def build(key: str) -> LegalRef:
        if key not in built:
            value = dict(entries[key])
            also = tuple(build(other) for other in value.pop("also", ()))
            built[key] = LegalRef(id=key, also=also, valid_from=value.pop("from", None),
                                  valid_until=value.pop("until", None), **value)
        return built[key]

    return {key: build(key) for key in entries}


def ref(legal_id: str | None, on: date | None = None) -> LegalRef | None:
    """The entry `legal_id`; with `on`, the entry of its line of versions in force that day."""
    if not legal_id:
        return None
    try:
        entry = registry()[legal_id]
    except KeyError:
        raise KeyError(f"legal registry has no entry {legal_id!r}") from None
    return entry if on is None else at(entry, on)


def at(entry: LegalRef, on: date) -> LegalRef:
    """The version of `entry` (itself, an entry it replaced or one replacing it) that applies
    on `on`, citing only those of its `also` entries that apply then too.

    A day before every version (or after every one) keeps `entry`: the registry knows no other.
    """
    chosen = next((e for e in versions(entry.id) if e.applies_on(on)), entry)
    also = tuple(a for a in (at(other, on) for other in chosen.also) if a.applies_on(on))
    return chosen if also == chosen.also else replace(chosen, also=also)


@cache
def versions(legal_id: str) -> tuple[LegalRef, ...]:
    """The line of versions `legal_id` belongs to, oldest first (linked by `replaced_by`)."""
    entries = registry()
    previous = {e.replaced_by: e.id for e in entries.values() if e.replaced_by}
    first = legal_id
    while first in previous:
        first = previous[first]
    line = [entries[first]]
    while line[-1].replaced_by:
        line.append(entries[line[-1].replaced_by])
    return tuple(line)


def registry_version() -> date:
    """The day the registry was last reviewed against the law."""
    return _legal_data()["version"]


def confidence_label(confidence: str) -> str:
    """How sure a citation is, in words for the public (legal.yaml `confidence_labels`)."""
    return _legal_data()["confidence_labels"][confidence]


def rule_basis(rule_id: str) -> str:
    """The registry id a fixed rule cites (legal.yaml `rules`)."""
    return _legal_data()["rules"][rule_id]


def registry_rules() -> list[str]:
    """The rules with a fixed basis (legal.yaml `rules`)."""
    return list(_legal_data()["rules"])


def record_date_field(kind: str) -> str | None:
    """The field holding the date that decides which law applies to a record of `kind`."""
    return _legal_data()["record_dates"].get(kind)


@cache
def placeholder_forms() -> frozenset[str]:
    return frozenset(fold(p) for p in data_file("placeholders.yaml")["placeholders"])


@cache
def none_forms() -> frozenset[str]:
    return frozenset(fold(p) for p in data_file("placeholders.yaml")["none_words"])


@cache
def _longest_form() -> int:
    return max(map(len, placeholder_forms() | none_forms()))


@lru_cache(maxsize=4096)
def _short_fold(text: str) -> str:
    return fold(text)


def is_placeholder(text: str) -> bool:
    # Folding is the costly part; real content is longer than any placeholder, and short
    # values ("Không", "Công dân Việt Nam") repeat across records, so their folds are cached.
    return len(text) <= 2 * _longest_form() and _short_fold(text) in placeholder_forms()


def is_none_word(text: str) -> bool:
    return len(text) <= 2 * _longest_form() and _short_fold(text) in none_forms()
