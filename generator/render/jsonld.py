"""Linked data: schema.org blocks for the pages and the CPSV-AP 3.2 export of procedures.

Builders take prepared views and absolute URLs and return plain dicts. Only web addresses that
prepare/ found safe become links; everything else stays text. `script_json` is the only way a block
reaches a page: it escapes `<`, `>` and `&`, so data can never close the script element.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.labels import WORDS
from generator.prepare.format import line
from generator.prepare.views import AgencyView, Channel, Fee, Hotline, ProcedureView
from generator.textnorm import fold

SCHEMA_ORG = "https://schema.org"
VND = "http://publications.europa.eu/resource/authority/currency/VND"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
# "Ủy ban nhân dân phường Nha Trang" -> "phường Nha Trang"; "Sở Y tế tỉnh Khánh Hòa" -> "tỉnh Khánh Hòa".
_COMMUNE = re.compile(r"\b(phường|xã|đặc khu)\s+\S.*$", re.IGNORECASE)
_PROVINCE = re.compile(r"\b(tỉnh|thành phố)\s+\S.*$", re.IGNORECASE)

# Our own context, so the export needs nothing from the network: CPSV-AP 3.2 terms by name,
# plain strings in Vietnamese, identifiers, e-mail addresses and phone numbers without language.
CPSV_CONTEXT: dict[str, Any] = {
    "@language": "vi",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "PublicService": "cpsv:PublicService",
    "PublicOrganisation": "cv:PublicOrganisation",
    "Evidence": "cv:Evidence",
    "Output": "cv:Output",
    "Cost": "cv:Cost",
    "Channel": "cv:Channel",
    "ContactPoint": "cv:ContactPoint",
    "Requirement": "cv:Requirement",
    "LegalResource": "eli:LegalResource",
    "identifier": {"@id": "dct:identifier", "@language": None},
    "name": "dct:title",
    "description": "dct:description",
    "keyword": "dcat:keyword",
    "prefLabel": "skos:prefLabel",
    "hasCompetentAuthority": {"@id": "cv:hasCompetentAuthority", "@type": "@id"},
    "hasInput": {"@id": "cpsv:hasInput", "@type": "@id"},
    "produces": {"@id": "cpsv:produces", "@type": "@id"},
    "hasCost": {"@id": "cv:hasCost", "@type": "@id"},
    "hasValue": {"@id": "cv:hasValue", "@type": "xsd:double"},
    "currency": {"@id": "cv:currency", "@type": "@id"},
    "ifAccessedThrough": {"@id": "cv:ifAccessedThrough", "@type": "@id"},
    "processingTime": {"@id": "cv:processingTime", "@type": "xsd:duration"},
    "hasLegalResource": {"@id": "cv:hasLegalResource", "@type": "@id"},
    "holdsRequirement": {"@id": "cv:holdsRequirement", "@type": "@id"},
    "hasChannel": {"@id": "cv:hasChannel", "@type": "@id"},
    "ownedBy": {"@id": "cv:ownedBy", "@type": "@id"},
    "contactPoint": {"@id": "cv:contactPoint", "@type": "@id"},
    "telephone": {"@id": "cv:telephone", "@language": None},
    "email": {"@id": "cv:email", "@language": None},
    "contactPage": {"@id": "cv:contactPage", "@type": "@id"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "page": {"@id": "foaf:page", "@type": "@id"},
    "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:date"},
}


def script_json(data: Any) -> str:
    """JSON for a `<script type="application/ld+json">` element, safe to mark as HTML."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def area_served(agency: AgencyView | None) -> dict[str, Any]:
    """The administrative area an agency serves, read from its name, else from its address.

    "Ủy ban nhân dân phường Nha Trang" -> "Phường Nha Trang"; "Sở Y tế tỉnh Khánh Hòa" -> "Tỉnh Khánh Hòa";
    a central agency, or a name and address that say nothing, -> the country.
    """
    pattern = {"commune": _COMMUNE, "province": _PROVINCE}.get(agency.level) if agency else None
    if agency is not None and pattern is not None:
        for text in [agency.title, *reversed(agency.address.split(","))]:
            match = pattern.search(text.strip())
            if match:
                area = match.group(0).strip()
                return {"@type": "AdministrativeArea", "name": area[:1].upper() + area[1:]}
    return {"@type": "Country", "name": "Việt Nam"}


def _organization_ref(agency: AgencyView | None, url: str | None, fallback: str) -> dict[str, Any]:
    if agency is None or url is None:
        return {"@type": "GovernmentOrganization", "name": fallback}
    return {"@type": "GovernmentOrganization", "@id": url + "#co-quan", "name": agency.title, "url": url}


def _phones(hotlines: tuple[Hotline, ...]) -> list[Hotline]:
    return [h for h in hotlines if h.number]


def _hotline_points(agency: AgencyView | None) -> list[dict[str, Any]]:
    points = []
    for hotline in _phones(agency.hotlines) if agency else []:
        point = {"@type": "ContactPoint", "telephone": hotline.number,
                 "contactType": hotline.purpose or WORDS["hotline"]}
        if hotline.hours:
            point["description"] = f"Thời gian tiếp nhận: {hotline.hours}"
        points.append(point)
    return points


def _time(channel: Channel) -> tuple[str | None, str]:
    """(ISO 8601 duration, Vietnamese text) of a channel's processing time."""
    time = channel.time
    return time.iso, f"{time.text}. {time.note}" if time.note else time.text


def _fee_lines(channel: Channel) -> list[Fee]:
    """The fees of a channel that have an amount; one free line for an explicit "Không"."""
    if channel.fees.free:
        return [Fee({}, WORDS["no_fees"], 0, WORDS["free"], "")]
    return [fee for fee in channel.fees.lines if fee.amount is not None]


def government_service(proc: ProcedureView, url: str, agency: AgencyView | None,
                       agency_url: str | None) -> dict[str, Any]:
    """schema.org GovernmentService of a procedure page."""
    # A catalogue procedure has no one agency: its competent authority operates it.
    named = proc.agency or proc.competent_authority or proc.agency_name
    operator = _organization_ref(agency, agency_url, named)
    phones = _hotline_points(agency)[:1]
    channels, offers = [], []
    for channel in proc.channels:
        duration, text = _time(channel)
        item: dict[str, Any] = {"@type": "ServiceChannel", "name": channel.name}
        if duration:
            item["processingTime"] = duration
        if text:
            item["description"] = f"Thời hạn giải quyết: {text}"
        href = channel.url.web if channel.url else None
        if href:
            item["serviceUrl"] = href
        if channel.method == "direct" and proc.location:
            item["serviceLocation"] = {"@type": "Place", "name": line(proc.location)}
        if channel.method == "postal" and agency is not None:
            postal = agency.postal_address
            address = agency.address if fold(postal) == "nhu tren" or not postal else postal
            item["servicePostalAddress"] = {
                "@type": "PostalAddress",
                "streetAddress": address,
                "addressCountry": "VN",
            }
        if phones:
            item["servicePhone"] = phones[0]
        channels.append(item)
        for fee in _fee_lines(channel):
            offer: dict[str, Any] = {
                "@type": "Offer",
                "name": fee.name or WORDS["fee"],
                "price": fee.amount,
                "priceCurrency": "VND",
                "category": channel.name,
            }
            if fee.note:
                offer["description"] = fee.note
            offers.append(offer)
    # No dateModified: schema.org gives it to creative works, not to services.
    return {
        "@context": SCHEMA_ORG,
        "@type": "GovernmentService",
        "@id": url + "#dich-vu",
        "url": url,
        "name": proc.title,
        "identifier": proc.key,
        "serviceType": proc.field,
        "serviceOperator": operator,
        "provider": operator,
        "areaServed": area_served(agency),
        "audience": [{"@type": "Audience", "audienceType": a} for a in proc.applicants],
        "availableChannel": channels,
        "offers": offers,
    }


def government_organization(agency: AgencyView, url: str, parent: AgencyView | None,
                            parent_url: str | None) -> dict[str, Any]:
    """schema.org GovernmentOrganization of an agency page, with its contact points."""
    points = _hotline_points(agency)
    email = agency.email.text if agency.email and agency.email.href else ""
    if email:
        points.append({"@type": "ContactPoint", "email": email,
                       "contactType": "Tiếp nhận phản ánh, kiến nghị qua thư điện tử"})
    for person in agency.staff:
        if person.phone:
            points.append({
                "@type": "ContactPoint",
                "telephone": person.phone,
                "contactType": f"Bộ phận Một cửa{': ' + person.field if person.field else ''}",
                "name": person.name,
            })
    out: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "GovernmentOrganization",
        "@id": url + "#co-quan",
        "url": url,
        "name": agency.title,
        "identifier": agency.code or agency.key,
        "areaServed": area_served(agency),
        "address": {"@type": "PostalAddress", "streetAddress": agency.address, "addressCountry": "VN"},
        "contactPoint": points,
    }
    if email:
        out["email"] = email
    if points and points[0].get("telephone"):
        out["telephone"] = points[0]["telephone"]
    website = agency.website.web if agency.website else None
    if website:
        out["sameAs"] = website
    if parent is not None and parent_url is not None:
        out["parentOrganization"] = _organization_ref(parent, parent_url, parent.key)
    return out


# --- CPSV-AP 3.2 ---------------------------------------------------------------------------


def cpsv_organisation(agency: AgencyView, url: str) -> list[dict[str, Any]]:
    """The PublicOrganisation node of an agency and its ContactPoint node."""
    phones = [h.number for h in _phones(agency.hotlines)]
    contact: dict[str, Any] = {"@id": url + "#lien-he", "@type": "ContactPoint",
                               "contactPage": url + "#lien-he"}
    if phones:
        contact["telephone"] = phones
    if agency.email and agency.email.href:
        contact["email"] = agency.email.text
    if agency.office_hours:
        contact["description"] = f"Thời gian làm việc: {agency.office_hours}"
    organisation: dict[str, Any] = {
        "@id": url + "#co-quan",
        "@type": "PublicOrganisation",
        "identifier": agency.key,
        "prefLabel": agency.title,
        "page": url,
    }
    website = agency.website.web if agency.website else None
    if website:
        organisation["homepage"] = website
    return [organisation, contact]


def _competent_authority(proc: ProcedureView, agency: AgencyView | None, agency_url: str | None) -> Any:
    """The agency's node id, or a blank organisation when the record names another authority."""
    named = proc.competent_authority
    if agency is not None and agency_url is not None and (not named or fold(named) == fold(agency.title)):
        return agency_url + "#co-quan"
    return {"@type": "PublicOrganisation", "prefLabel": named or proc.agency}


def _cpsv_description(proc: ProcedureView) -> str:
    lines = [f"{proc.title}. Lĩnh vực: {proc.field}."]
    applicants = "; ".join(proc.applicants)
    if applicants:
        lines.append(f"Đối tượng thực hiện: {applicants}.")
    steps = [line(step) for step in proc.steps]
    if steps:
        lines.append("Trình tự thực hiện:")
        lines += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
    return "\n".join(lines)


def _evidence(proc: ProcedureView, url: str) -> list[dict[str, Any]]:
    out = []
    for i, doc in enumerate(proc.documents, 1):
        text = f"Bản chính: {doc.originals}; bản sao: {doc.copies}."
        if doc.note:
            text += f" {doc.note}"
        node: dict[str, Any] = {
            "@id": f"{url}#ho-so-{i}",
            "@type": "Evidence",
            "identifier": str(i),
            "name": doc.name,
            "description": text,
        }
        href = doc.form.web if doc.form else None
        if href:
            node["page"] = href
        out.append(node)
    return out


def _legal_resources(proc: ProcedureView) -> list[dict[str, Any]]:
    out = []
    for basis in proc.legal_basis:
        node: dict[str, Any] = {"@type": "LegalResource", "identifier": basis.number, "name": basis.title}
        if basis.iso:
            node["issued"] = basis.iso
        out.append(node)
    return out


def cpsv_service(proc: ProcedureView, url: str, agency: AgencyView | None, agency_url: str | None
                 ) -> dict[str, Any]:
    """The CPSV-AP PublicService node of a procedure; `url` is its page."""
    service_id = url + "#dich-vu"
    channels, costs, times = [], [], []
    for i, channel in enumerate(proc.channels, 1):
        channel_id = f"{url}#kenh-{i}"
        duration, text = _time(channel)
        node: dict[str, Any] = {
            "@id": channel_id,
            "@type": "Channel",
            "identifier": channel.method,
            "description": f"{channel.name}. Thời hạn giải quyết: {text}",
        }
        if duration:
            node["processingTime"] = duration
            times.append(duration)
        href = channel.url.web if channel.url else None
        if href:
            node["page"] = href
        if agency_url is not None:
            node["ownedBy"] = agency_url + "#co-quan"
        channels.append(node)
        for j, fee in enumerate(_fee_lines(channel), 1):
            name = fee.name or WORDS["fee"]
            costs.append(
                {
                    "@id": f"{url}#phi-{i}-{j}",
                    "@type": "Cost",
                    "hasValue": fee.amount,
                    "currency": VND,
                    "description": f"{name}{': ' + fee.note if fee.note else ''}",
                    "ifAccessedThrough": channel_id,
                }
            )
    out: dict[str, Any] = {
        "@id": service_id,
        "@type": "PublicService",
        "identifier": proc.key,
        "name": proc.title,
        "description": _cpsv_description(proc),
        "keyword": proc.field,
        "hasCompetentAuthority": _competent_authority(proc, agency, agency_url),
        "hasInput": _evidence(proc, url),
        "produces": [{"@id": url + "#ket-qua", "@type": "Output", "name": line(proc.result)}],
        "hasCost": costs,
        "hasLegalResource": _legal_resources(proc),
        "hasChannel": channels,
        "page": url,
    }
    if times:
        out["processingTime"] = times[0]  # the first channel's (usually direct); each channel has its own
    if not proc.no_requirements and proc.requirements:
        out["holdsRequirement"] = [
            {"@id": url + "#yeu-cau", "@type": "Requirement", "name": line(proc.requirements)}
        ]
    if agency_url is not None:
        out["contactPoint"] = agency_url + "#lien-he"
    if proc.updated_iso:
        out["modified"] = proc.updated_iso
    return out
