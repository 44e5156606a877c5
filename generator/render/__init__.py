"""The render stage: the prepared views into the mkdocs `docs/` tree, one Markdown file per page.

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

import jinja2
from markupsafe import Markup

from generator.labels import ANSWER_WORDS, HISTORY_WORDS
from generator.parallel import share_out, worker_count
from generator.prepare.places import CatalogueView
from generator.prepare.search import index_data
from generator.render import dossier_pages, pages
from generator.render.counter import counter_page_of, places_counter_page
from generator.render.legal_page import legal_page
from generator.render.mkdocs_hooks import MARKER
from generator.render.pages import PLACES_SECTION, PROCEDURE_SECTIONS
from generator.render.site import Page, Site, url_of

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
    env.globals["sections"] = {key: {"id": id_, "label": label}
                               for key, id_, label in (*PROCEDURE_SECTIONS, PLACES_SECTION)}
    env.globals["history_words"] = HISTORY_WORDS
    env.globals["answer_words"] = ANSWER_WORDS
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


def page_jobs(site: Site) -> list[Callable[[], Page]]:
    """Every page, as a call that makes it: independent, so workers can share them out."""
    jobs: list[Callable[[], Page]] = [partial(pages.home_page, site), partial(pages.agencies_page, site),
                                      partial(pages.procedures_page, site),
                                      partial(pages.hotlines_page, site), partial(pages.search_page, site),
                                      legal_page]
    jobs += [partial(pages.plans_page, site, choice) for choice in site.plan_choices]
    if site.scorecard is not None:
        jobs.append(partial(pages.scorecard_page, site, site.scorecard))
    if site.open_data is not None:
        jobs.append(partial(pages.open_data_page, site, site.open_data["page"]))
    jobs += [partial(pages.agency_page, site, agency) for agency in site.agencies.values()]
    if site.dossier_src:
        jobs.append(partial(dossier_pages.dossier_ranking_page, site))
        jobs += [partial(dossier_pages.dossier_page, site, agency_id) for agency_id in site.dossier_src]
    jobs += [partial(pages.group_page, site, group, level=False) for group in site.fields.values()]
    jobs += [partial(pages.group_page, site, group, level=True) for group in site.levels.values()]
    jobs += [partial(pages.procedure_page, site, proc) for proc in site.procedures]
    jobs += [partial(pages.plan_page, site, plan) for plan in site.plans]
    return jobs


def sheet_jobs(site: Site) -> list[Callable[[], Page]]:
    """Every page of counter sheets: repealed procedures are not posted at the counter; a
    catalogue procedure's page has a sheet per place."""
    jobs: list[Callable[[], Page]] = []
    for proc in site.procedures:
        if not proc.current:
            continue
        if not isinstance(proc, CatalogueView):
            jobs.append(partial(counter_page_of, site, proc))
        elif proc.places:
            jobs.append(partial(places_counter_page, site, proc))
    return jobs


def render_docs(site: Site, docs_dir: Path, workers: int | None = None, *, sheets: bool = True) -> None:
    """Write every page of `site` into `docs_dir` (created if missing), and its counter sheets
    too unless `sheets` is False (publish/ renders them apart: render_sheets).

    Pages are independent: on a large site each processor renders a share of them.
    """
    _render(site, page_jobs(site) + (sheet_jobs(site) if sheets else []), docs_dir, workers)


def render_sheets(site: Site, sheets_dir: Path, workers: int | None = None) -> None:
    """Write the pages of counter sheets, whole HTML documents, one per procedure (≈ 41,000 sheets
    on 2,600 pages in the province), into `sheets_dir`: kept apart, neither mkdocs nor Pagefind
    needs to read them."""
    _render(site, sheet_jobs(site), sheets_dir, workers)


def _render(site: Site, jobs: list[Callable[[], Page]], folder: Path, workers: int | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    share_out(partial(_write_pages, folder, site), jobs, workers or worker_count(len(jobs), PARALLEL_FROM))


def _write_pages(folder: Path, site: Site, jobs: Sequence[Callable[[], Page]]) -> None:
    made: set[Path] = {folder}
    for job in jobs:
        page = job()
        if "feeds" not in page.meta and site.open_data is not None:
            page.meta["feeds"] = site.feed_links()
        target = folder / (url_of(page.src) + "index.html" if page.standalone else page.src)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(render_page(page), encoding="utf-8")
