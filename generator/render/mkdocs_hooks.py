"""MkDocs hooks (mkdocs.yml `hooks:`): generated pages are already HTML, skip Markdown for them.

Python-Markdown would only pass our raw HTML blocks through, yet parsing them costs about
a third of a build. Pages that start with MARKER are stashed before conversion, given back
unchanged afterwards, and get their table of contents from their own <h2 id> headings.
Self-contained on purpose: mkdocs loads this file by path.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from mkdocs.structure.toc import get_toc

MARKER = "<!-- cong-khai:html -->"
_H2 = re.compile(r'<h2 id="([^"<>]+)">(.*?)</h2>')
_TAG = re.compile(r"<[^>]*>")
_ATTR = "_cong_khai_html"


class _Heading(TypedDict):
    """A table-of-contents entry as mkdocs' get_toc takes it."""

    level: int
    id: str
    name: str
    children: list[_Heading]


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    body = markdown.lstrip()
    if not body.startswith(MARKER):
        return markdown
    setattr(page, _ATTR, body[len(MARKER) :].lstrip("\n"))
    return ""


def on_page_content(html: str, page: Any, **_: Any) -> str:
    body = getattr(page, _ATTR, None)
    if not isinstance(body, str):
        return html
    delattr(page, _ATTR)
    tokens: list[_Heading] = [
        {"level": 2, "id": m.group(1), "name": _TAG.sub("", m.group(2)), "children": []}
        for m in _H2.finditer(body)
    ]
    page.toc = get_toc(tokens)
    return body
