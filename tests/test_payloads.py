"""Attack payloads in every field of a record never survive as markup, script or formula.

tests/payload_site.py puts each payload (script tags, event handlers, attribute breakers,
javascript:/data:/vbscript: URLs, spreadsheet formulas) into every string of a procedure, a plan
and an agency. Two builds are checked file by file:

- `direct`: publish.build_site on the records, validation bypassed, so that even the values
  validation refuses (javascript: URLs, payloads in enumerations, dates and identifiers) reach
  the renderers: defence in depth;
- `cli`: the real `congkhai build` on a repository holding every payload validation accepts.

No field is rendered as Markdown: every value is HTML-escaped by Jinja2's autoescape (render/),
serialised with json.dumps (exports, JSON-LD with <, >, & escaped), XML-escaped (feeds) or
neutralised (CSV), and only http(s), mailto and tel URLs become links (labels.safe_href).
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import build_ok
from payload_site import PAYLOADS, TODAY, Planted, page_rel, valid_payload_repository

from generator.prepare import format as labels
from generator.render.feeds import ATOM

MARKUP_EXTENSIONS = (".html", ".xml", ".svg")
# What a payload would look like had it survived as markup (lower case).
RAW_MARKUP = ("<script>alert", "<img src=x", "<svg onload", "</script><script>")
EXECUTABLE_SCHEMES = ("javascript:", "data:", "vbscript:")
# Attributes a browser treats as URLs (navigates to, loads or submits to).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data", "cite",
    "background", "ping", "manifest", "codebase", "longdesc", "usemap", "icon", "lowsrc", "dynsrc",
})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@pytest.fixture
def direct(payload_site_direct: tuple[Path, list[Planted]]) -> tuple[Path, list[Planted]]:
    """Every payload, validation bypassed, built by publish.build_site (conftest)."""
    return payload_site_direct


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planted]]:
    """The payloads validation accepts, through `congkhai build`."""
    base = tmp_path_factory.mktemp("payloads-cli")
    planted = valid_payload_repository(base / "repo")
    build_ok(base / "site", "--root", base / "repo", "--today", TODAY.isoformat())
    return base / "site", planted


@pytest.fixture(params=["direct", pytest.param("cli", marks=pytest.mark.slow)])
def built(request: pytest.FixtureRequest) -> tuple[Path, list[Planted]]:
    site: tuple[Path, list[Planted]] = request.getfixturevalue(request.param)
    return site


def files(site: Path, *suffixes: str) -> list[Path]:
    found = sorted(p for p in site.rglob("*") if p.is_file() and p.name.endswith(suffixes))
    assert found, suffixes
    return found


class Scanned(HTMLParser):
    """Event handlers, executable URLs, inline scripts and JSON-LD blocks of one document."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline_scripts: list[str] = []
        self.data_blocks: list[str] = []
        self.h1: list[str] = []
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            plain = _INVISIBLE.sub("", value or "").lower()
            if name in URL_ATTRIBUTES and plain.startswith(EXECUTABLE_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "content" and "url=" in plain and \
                    plain.split("url=", 1)[1].startswith(EXECUTABLE_SCHEMES):
                self.problems.append(f"<meta content={value!r}>")
        found = dict(attrs)
        if tag == "script" and found.get("type") == "application/ld+json":
            self._in = "data"
            self.data_blocks.append("")
        elif tag == "script" and not found.get("src"):
            self._in = "script"
            self.inline_scripts.append("")
        elif tag == "h1":
            self._in = "h1"
            self.h1.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "h1"):
            self._in = None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "h1"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "data":
            self.data_blocks[-1] += data
        elif self._in == "script":
            self.inline_scripts[-1] += data
        elif self._in == "h1":
            self.h1[-1] += data


# --- HTML, XML and SVG ---------------------------------------------------------------------


def test_the_scanner_would_notice() -> None:
    doc = Scanned('<img src=x onerror=alert(1)><a href=" JaVa&#9;script:x">a</a><form action="data:,x">'
                 '<script>alert(1)</script><h1>t</h1>')
    assert doc.problems == ["<img onerror='alert(1)'>", "<a href=' JaVa\\tscript:x'>",
                            "<form action='data:,x'>"]
    assert doc.inline_scripts == ["alert(1)"] and doc.h1 == ["t"]


def test_no_payload_survives_as_raw_markup(built: tuple[Path, list[Planted]]) -> None:
    site, _ = built
    tagged = [p.lower() for p in PAYLOADS if "<" in p]
    for path in files(site, *MARKUP_EXTENSIONS):
        text = path.read_text(encoding="utf-8").lower()
        survived = [m for m in (*RAW_MARKUP, *tagged) if m in text]
        assert survived == [], path.relative_to(site)


def test_no_event_handler_or_executable_url_in_any_page(built: tuple[Path, list[Planted]]) -> None:
    site, _ = built
    for path in files(site, ".html", ".svg"):
        doc = Scanned(path.read_text(encoding="utf-8"))
        assert doc.problems == [], path.relative_to(site)
        assert [s for s in doc.inline_scripts if "alert(" in s or "msgbox(" in s] == [], path


def test_jsonld_blocks_parse_and_cannot_close_their_script(built: tuple[Path, list[Planted]]) -> None:
    site, _ = built
    blocks = 0
    for path in files(site, ".html"):
        for block in Scanned(path.read_text(encoding="utf-8")).data_blocks:
            blocks += 1
            assert "</script" not in block.lower() and "<!--" not in block, path
            json.loads(block)
    assert blocks


def test_payloads_are_shown_as_text(built: tuple[Path, list[Planted]]) -> None:
    """Escaped, not dropped: each record page's heading reads the payload itself."""
    site, planted = built
    for plant in planted:
        for rec in plant.records:
            doc = Scanned((site / page_rel(site, rec) / "index.html").read_text(encoding="utf-8"))
            assert [h.strip() for h in doc.h1] == [labels.text(plant.payload)], rec.path


def test_xml_files_are_well_formed(built: tuple[Path, list[Planted]]) -> None:
    site, _ = built
    for path in files(site, ".xml"):
        ET.parse(path)


def test_feeds_parse_and_hold_payloads_as_text(built: tuple[Path, list[Planted]]) -> None:
    site, planted = built
    titles: set[str] = set()
    for path in files(site, ".xml"):
        if not path.name.startswith("atom"):
            continue
        for element in ET.parse(path).iter():  # markup that survived would be a foreign element
            assert element.tag.startswith(f"{{{ATOM}}}"), (path.name, element.tag)
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path.name, feed.get("bozo_exception"))
        titles.update(entry.title for entry in feed.entries)
    assert {labels.text(p.payload) for p in planted} <= titles


# --- JSON and CSV --------------------------------------------------------------------------


def test_json_files_parse_and_keep_the_data(built: tuple[Path, list[Planted]]) -> None:
    site, planted = built
    for path in files(site, ".json", ".jsonld"):
        json.loads(path.read_text(encoding="utf-8"))
    doc: dict[str, Any] = json.loads((site / "api" / "procedures.json").read_text(encoding="utf-8"))
    names = {r["source_path"]: r["name"] for r in doc["records"]}
    assert all(names[p.procedure.path] == p.payload for p in planted)


def test_no_csv_cell_can_become_a_formula(built: tuple[Path, list[Planted]]) -> None:
    site, _ = built
    neutralised = 0
    for path in files(site, ".csv"):
        with open(path, encoding="utf-8-sig", newline="") as stream:
            for row in csv.reader(stream):
                assert [cell for cell in row if cell.startswith(FORMULA_START)] == [], path.name
                neutralised += sum(cell.startswith(("'=", "'+", "'-", "'@")) for cell in row)
    assert neutralised
