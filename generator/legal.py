"""The legal registry and the other rule data files, loaded once."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from generator.model import LegalRef
from generator.textnorm import fold

if TYPE_CHECKING:
    from yaml import SafeLoader as _Loader
else:  # libyaml's loader when the wheel has it
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_file(name: str) -> Any:
    """A YAML file shipped in generator/data (trusted: part of the release, not user input)."""
    text = resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)


@cache
def registry() -> dict[str, LegalRef]:
    entries = data_file("legal.yaml")["entries"]
    return {key: LegalRef(id=key, **value) for key, value in entries.items()}


def ref(legal_id: str | None) -> LegalRef | None:
    if not legal_id:
        return None
    try:
        return registry()[legal_id]
    except KeyError:
        raise KeyError(f"legal registry has no entry {legal_id!r}") from None


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
