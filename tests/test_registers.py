"""The plans-and-policies register's pre-built filter pages, superseded documents and download
labels, on the shared sample build (the browser tests use them as a person would)."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, Built

from generator.labels import PLAN_KINDS, PLAN_STATUS
from generator.prepare.format import size_text
from generator.prepare.views import attachment

ROW = re.compile(r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a>')
FACET = re.compile(r'<div class="ck-facet"><p class="ck-facet-label"[^>]*>([^<]*)</p>(.*?)</ul></div>', re.S)
OPTION = re.compile(r'<li>(?:<a href="([^"]*)"( aria-current="page")?>|<span class="ck-facet-empty">)([^<]*)')


def plans() -> list[dict[str, Any]]:
    """The sample's plans and policies, read from their YAML (the oracle)."""
    files = sorted((REPO / "plans_and_policies").glob("*/*.yaml"))
    return [yaml.safe_load(p.read_text("utf-8")) for p in files]


def listed(page: Path) -> set[str]:
    text = page.read_text("utf-8")
    register = text[text.index('class="md-typeset__table ck-table ck-reflow ck-register"'):]
    return {html.unescape(t) for t in ROW.findall(register[:register.index("</table>")])}


def facets(page: Path) -> dict[str, list[tuple[str, str, bool]]]:
    """Each filter's options on a register page: (label with count, link, chosen)."""
    return {html.unescape(label): [(html.unescape(text), href, bool(current))
                                   for href, current, text in OPTION.findall(body)]
            for label, body in FACET.findall(page.read_text("utf-8"))}


def test_every_filter_page_lists_exactly_the_documents_it_names(sample_site: Built) -> None:
    """Walk the filter links from the register like a visitor without JavaScript: every page
    reached lists the documents its choices admit, as many as its link said."""
    docs = plans()
    kinds, statuses = {v: k for k, v in PLAN_KINDS.items()}, {v: k for k, v in PLAN_STATUS.items()}
    seen: dict[str, dict[str, str]] = {}
    todo = [("van-ban/", {})]
    while todo:
        url, chosen = todo.pop()
        if url in seen:
            continue
        seen[url] = chosen
        page = sample_site.root / url / "index.html"
        expected = {d["title"] for d in docs
                    if d["kind"] == kinds.get(chosen.get("Loại văn bản", ""), d["kind"])
                    and d["status"] == statuses.get(chosen.get("Tình trạng hiệu lực", ""), d["status"])
                    and (d["business_related"] or chosen.get("Liên quan đến sản xuất, kinh doanh") != "Có")}
        assert listed(page) == expected, (url, chosen)
        for label, options in facets(page).items():
            for text, href, current in options:
                value, count = re.fullmatch(r"(.*) \((\d+)\)", text).groups()  # type: ignore[union-attr]
                assert current == (chosen.get(label, "Tất cả") == value), (url, label, text)
                if not href:
                    assert count == "0", (url, text)  # an option that would list nothing is no link
                elif not current:
                    target = posixpath.normpath(posixpath.join(url, href)) + "/"
                    todo.append((target, {**chosen, label: value} if value != "Tất cả"
                                 else {k: v for k, v in chosen.items() if k != label}))
                    assert len(listed(sample_site.root / target / "index.html")) == int(count), (url, text)
    business = [u for u, c in seen.items() if c == {"Liên quan đến sản xuất, kinh doanh": "Có"}]
    assert business == ["van-ban/loc/tat-ca/tat-ca/kinh-doanh/"]
    assert len(seen) == len(list((sample_site.root / "van-ban" / "loc").rglob("index.html"))) + 1


def test_superseded_document_and_its_successor_name_each_other(sample_site: Built) -> None:
    folder = sample_site.root / "van-ban" / "so-nong-nghiep-va-moi-truong"
    old = (folder / "bang-gia-dat-2020-2024" / "index.html").read_text("utf-8")
    banner = old[old.index('<div class="admonition warning ck-status" role="note">'):]
    banner = banner[:banner.index("</div>")]
    assert "Văn bản đã bị thay thế" in banner
    assert 'Văn bản thay thế: <a href="../bang-gia-dat-2026/">Nghị quyết quy định bảng giá đất' in banner
    assert old.index("ck-status") < old.index('id="thong-tin-chung"')  # under the title, first
    new = (folder / "bang-gia-dat-2026" / "index.html").read_text("utf-8")
    assert '<dt>Thay thế văn bản</dt><dd><a href="../bang-gia-dat-2020-2024/">Bảng giá các loại đất' in new
    assert "ck-status" not in new


def test_downloads_say_their_format_and_size(sample_site: Built) -> None:
    folder = sample_site.root / "van-ban" / "so-nong-nghiep-va-moi-truong"
    new = (folder / "bang-gia-dat-2026" / "index.html").read_text("utf-8")
    assert 'Nghị quyết số 15/2025/NQ-HĐND</a> <span class="ck-muted">(PDF, 1,2 MB)</span>' in new
    assert 'theo từng xã, phường, đặc khu</a> <span class="ck-muted">(XLSX, 8,1 MB)</span>' in new
    old = (folder / "bang-gia-dat-2020-2024" / "index.html").read_text("utf-8")
    assert 'Quyết định số 04/2020/QĐ-UBND</a> <span class="ck-muted">(PDF)</span>' in old  # no size given


@pytest.mark.parametrize(("data", "about"), [
    ({"title": "a", "url": "https://x.vn/a.pdf", "size": 1258291}, "PDF, 1,2 MB"),
    ({"title": "a", "url": "https://x.vn/a.PDF?v=2", "size": 2048}, "PDF, 2 KB"),
    ({"title": "a", "url": "https://x.vn/tai-ve?id=7", "format": "docx", "size": 900}, "DOCX, 900 byte"),
    ({"title": "a", "url": "https://x.vn/tai-ve?id=7"}, ""),  # neither given nor in the address
    ({"title": "a", "url": "https://x.vn/ban-do.kmz"}, "KMZ"),
    ({"title": "a", "url": "https://x.vn/trang.html"}, ""),  # a web page is no download
])
def test_attachment_label(data: dict[str, Any], about: str) -> None:
    assert attachment(data).about == about


def test_size_text_uses_the_vietnamese_decimal_comma() -> None:
    assert [size_text(n) for n in (1, 1023, 1024, 1536, 1048576, 1258291, 10 * 2**30)] == [
        "1 byte", "1023 byte", "1 KB", "1,5 KB", "1 MB", "1,2 MB", "10.240 MB"]
