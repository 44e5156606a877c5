"""Render a corpus into the mkdocs `docs/` tree: one Markdown file per page.

Each file holds a front matter with the (HTML-escaped) title and an HTML body rendered by our
own autoescaping Jinja2 templates from prepared plain data. The body is made of raw HTML blocks,
which Python-Markdown would pass through verbatim; the hooks in mkdocs_hooks.py skip Markdown
for these pages altogether (they start with MARKER).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.model import Corpus
from generator.parallel import share_out, worker_count
from generator.render.mkdocs_hooks import MARKER
from generator.render.pages import PROCEDURE_SECTIONS, TOP_PAGES, Page, Site, url_of
from generator.search import index_data

__all__ = ["PROCEDURE_SECTIONS", "TOP_PAGES", "render_docs", "url_of"]

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment, built once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Every record value is escaped here. No field is rendered as Markdown or trusted HTML,
        # so there is nothing for an HTML sanitiser (nh3) to clean; tests/test_payloads.py
        # checks every output file against injected markup, URLs and formulas.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["sections"] = {key: {"id": id_, "label": label} for key, id_, label in PROCEDURE_SECTIONS}
    return env


def render_page(page: Page) -> str:
    """The Markdown file of one page: front matter, then the rendered body.

    A standalone page (the counter sheets) is a whole HTML document: mkdocs copies it as it is.
    """
    if page.standalone:
        return environment().get_template(page.template).render(page.context, title=page.title)
    # Material inserts page titles into its templates without escaping: give it HTML text.
    # `meta` (feed links) is read by site_overrides/main.html, which escapes it.
    # JSON is YAML too, and json.dumps is some fifty times faster than PyYAML's emitter.
    front = json.dumps({"title": html.escape(page.title), **page.meta}, ensure_ascii=False) + "\n"
    body = environment().get_template(page.template).render(page.context, title=page.title)
    if page.search is not None:  # a record page: its content is indexed for search
        marked = environment().get_template("_pagefind.j2")
        body = marked.render(index_data(page.search, body), body=Markup(body))
    return f"---\n{front}---\n\n{MARKER}\n{body}"


# Pages: below this, one process renders faster than starting workers does.
PARALLEL_FROM = 1500


def render_docs(corpus: Corpus, docs_dir: Path, scorecard: dict[str, Any] | None = None,
                open_data: dict[str, Any] | None = None, workers: int | None = None,
                site: Site | None = None) -> Site:
    """Write the docs tree of `corpus` into `docs_dir` (created if missing); returns the site map.

    `scorecard` is the completeness report as plain data (report.as_data), for its page;
    `open_data` is exports.Exports.page_data(): feed links, linked data, the "Dữ liệu mở" page.
    Pages are independent: on a large site each processor renders a share of them. `site` is
    a page map already made for `corpus` (the exports use the same one); its scorecard and
    open data are set from the arguments.
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    if site is None:
        site = Site(corpus, scorecard, open_data)
    else:
        site.scorecard, site.open_data = scorecard, open_data
    jobs = site.page_jobs()
    share_out(partial(_write_pages, docs_dir, site), jobs, workers or worker_count(len(jobs), PARALLEL_FROM))
    return site


def _write_pages(docs_dir: Path, site: Site, jobs: Sequence[Callable[[], Page]]) -> None:
    made: set[Path] = {docs_dir}
    for job in jobs:
        page = job()
        if "feeds" not in page.meta and site.open_data is not None:
            page.meta["feeds"] = site.feed_links()
        target = docs_dir / (url_of(page.src) + "index.html" if page.standalone else page.src)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(render_page(page), encoding="utf-8")
