"""Shared pieces of the national-portal parsers: the parse result, text normalisation, and
the letter classes that tell two glued table cells apart."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.legal import is_placeholder
from generator.textnorm import clean

PLACEHOLDER = "Không có thông tin"

# Vietnamese letters by case: the only way to tell two table cells apart where they touch.
LOWER_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
LOWER = "a-z" + LOWER_MARKED
UPPER = "A-Z" + LOWER_MARKED.upper()

# Report outcomes of one value.
PARSED, NOTE, DISAGREEING, MISSING = "parsed", "note", "disagreeing", "missing"


@dataclass(frozen=True, slots=True)
class Leftover:
    """Source text kept verbatim in the entry's note, under a Vietnamese label."""

    label: str
    text: str


@dataclass(slots=True)
class Parsed:
    value: Any = None
    leftovers: list[Leftover] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tally: Counter[tuple[str, str]] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.leftovers or self.warnings)

    def count(self, path: str, outcome: str, n: int = 1) -> None:
        self.tally[(path, outcome)] += n


# --- text ------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC, invisible characters out, NBSP to space, Windows line ends, trailing blanks out."""
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def one_line(text: str) -> str:
    """A short field (name, title): runs of whitespace become one space."""
    return " ".join(normalise(text).split())


def is_missing(text: str) -> bool:
    """Empty, or a placeholder ("Không có thông tin", "...", the registry's list): no value."""
    return not text.strip() or is_placeholder(text.strip())


def balanced_parenthesis(text: str, start: int) -> int:
    """Index just past the ')' closing the '(' at `start`, or len(text) when it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def split_top_level(text: str, separator: str = ",",
                    starts_item: Callable[[str], bool] = lambda rest: True) -> list[str]:
    """Split on `separator` outside parentheses, where `starts_item(text after it)` says a new
    item begins: "A (b, c), D" -> ["A (b, c)", "D"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == separator and depth <= 0 and starts_item(text[i + 1:]):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


_CAPITAL_NEXT = re.compile(rf"\s*[{UPPER}0-9]")


def capitalised_items(text: str) -> list[str]:
    """A comma list whose items start with a capital letter: "Cán bộ, công chức, viên chức,
    Doanh nghiệp" -> ["Cán bộ, công chức, viên chức", "Doanh nghiệp"]."""
    return split_top_level(one_line(text), ",", lambda rest: _CAPITAL_NEXT.match(rest) is not None)



def glued(text: str) -> bool:
    """A lower-case letter directly followed by a capital: two table cells read as one."""
    return re.search(rf"[{LOWER}](?=[A-ZĐ][{LOWER}])", text) is not None
