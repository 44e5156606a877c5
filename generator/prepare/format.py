"""Values as a citizen reads them: one line of text, paragraphs, dates, money, durations, safe links.

The words come from generator/labels.py (generator/data/labels.yaml).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.labels import UNITS, WORDS
from generator.textnorm import fold

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+$")
_PHONE_HEAD = re.compile(r"^\+?[\d .()\-]+")
_SAFE_SCHEMES = ("http", "https")
_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def plain(value: Any) -> str:
    """A value as written, for a spreadsheet cell: numbers as digits, booleans as Có/Không."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return WORDS["yes"] if value else WORDS["no"]
    return str(value)


def label(table: Mapping[str, str], value: Any) -> str:
    """The Vietnamese label of an enumerated value; unknown values are shown as they are."""
    return table.get(value, text(value)) if isinstance(value, str) else text(value)


def text(value: Any) -> str:
    """A scalar as one line of text ("" for missing values)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return WORDS["yes"] if value else WORDS["no"]
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, float):
        return number(value)
    return " ".join(str(value).split())


def paragraphs(value: Any) -> list[list[str]]:
    """Multi-line text as paragraphs of lines, so templates never emit blank lines."""
    if value is None:
        return []
    out: list[list[str]] = []
    for block in re.split(r"\n\s*\n", str(value)):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            out.append(lines)
    return out


def is_none(value: Any) -> bool:
    """The explicit answer "Không" (none) a record may give for fees, requirements and results."""
    # Folding is per character: a long text (requirements run to pages) cannot be "Không".
    return isinstance(value, str) and len(value) <= 32 and fold(value) == "khong"


def number(value: int | float) -> str:
    """Vietnamese number: thousands with ".", decimals with ","."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:,.2f}".rstrip("0").partition(".")
        return whole.replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def size_text(size: int) -> str:
    """A file size for people: "12,3 KB" (Vietnamese decimal comma; 1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte"
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{number(round(value, 1))} {unit}"


def money(amount: Any) -> str:
    if not is_number(amount):
        return text(amount)
    return WORDS["free"] if amount == 0 else f"{number(amount)} {WORDS['currency']}"


def duration(value: Any, unit: Any) -> str:
    shown = number(value) if is_number(value) else text(value)
    return f"{shown} {label(UNITS, unit)}".strip()


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def iso_duration(value: Any, unit: Any) -> str | None:
    """ISO 8601 (xsd:duration) form of a processing time, None when it has none.

    Working days become days (ISO 8601 has no working days; the text says which). Fractions
    move to the next smaller unit, because xsd:duration allows them only on seconds:
    0.5 days -> PT12H, 1.5 hours -> PT1H30M, 1.5 months -> P1M15D (a month counted as 30 days).
    """
    if not is_number(value) or value < 0 or unit not in UNITS:
        return None
    if unit == "months":
        months = int(value)
        days, hours, minutes = _split(round((value - months) * 30 * 24 * 60))
        return _iso_format(months, days, hours, minutes)
    per_unit = 24 * 60 if unit in ("working_days", "days") else 60
    return _iso_format(0, *_split(round(value * per_unit)))


def _split(minutes: int) -> tuple[int, int, int]:
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return days, hours, minutes


def _iso_format(months: int, days: int, hours: int, minutes: int) -> str:
    day_part = (f"{months}M" if months else "") + (f"{days}D" if days else "")
    time_part = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if not day_part and not time_part:
        return "P0D"
    return "P" + day_part + (f"T{time_part}" if time_part else "")


def iso(value: Any) -> str:
    """Sortable ISO form of a date value ("" when unknown)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return value if isinstance(value, str) and _ISO_DATE.match(value) else ""


def line(paragraphs: list[list[str]]) -> str:
    """Paragraphs as one line of text (what `text` makes of the value they came from)."""
    return " ".join(" ".join(lines) for lines in paragraphs)


def date(value: Any) -> str:
    """dd/mm/yyyy from a date or an ISO string; anything else as text."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if match:
        year, month, day = match.groups()
        return f"{day}/{month}/{year}"
    return text(value)


def safe_href(url: Any) -> str | None:
    """The URL if it may become a link (http, https, mailto, tel), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in _SAFE_SCHEMES:
        return url if parts.netloc else None
    if scheme == "mailto":
        return url if _EMAIL.match(url[7:].split("?", 1)[0]) else None
    if scheme == "tel":
        return url if re.fullmatch(r"\+?[\d\-.()]+", url[4:]) else None
    return None


@dataclass(frozen=True, slots=True)
class Link:
    """A link as pages show it: `href` is None when the URL is not safe, `raw` then shows it as text."""

    text: str  # the title, else the URL
    href: str | None
    raw: str = ""  # the URL as text, when it may not become a link
    title: str = ""  # the title as the record writes it (the CSV files keep it)
    url: str = ""  # the URL as the record writes it

    @property
    def web(self) -> str | None:
        """`href` when it is a web page (http or https), not mailto: or tel:."""
        return self.href if self.href and self.href.lower().startswith(("http:", "https:")) else None

    def titled(self) -> str:
        """"title: URL", or whichever of the two there is (the CSV form)."""
        return f"{self.title}: {self.url}" if self.title and self.url else self.title or self.url


def link(title: Any, url: Any) -> Link:
    href, shown_url = safe_href(url), text(url)
    raw = "" if href or url is None else shown_url
    return Link(text(title) or shown_url, href, raw, plain(title), plain(url))


def tel(number: Any) -> str | None:
    """tel: URL of a Vietnamese phone number ("0258 3822 111" -> "tel:02583822111")."""
    match = _PHONE_HEAD.match(number.strip()) if isinstance(number, str) else None
    digits = re.sub(r"[^\d+]", "", match.group(0)) if match else ""
    return f"tel:{digits}" if len(digits.lstrip("+")) >= 3 else None


def mailto(email: Any) -> str | None:
    return f"mailto:{email.strip()}" if isinstance(email, str) and _EMAIL.match(email.strip()) else None
