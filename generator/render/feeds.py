"""Atom feeds (RFC 4287) of new and changed records, written with the standard library.

Entries are prepared by exports.py; this module only lays them out. A record's date is a day:
it is written as midnight in Vietnam (UTC+07:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str  # a tag: URI that stays when the page moves
    title: str
    url: str  # the record's page
    updated: str  # ISO date
    published: str  # ISO date, or ""
    category: str  # record kind
    category_label: str  # Vietnamese
    author: str  # agency name
    summary: str
    content: str = ""  # the record's latest changes (prepare/history.py), one a line


def timestamp(day: str) -> str:
    """RFC 3339 date-time of an ISO date: midnight in Vietnam."""
    return f"{day}T00:00:00+07:00"


def _x(text: str) -> str:
    """Text or attribute value for XML: escaped, and without the characters XML cannot carry."""
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def _entry(item: Entry) -> list[str]:
    lines = [
        "  <entry>",
        f"    <id>{_x(item.id)}</id>",
        f"    <title>{_x(item.title)}</title>",
        f'    <link rel="alternate" type="text/html" href="{_x(item.url)}" />',
        f"    <updated>{timestamp(item.updated)}</updated>",
    ]
    if item.published:
        lines.append(f"    <published>{timestamp(item.published)}</published>")
    return [
        *lines,
        f"    <author><name>{_x(item.author)}</name></author>",
        f'    <category term="{_x(item.category)}" label="{_x(item.category_label)}" />',
        f'    <summary type="text">{_x(item.summary)}</summary>',
        *([f'    <content type="text">{_x(item.content)}</content>'] if item.content else []),
        "  </entry>",
    ]


def atom(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    home_url: str,
    author: str,
    rights: str,
    updated: str,
    entries: list[Entry],
) -> bytes:
    """The feed document; `entries` in the order given (newest first)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="vi">',
        f"  <id>{_x(feed_id)}</id>",
        f"  <title>{_x(title)}</title>",
        f"  <updated>{timestamp(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href="{_x(self_url)}" />',
        f'  <link rel="alternate" type="text/html" href="{_x(home_url)}" />',
        f"  <author><name>{_x(author)}</name></author>",
        f"  <rights>{_x(rights)}</rights>",
        "  <generator>công khai</generator>",
    ]
    for item in entries:
        lines += _entry(item)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
