"""One record of the national public service portal -> one procedure record of our contract.

Source fields (see the data's README) and where they go:

| source | record |
|---|---|
| `ma_thu_tuc` | `code` (must match the contract's code pattern, else the record is skipped) |
| `ten_thu_tuc` | `name` |
| `co_quan_thuc_hien` | `agency`: slug of the name (see below); the name itself goes to `note` |
| `co_quan_co_tham_quyen` | `competent_authority` (optional) |
| `cap_thuc_hien` | `level`: `Cấp bộ` central, `Cấp tỉnh` province, `Cấp xã` commune |
| `linh_vuc` | `field` |
| `so_quyet_dinh` | `announcement.decision` (the portal gives no date: `announcement.date` stays missing) |
| `doi_tuong_thuc_hien` | `applicants` (split on commas outside parentheses) |
| `trinh_tu_thuc_hien` | `steps` |
| `cach_thuc_thuc_hien` | `channels` |
| `thanh_phan_ho_so` | `documents` (and `dossier_sets` when an item says "Số lượng hồ sơ: N bộ") |
| `ket_qua_xu_ly` | `result` |
| `yeu_cau_dieu_kien` | `requirements` |
| `can_cu_phap_ly` | `legal_basis` |
| `dia_chi_tiep_nhan` | `location` |
| `loai_thu_tuc`, `co_quan_duoc_uy_quyen`, `co_quan_phoi_hop`, `thu_tuc_lien_quan` | `note` |
| `detail_url` | online channels' `url` (https only) and the file's provenance comment |
| `ministry_folder`, `formality_id` | crawl bookkeeping: the folder fallback below, nothing else |

Missing stays missing: an empty source value or "Không có thông tin" writes no key, so that
`congkhai validate` reports the gap exactly where the national data has one.

Agency rule: with `--agency ID` every record goes to `procedures/ID/` with `agency: ID`.
Otherwise the id is the slug of `co_quan_thuc_hien` (cut at a word boundary to 60 characters,
plus a short hash of the full name when cut, so two long names never share a folder). When
`co_quan_thuc_hien` is empty or a placeholder, the record is put under the slug of
`ministry_folder` (a folder must exist) and gets NO `agency` key: validation then reports
`agency` missing, as the source is missing it.

Level rule: with `--level L` only records listing L are imported, with `level: L`; otherwise the
first level listed. When several are listed, the full list is kept in `note`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.importers.tables import (
    Leftover,
    Parsed,
    is_missing,
    normalise,
    one_line,
    parse_applicants,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_levels,
    parse_results,
    parse_steps,
)
from generator.textnorm import slugify

CODE_PATTERN = re.compile(r"^[0-9]\.[0-9]{6}(\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.H[0-9]{2})?$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SAFE_URL = re.compile(r"^https://[^\s<>\"']+$")
AGENCY_SLUG_LENGTH = 60
FALLBACK_FOLDER = "khong-ro-co-quan"

# Source fields with no place in the contract, kept in the note under these labels.
NOTE_ONLY = {
    "loai_thu_tuc": "Loại thủ tục",
    "co_quan_duoc_uy_quyen": "Cơ quan được ủy quyền",
    "co_quan_phoi_hop": "Cơ quan phối hợp",
    "thu_tuc_lien_quan": "Thủ tục liên quan",
}
# Leftover labels that are information without a field, not a parsing failure.
INFORMATIONAL = {"Mã kết quả", "Từ khóa kết quả", "Mô tả kết quả", "Cơ quan thực hiện",
                 "Cấp thực hiện", *NOTE_ONLY.values()}


@dataclass(frozen=True, slots=True)
class Options:
    updated: str  # ISO date written as `updated`
    agency: str | None = None
    level: str | None = None


@dataclass(slots=True)
class Conversion:
    """A converted record, where it goes, and what the conversion could not place."""

    code: str
    folder: str  # agency folder under procedures/
    data: dict[str, Any]
    source_url: str | None
    partial: dict[str, list[str]] = field(default_factory=dict)  # field -> reasons (Vietnamese)


@dataclass(frozen=True, slots=True)
class Skip:
    reason: str  # Vietnamese, for the report
    code: str = ""


def text_of(source: Mapping[str, Any], key: str) -> str:
    value = source.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def agency_slug(name: str) -> str:
    """"Sở Tư pháp" -> "so-tu-phap"; long names are cut and get a hash of the full name."""
    full = slugify(name, max_length=10_000)
    if len(full) <= AGENCY_SLUG_LENGTH:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:6]
    return f"{slugify(full, max_length=AGENCY_SLUG_LENGTH - 7)}-{digest}"


def convert(source: Mapping[str, Any], options: Options) -> Conversion | Skip:
    code = one_line(text_of(source, "ma_thu_tuc"))
    if not CODE_PATTERN.match(code):
        return Skip("mã thủ tục không hợp lệ", code[:40])
    levels = parse_levels(text_of(source, "cap_thuc_hien"))
    if options.level and options.level not in levels:
        return Skip("không thuộc cấp đã chọn (--level)", code)
    url = one_line(text_of(source, "detail_url"))
    https_url = url if SAFE_URL.match(url) else None
    builder = _Builder()

    data: dict[str, Any] = {"code": code}
    builder.text(data, "name", text_of(source, "ten_thu_tuc"), short=True)
    folder, agency, agency_name = _agency(source, options)
    if agency:
        data["agency"] = agency
    if agency_name:
        builder.info("Cơ quan thực hiện", agency_name)
    builder.text(data, "competent_authority", text_of(source, "co_quan_co_tham_quyen"), short=True)
    level = options.level or (levels[0] if levels else None)
    if level:
        data["level"] = level
    raw_levels = one_line(text_of(source, "cap_thuc_hien"))
    if raw_levels and (len(levels) != 1 or "," in raw_levels):
        builder.info("Cấp thực hiện", raw_levels)
    builder.text(data, "field", text_of(source, "linh_vuc"), short=True)
    decision = one_line(text_of(source, "so_quyet_dinh"))
    if not is_missing(decision):
        data["announcement"] = {"decision": decision}
    builder.parsed(data, "applicants", parse_applicants(text_of(source, "doi_tuong_thuc_hien")))
    builder.parsed(data, "steps", parse_steps(text_of(source, "trinh_tu_thuc_hien")))
    builder.parsed(data, "channels", parse_channels(text_of(source, "cach_thuc_thuc_hien"), https_url))
    documents = parse_documents(text_of(source, "thanh_phan_ho_so"))
    builder.parsed(data, "documents", Parsed((documents.value or {}).get("documents"),
                                             documents.leftovers, documents.warnings))
    if documents.value and documents.value.get("dossier_sets") is not None:
        data["dossier_sets"] = documents.value["dossier_sets"]
    builder.parsed(data, "result", parse_results(text_of(source, "ket_qua_xu_ly")))
    builder.text(data, "requirements", text_of(source, "yeu_cau_dieu_kien"))
    builder.parsed(data, "legal_basis", parse_legal_basis(text_of(source, "can_cu_phap_ly")))
    builder.text(data, "location", text_of(source, "dia_chi_tiep_nhan"))
    for key, label in NOTE_ONLY.items():
        value = normalise(text_of(source, key))
        if not is_missing(value):
            builder.info(label, value)
    note = builder.note()
    if note:
        data["note"] = note
    data["updated"] = options.updated
    return Conversion(code, folder, data, https_url, builder.partial)


def _agency(source: Mapping[str, Any], options: Options) -> tuple[str, str | None, str]:
    """(folder, agency id or None when the source has none, agency name as written)."""
    name = one_line(text_of(source, "co_quan_thuc_hien"))
    if options.agency:
        return options.agency, options.agency, "" if is_missing(name) else name
    slug = "" if is_missing(name) else agency_slug(name)
    if slug:
        return slug, slug, name
    folder = one_line(text_of(source, "ministry_folder"))
    if not SLUG_PATTERN.match(folder):
        folder = agency_slug(folder) or FALLBACK_FOLDER
    return folder, None, ""


class _Builder:
    """Collects fields, note sections and the partly-parsed marks of one record."""

    def __init__(self) -> None:
        self.sections: list[Leftover] = []
        self.partial: dict[str, list[str]] = {}

    def text(self, data: dict[str, Any], key: str, value: str, short: bool = False) -> None:
        value = one_line(value) if short else normalise(value)
        if not is_missing(value):
            data[key] = value

    def parsed(self, data: dict[str, Any], key: str, parsed: Parsed) -> None:
        if parsed.value is not None:
            data[key] = parsed.value
        self.sections.extend(parsed.leftovers)
        reasons = [f"giữ nguyên văn trong note: {_split_label(left.label)[0]}"
                   for left in parsed.leftovers if left.label not in INFORMATIONAL]
        reasons += parsed.warnings
        if reasons:
            self.partial[key] = reasons

    def info(self, label: str, text: str) -> None:
        self.sections.append(Leftover(label, text))

    def note(self) -> str:
        """Sections in order of first appearance; identical texts are written once, their labels
        merged: "Phí, lệ phí (Trực tiếp, Trực tuyến): …"."""
        merged: dict[tuple[str, str], list[str]] = {}
        for section in self.sections:
            base, qualifier = _split_label(section.label)
            qualifiers = merged.setdefault((base, section.text), [])
            if qualifier and qualifier not in qualifiers:
                qualifiers.append(qualifier)
        blocks = []
        for (base, text), qualifiers in merged.items():
            label = f"{base} ({', '.join(qualifiers)})" if qualifiers else base
            blocks.append(f"{label}: {text}")
        return "\n\n".join(blocks)


def _split_label(label: str) -> tuple[str, str]:
    m = re.match(r"^(.*?) \((.*)\)$", label)
    return (m.group(1), m.group(2)) if m else (label, "")
