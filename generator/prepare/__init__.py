"""The prepare stage: the checked records as display-ready views, computed once per build.

render/ and publish/ read `Prepared`; nothing after this stage formats a raw record value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.check.corpus import Corpus
from generator.check.places import places_of
from generator.dossiers.results import MonthResult
from generator.model import plan_reference
from generator.prepare.dossiers import DossierViews, dossier_views
from generator.prepare.history import History, histories
from generator.prepare.places import catalogue_view
from generator.prepare.search import IndexEntry, index_entry
from generator.prepare.views import (
    AgencyView,
    PlanView,
    ProcedureView,
    RecordView,
    agency_view,
    changed,
    plan_view,
    procedure_view,
)
from generator.textnorm import fold, slugify
from generator.versions import Versions

FALLBACK_DATE = "2025-07-01"  # the date of an empty portal: the start of two-level local government


@dataclass(slots=True)
class Prepared:
    """Every record's view, in the corpus's order, and each agency's view by its id."""

    views: list[RecordView]
    agencies: dict[str, AgencyView]
    fields: dict[str, str]  # the name of each field (lĩnh vực), by field_key
    search: dict[str, IndexEntry]  # by record path: what its page adds to the search index
    dossiers: DossierViews = field(default_factory=lambda: DossierViews({}))  # dossier results
    replaced_by: dict[str, str] = field(default_factory=dict)  # a superseded plan's path -> its successor's
    history: dict[str, History] = field(default_factory=dict)  # by record path: its changes, from git

    @property
    def procedures(self) -> list[ProcedureView]:
        return [v for v in self.views if isinstance(v, ProcedureView)]

    @property
    def plans(self) -> list[PlanView]:
        return [v for v in self.views if isinstance(v, PlanView)]

    @property
    def data_date(self) -> str:
        """The latest change among the records: the date of the data, and the default build date."""
        return max((v.changed for v in self.views), default="") or FALLBACK_DATE

    def agency_name(self, agency_id: str) -> str:
        return _agency_name(self.agencies, agency_id)


def _agency_name(agencies: dict[str, AgencyView], agency_id: str) -> str:
    """An agency's name; its id when the portal has no record of it."""
    agency = agencies.get(agency_id)
    return agency.title if agency else agency_id


def title_order(view: RecordView) -> tuple[str, str, str]:
    """Records by title (folded), then key, then agency: the order of every list of procedures."""
    return fold(view.title), view.key, view.agency


def field_key(name: str) -> str:
    """Field names that differ only in case, marks or punctuation are one field."""
    return slugify(name) or "khac"


def prepare(corpus: Corpus, dossiers: Mapping[str, Sequence[MonthResult]] | None = None,
            versions: Versions | None = None) -> Prepared:
    """The views of every record of `corpus` (agencies first: the others show their names), of
    its catalogue's procedures with their places, of the agencies' dossier results
    (dossiers.results.load_results), if any, and the records' change histories when `versions`
    (generator/versions.py) gives their past."""
    own = {rec.path: agency_view(rec) for rec in corpus.of_kind("agency")}
    agencies = {view.key: view for view in own.values()}
    views: list[RecordView] = []
    for rec in corpus.records:
        if rec.kind == "procedure":
            views.append(procedure_view(rec, _agency_name(agencies, rec.agency)))
        elif rec.kind == "plan":
            views.append(plan_view(rec, _agency_name(agencies, rec.agency)))
        else:
            views.append(own[rec.path])
    catalogue = corpus.catalogue
    for code in sorted(catalogue.entries) if catalogue else ():
        assert catalogue is not None
        views.append(catalogue_view(catalogue.entries[code], places_of(corpus, code), agencies))
    fields: dict[str, str] = {}  # a field is named as its first procedure spells it
    for proc in sorted((v for v in views if isinstance(v, ProcedureView)), key=title_order):
        fields.setdefault(field_key(proc.field), proc.field)
    search = {}
    for view in views:
        agency = agencies.get(view.agency)
        field = fields[field_key(view.field)] if isinstance(view, ProcedureView) else ""
        search[view.path] = index_entry(view, agency.level_label if agency else "", field)
    procedures = [v for v in views if isinstance(v, ProcedureView)]
    names = {key: agency.title for key, agency in agencies.items()}
    return Prepared(views, agencies, fields, search, dossier_views(dossiers or {}, names, procedures),
                    _replacements(views), histories(versions, corpus))


def data_date(corpus: Corpus) -> str:
    """`Prepared.data_date` of `corpus`, without preparing it: the latest change among its records,
    its catalogue's entries and the agencies' local records of them."""
    catalogue = corpus.catalogue
    records = [*corpus.records, *catalogue.entries.values(), *catalogue.implementations.values()] \
        if catalogue else corpus.records
    return max((changed(rec) for rec in records), default="") or FALLBACK_DATE


def _replacements(views: list[RecordView]) -> dict[str, str]:
    """Each superseded plan's path -> the path of the plan that replaced it, when the portal has it."""
    plans = [v.path for v in views if isinstance(v, PlanView)]
    out: dict[str, str] = {}
    for view in views:
        if isinstance(view, PlanView) and view.superseded_by:
            found = plan_reference(view.superseded_by, view.agency, plans)
            if len(found) == 1 and found[0] != view.path:
                out[view.path] = found[0]
    return out
