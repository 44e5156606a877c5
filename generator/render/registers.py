"""The plans-and-policies register, filterable without JavaScript: a pre-built page per choice.

A choice is a kind (quy hoạch, kế hoạch…), a status (còn hiệu lực…) and whether the documents
concern production and business, each of them or "all". Every choice that lists at least one
document has its own page (`van-ban/loc/<kind>/<status>/<business>/`); the choice of "all" three is
the register itself. The filters are plain links between these pages, each with the number of
documents it leads to, so they work on any phone, without JavaScript, and can be shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from generator.contract import schema
from generator.labels import PLAN_KINDS, PLAN_STATUS, WORDS
from generator.prepare.views import PlanView
from generator.textnorm import slugify

ALL = "tat-ca"
BUSINESS = "kinh-doanh"
EVERYTHING = "Tất cả"


@dataclass(frozen=True, slots=True)
class Choice:
    """A filter of the register: "" (or False) for "all"."""

    kind: str = ""  # a key of PLAN_KINDS
    status: str = ""  # a key of PLAN_STATUS
    business: bool = False  # only the documents that concern production and business

    def admits(self, plan: PlanView) -> bool:
        return (not self.kind or plan.kind == self.kind) and (not self.status or plan.status == self.status) \
            and (not self.business or plan.business_related)

    @property
    def stem(self) -> tuple[str, str, str]:
        """The folders of its page: ("quy-hoach", "con-hieu-luc", "kinh-doanh")."""
        return (slugify(PLAN_KINDS[self.kind]) if self.kind else ALL,
                slugify(PLAN_STATUS[self.status]) if self.status else ALL,
                BUSINESS if self.business else ALL)

    @property
    def words(self) -> list[str]:
        """What it keeps, as the page's title says it: ["Quy hoạch", "Còn hiệu lực"]."""
        return [w for w in (PLAN_KINDS.get(self.kind, ""), PLAN_STATUS.get(self.status, ""),
                            _title("business_related") if self.business else "") if w]


def _title(field: str) -> str:
    """A plan field's label: its schema title."""
    return str(schema("plan")["properties"][field]["title"])


def choice_pages(plans: Iterable[PlanView], register: str, claim: Callable[[str, str], str]
                 ) -> dict[Choice, str]:
    """The docs source of every choice that lists a document; the choice of all is `register`."""
    plans = list(plans)
    kinds = [""] + [k for k in PLAN_KINDS if any(p.kind == k for p in plans)]
    statuses = [""] + [s for s in PLAN_STATUS if any(p.status == s for p in plans)]
    out = {Choice(): register}
    for kind in kinds:
        for status in statuses:
            for business in (False, True):
                choice = Choice(kind, status, business)
                if choice != Choice() and any(choice.admits(p) for p in plans):
                    kind_part, status_part, business_part = choice.stem
                    out[choice] = claim(f"van-ban/loc/{kind_part}/{status_part}", business_part)
    return out


def facets(choice: Choice, plans: list[PlanView], pages: dict[Choice, str], href: Callable[[str], str]
           ) -> list[dict[str, Any]]:
    """The three filters of a register page: each option with its count and its link, the one
    chosen marked (a choice that would list nothing has no link)."""

    def option(label: str, other: Choice) -> dict[str, Any]:
        count = sum(other.admits(p) for p in plans)
        src = pages.get(other)
        return {"label": label, "count": count, "href": href(src) if src and count else "",
                "current": other == choice}

    kinds = [k for k in PLAN_KINDS if any(p.kind == k for p in plans)]
    statuses = [s for s in PLAN_STATUS if any(p.status == s for p in plans)]
    return [
        {"label": _title("kind"), "options": [option(EVERYTHING, replace(choice, kind=""))] + [
            option(PLAN_KINDS[k], replace(choice, kind=k)) for k in kinds]},
        {"label": _title("status"), "options": [option(EVERYTHING, replace(choice, status=""))] + [
            option(PLAN_STATUS[s], replace(choice, status=s)) for s in statuses]},
        {"label": _title("business_related"), "options": [
            option(EVERYTHING, replace(choice, business=False)),
            option(WORDS["yes"], replace(choice, business=True))]},
    ]
