"""Linked data: schema.org blocks for the pages and the CPSV-AP 3.2 export of procedures.

Builders take records and absolute URLs and return plain dicts. Only URLs that `safe_href`
accepts become links; everything else stays text. `script_json` is the only way a block
reaches a page: it escapes `<`, `>` and `&`, so data can never close the script element.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.model import Record
from generator.render import labels as L
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


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def iso_duration(value: Any, unit: Any) -> str | None:
    """ISO 8601 (xsd:duration) form of a processing time, None when it has none.

    Working days become days (ISO 8601 has no working days; the text says which). Fractions
    move to the next smaller unit, because xsd:duration allows them only on seconds:
    0.5 days -> PT12H, 1.5 hours -> PT1H30M, 1.5 months -> P1M15D (a month counted as 30 days).
    """
    number = _number(value)
    if number is None or number < 0 or unit not in ("working_days", "days", "hours", "months"):
        return None
    if unit == "months":
        months = int(number)
        days, hours, minutes = _split(round((number - months) * 30 * 24 * 60))
        return _format(months, days, hours, minutes)
    per_unit = 24 * 60 if unit in ("working_days", "days") else 60
    return _format(0, *_split(round(number * per_unit)))


def _split(minutes: int) -> tuple[int, int, int]:
    days, rest = divmod(minutes, 24 * 60)
    return days, *divmod(rest, 60)


def _format(months: int, days: int, hours: int, minutes: int) -> str:
    date = (f"{months}M" if months else "") + (f"{days}D" if days else "")
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if not date and not time:
        return "P0D"
    return "P" + date + (f"T{time}" if time else "")


def area_served(agency: Record | None) -> dict[str, Any]:
    """The administrative area an agency serves, read from its name, else from its address.

    "Ủy ban nhân dân phường Nha Trang" -> "Phường Nha Trang"; "Sở Y tế tỉnh Khánh Hòa" -> "Tỉnh Khánh Hòa";
    a central agency, or a name and address that say nothing, -> the country.
    """
    pattern = {"commune": _COMMUNE, "province": _PROVINCE}.get(agency.data.get("level")) if agency else None
    if agency is not None and pattern is not None:
        candidates = [
            L.text(agency.data.get("name")),
            *reversed(L.text(agency.data.get("address")).split(",")),
        ]
        for text in candidates:
            match = pattern.search(text.strip())
            if match:
                area = match.group(0).strip()
                return {"@type": "AdministrativeArea", "name": area[:1].upper() + area[1:]}
    return {"@type": "Country", "name": "Việt Nam"}


def _organization_ref(agency: Record | None, url: str | None, fallback: str) -> dict[str, Any]:
    if agency is None or url is None:
        return {"@type": "GovernmentOrganization", "name": fallback}
    return {
        "@type": "GovernmentOrganization",
        "@id": url + "#co-quan",
        "name": L.text(agency.data.get("name")),
        "url": url,
    }


def _hotline_points(agency: Record | None) -> list[dict[str, Any]]:
    points = []
    for item in (agency.data.get("hotlines") or []) if agency else []:
        if isinstance(item, dict) and item.get("number"):
            point = {
                "@type": "ContactPoint",
                "telephone": L.text(item.get("number")),
                "contactType": L.text(item.get("purpose")) or "Đường dây nóng",
            }
            if item.get("hours"):
                point["description"] = f"Thời gian tiếp nhận: {L.text(item.get('hours'))}"
            points.append(point)
    return points


def _channels(rec: Record) -> list[dict[str, Any]]:
    return [c for c in rec.data.get("channels") or [] if isinstance(c, dict)]


def _channel_name(channel: dict[str, Any]) -> str:
    name = L.label(L.METHODS, channel.get("method"))
    level = channel.get("online_level")
    return f"{name} ({L.label(L.ONLINE_LEVELS, level).lower()})" if level else name


def _time(channel: dict[str, Any]) -> tuple[str | None, str]:
    """(ISO 8601 duration, Vietnamese text) of a channel's processing time."""
    time = channel.get("processing_time")
    if not isinstance(time, dict):
        return None, L.text(time)
    text = L.duration(time.get("value"), time.get("unit"))
    note = L.text(time.get("note"))
    return iso_duration(time.get("value"), time.get("unit")), f"{text}. {note}" if note else text


def _fee_lines(channel: dict[str, Any]) -> list[tuple[str, int | float, str]]:
    """(name, amount, note) of each fee of a channel; one free line for an explicit "Không"."""
    fees = channel.get("fees")
    if L.is_none(fees) or fees == []:
        return [(L.NO_FEES, 0, "")]
    lines = []
    for fee in fees if isinstance(fees, list) else []:
        amount = _number(fee.get("amount")) if isinstance(fee, dict) else None
        if amount is not None:
            lines.append((L.text(fee.get("name")) or "Phí, lệ phí", amount, L.text(fee.get("note"))))
    return lines


def government_service(
    rec: Record, url: str, agency: Record | None, agency_url: str | None
) -> dict[str, Any]:
    """schema.org GovernmentService of a procedure page."""
    data = rec.data
    operator = _organization_ref(agency, agency_url, rec.agency)
    phones = _hotline_points(agency)[:1]
    channels, offers = [], []
    for channel in _channels(rec):
        duration, text = _time(channel)
        item: dict[str, Any] = {"@type": "ServiceChannel", "name": _channel_name(channel)}
        if duration:
            item["processingTime"] = duration
        if text:
            item["description"] = f"Thời hạn giải quyết: {text}"
        href = L.safe_href(channel.get("url"))
        if href and href.startswith("http"):
            item["serviceUrl"] = href
        if channel.get("method") == "direct" and data.get("location"):
            item["serviceLocation"] = {"@type": "Place", "name": L.text(data.get("location"))}
        if channel.get("method") == "postal" and agency is not None:
            postal = L.text(agency.data.get("postal_address"))
            address = (
                L.text(agency.data.get("address")) if fold(postal) == "nhu tren" or not postal else postal
            )
            item["servicePostalAddress"] = {
                "@type": "PostalAddress",
                "streetAddress": address,
                "addressCountry": "VN",
            }
        if phones:
            item["servicePhone"] = phones[0]
        channels.append(item)
        for name, amount, note in _fee_lines(channel):
            offer: dict[str, Any] = {
                "@type": "Offer",
                "name": name,
                "price": amount,
                "priceCurrency": "VND",
                "category": _channel_name(channel),
            }
            if note:
                offer["description"] = note
            offers.append(offer)
    # No dateModified: schema.org gives it to creative works, not to services.
    return {
        "@context": SCHEMA_ORG,
        "@type": "GovernmentService",
        "@id": url + "#dich-vu",
        "url": url,
        "name": L.text(data.get("name")),
        "identifier": rec.key,
        "serviceType": L.text(data.get("field")),
        "serviceOperator": operator,
        "provider": operator,
        "areaServed": area_served(agency),
        "audience": [{"@type": "Audience", "audienceType": L.text(a)} for a in data.get("applicants") or []],
        "availableChannel": channels,
        "offers": offers,
    }


def government_organization(
    rec: Record, url: str, parent: Record | None, parent_url: str | None
) -> dict[str, Any]:
    """schema.org GovernmentOrganization of an agency page, with its contact points."""
    data = rec.data
    points = _hotline_points(rec)
    email = data.get("email")
    if L.mailto(email):
        points.append(
            {
                "@type": "ContactPoint",
                "email": L.text(email),
                "contactType": "Tiếp nhận phản ánh, kiến nghị qua thư điện tử",
            }
        )
    one_stop = data.get("one_stop") if isinstance(data.get("one_stop"), dict) else {}
    for person in [one_stop.get("head"), *(one_stop.get("officers") or [])]:
        if isinstance(person, dict) and person.get("phone"):
            field = L.text(person.get("field"))
            points.append(
                {
                    "@type": "ContactPoint",
                    "telephone": L.text(person.get("phone")),
                    "contactType": f"Bộ phận Một cửa{': ' + field if field else ''}",
                    "name": L.text(person.get("name")),
                }
            )
    out: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "GovernmentOrganization",
        "@id": url + "#co-quan",
        "url": url,
        "name": L.text(data.get("name")),
        "identifier": L.text(data.get("code")) or rec.key,
        "areaServed": area_served(rec),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": L.text(data.get("address")),
            "addressCountry": "VN",
        },
        "contactPoint": points,
    }
    if L.mailto(email):
        out["email"] = L.text(email)
    if points and points[0].get("telephone"):
        out["telephone"] = points[0]["telephone"]
    website = L.safe_href(data.get("website"))
    if website and website.startswith("http"):
        out["sameAs"] = website
    if parent is not None and parent_url is not None:
        out["parentOrganization"] = _organization_ref(parent, parent_url, parent.key)
    return out


# --- CPSV-AP 3.2 ---------------------------------------------------------------------------


def cpsv_organisation(agency: Record, url: str) -> list[dict[str, Any]]:
    """The PublicOrganisation node of an agency and its ContactPoint node."""
    data = agency.data
    phones = [p["telephone"] for p in _hotline_points(agency)]
    contact: dict[str, Any] = {
        "@id": url + "#lien-he",
        "@type": "ContactPoint",
        "contactPage": url + "#lien-he",
    }
    if phones:
        contact["telephone"] = phones
    if L.mailto(data.get("email")):
        contact["email"] = L.text(data.get("email"))
    if data.get("office_hours"):
        contact["description"] = f"Thời gian làm việc: {L.text(data.get('office_hours'))}"
    organisation: dict[str, Any] = {
        "@id": url + "#co-quan",
        "@type": "PublicOrganisation",
        "identifier": agency.key,
        "prefLabel": L.text(data.get("name")),
        "page": url,
    }
    website = L.safe_href(data.get("website"))
    if website and website.startswith("http"):
        organisation["homepage"] = website
    return [organisation, contact]


def _competent_authority(rec: Record, agency: Record | None, agency_url: str | None) -> Any:
    """The agency's node id, or a blank organisation when the record names another authority."""
    named = L.text(rec.data.get("competent_authority"))
    if agency is not None and agency_url is not None:
        name = L.text(agency.data.get("name"))
        if not named or named == name or fold(named) == fold(name):
            return agency_url + "#co-quan"
    return {"@type": "PublicOrganisation", "prefLabel": named or rec.agency}


def _cpsv_description(rec: Record) -> str:
    data = rec.data
    lines = [f"{L.text(data.get('name'))}. Lĩnh vực: {L.text(data.get('field'))}."]
    applicants = "; ".join(L.text(a) for a in data.get("applicants") or [])
    if applicants:
        lines.append(f"Đối tượng thực hiện: {applicants}.")
    steps = [" ".join(str(step).split()) for step in data.get("steps") or []]
    if steps:
        lines.append("Trình tự thực hiện:")
        lines += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
    return "\n".join(lines)


def _evidence(rec: Record, url: str) -> list[dict[str, Any]]:
    out = []
    for i, doc in enumerate((d for d in rec.data.get("documents") or [] if isinstance(d, dict)), 1):
        text = f"Bản chính: {L.text(doc.get('originals'))}; bản sao: {L.text(doc.get('copies'))}."
        if doc.get("note"):
            text += f" {L.text(doc.get('note'))}"
        node: dict[str, Any] = {
            "@id": f"{url}#ho-so-{i}",
            "@type": "Evidence",
            "identifier": str(i),
            "name": L.text(doc.get("name")),
            "description": text,
        }
        form = doc.get("form") if isinstance(doc.get("form"), dict) else {}
        href = L.safe_href(form.get("url"))
        if href and href.startswith("http"):
            node["page"] = href
        out.append(node)
    return out


def _legal_resources(rec: Record) -> list[dict[str, Any]]:
    out = []
    for basis in rec.data.get("legal_basis") or []:
        if isinstance(basis, dict):
            node: dict[str, Any] = {
                "@type": "LegalResource",
                "identifier": L.text(basis.get("number")),
                "name": L.text(basis.get("title")),
            }
            if L.iso(basis.get("date")):
                node["issued"] = L.iso(basis.get("date"))
            out.append(node)
    return out


def cpsv_service(rec: Record, url: str, agency: Record | None, agency_url: str | None) -> dict[str, Any]:
    """The CPSV-AP PublicService node of a procedure; `url` is its page."""
    data = rec.data
    service_id = url + "#dich-vu"
    channels, costs, times = [], [], []
    for i, channel in enumerate(_channels(rec), 1):
        channel_id = f"{url}#kenh-{i}"
        duration, text = _time(channel)
        node: dict[str, Any] = {
            "@id": channel_id,
            "@type": "Channel",
            "identifier": L.text(channel.get("method")),
            "description": f"{_channel_name(channel)}. Thời hạn giải quyết: {text}",
        }
        if duration:
            node["processingTime"] = duration
            times.append(duration)
        href = L.safe_href(channel.get("url"))
        if href and href.startswith("http"):
            node["page"] = href
        if agency_url is not None:
            node["ownedBy"] = agency_url + "#co-quan"
        channels.append(node)
        for j, (name, amount, note) in enumerate(_fee_lines(channel), 1):
            costs.append(
                {
                    "@id": f"{url}#phi-{i}-{j}",
                    "@type": "Cost",
                    "hasValue": amount,
                    "currency": VND,
                    "description": f"{name}{': ' + note if note else ''}",
                    "ifAccessedThrough": channel_id,
                }
            )
    out: dict[str, Any] = {
        "@id": service_id,
        "@type": "PublicService",
        "identifier": rec.key,
        "name": L.text(data.get("name")),
        "description": _cpsv_description(rec),
        "keyword": L.text(data.get("field")),
        "hasCompetentAuthority": _competent_authority(rec, agency, agency_url),
        "hasInput": _evidence(rec, url),
        "produces": [{"@id": url + "#ket-qua", "@type": "Output", "name": L.text(data.get("result"))}],
        "hasCost": costs,
        "hasLegalResource": _legal_resources(rec),
        "hasChannel": channels,
        "page": url,
    }
    if times:
        out["processingTime"] = times[0]  # the first channel's (usually direct); each channel has its own
    if not L.is_none(data.get("requirements")) and data.get("requirements"):
        out["holdsRequirement"] = [
            {"@id": url + "#yeu-cau", "@type": "Requirement", "name": L.text(data.get("requirements"))}
        ]
    if agency_url is not None:
        out["contactPoint"] = agency_url + "#lien-he"
    if L.iso(data.get("updated")):
        out["modified"] = L.iso(data.get("updated"))
    return out
