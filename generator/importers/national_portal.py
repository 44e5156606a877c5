"""One record of the national public service portal -> one catalogue entry (CATALOGUE.md).

The national data *is* the catalogue: each procedure is written once, as `catalogue/<code>.yaml`,
with the levels it applies at and the agencies of the province that perform it.

| source | entry |
|---|---|
| `ma_thu_tuc` | `code` (must match the contract's code pattern, else the record is skipped) |
| `ten_thu_tuc` | `name` |
| `cap_thuc_hien` | `levels`: every level listed, in order (`Cấp bộ` central, `Cấp tỉnh` province, |
| | `Cấp xã` commune); other words ("Cơ quan khác") kept in `note` |
| `co_quan_thuc_hien` | `agency_names`: every agency listed, one name each; |
| | `implemented_by.agencies`: their ids in the agency map (`--agency-map`) |
| `cap_thuc_hien` | `implemented_by.level: commune` when it lists `Cấp xã` (every commune performs it) |
| `co_quan_co_tham_quyen` | `competent_authority` (optional) |
| `linh_vuc` | `field` |
| `so_quyet_dinh` | `announcement.decision` (the portal gives no date: `announcement.date` stays missing) |
| `doi_tuong_thuc_hien` | `applicants` (a category may contain commas: "Cán bộ, công chức, viên chức") |
| `trinh_tu_thuc_hien` | `steps` |
| `cach_thuc_thuc_hien` | `channels` (fees read against their remarks: `generator.importers.money`) |
| `thanh_phan_ho_so` | `documents` |
| "Số lượng hồ sơ: N bộ", wherever stated | `dossier_sets` |
| `ket_qua_xu_ly` | `result` |
| `yeu_cau_dieu_kien` | `requirements` |
| `can_cu_phap_ly` | `legal_basis` (with each instrument's `date` where its title gives it) |
| `detail_url` | `source_url`, and the online channels' `url` (https only) |
| `dia_chi_tiep_nhan`, `loai_thu_tuc`, `co_quan_duoc_uy_quyen`, | `note` |
| `co_quan_phoi_hop`, `thu_tuc_lien_quan` | |
| `ministry_folder`, `formality_id` | crawl bookkeeping: nothing |

Missing stays missing: an empty source value or "Không có thông tin" writes no key, so that
validation reports the gap exactly where the national data has one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.importers.instruments import parse_legal_basis
from generator.importers.tables import (
    dossier_sets,
    parse_applicants,
    parse_channels,
    parse_documents,
    parse_levels,
    parse_results,
    parse_steps,
)
from generator.importers.text import (
    MISSING,
    NOTE,
    PARSED,
    Leftover,
    Parsed,
    is_missing,
    normalise,
    one_line,
)
from generator.load import LoadError, parse
from generator.textnorm import fold

CODE_PATTERN = re.compile(r"^[0-9]\.[0-9]{6}(\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.H[0-9]{2})?$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SAFE_URL = re.compile(r"^https://[^\s<>\"']+$")
AGENCY_ID_LENGTH = 100  # as hotlines/<id>.yaml allows (schemas/agency.schema.json)

# Source fields with no place in the contract, kept in the note under these labels.
NOTE_ONLY = {
    "dia_chi_tiep_nhan": "Địa chỉ tiếp nhận",
    "loai_thu_tuc": "Loại thủ tục",
    "co_quan_duoc_uy_quyen": "Cơ quan được ủy quyền",
    "co_quan_phoi_hop": "Cơ quan phối hợp",
    "thu_tuc_lien_quan": "Thủ tục liên quan",
}
# Leftover labels that are information without a field, not a parsing failure.
INFORMATIONAL = {"Mã kết quả", "Từ khóa kết quả", "Mô tả kết quả", *NOTE_ONLY.values()}


class AgencyMapError(Exception):
    """The agency map cannot be used: a located message in Vietnamese."""


@dataclass(frozen=True, slots=True)
class AgencyMap:
    """Agency names as the portal writes them -> ids of agencies in the province.

    The file (`--agency-map FILE`) is a YAML mapping: each name to an id (`hotlines/<id>.yaml`),
    a list of ids, or `[]` for a name known to be no agency of the province (a ministry, say).
    Names are compared without case, diacritics or a final full stop.
    """

    ids: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @staticmethod
    def key(name: str) -> str:
        return fold(name).rstrip(". ")

    @classmethod
    def load(cls, path: Path) -> AgencyMap:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise AgencyMapError(f"không đọc được '{path}': {exc.strerror or exc}") from None
        try:
            data, positions = parse(raw)
        except LoadError as exc:
            raise AgencyMapError(f"{path}, dòng {exc.line}: {exc.message}") from None
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise AgencyMapError(f"{path}: cần một bảng 'tên cơ quan: mã cơ quan'")
        ids: dict[str, tuple[str, ...]] = {}
        for name, value in data.items():
            line = positions.get((name,), (1, 1))[0]
            values = value if isinstance(value, list) else [value]
            if not isinstance(name, str) or not all(isinstance(v, str) and SLUG_PATTERN.match(v)
                                                    and len(v) <= AGENCY_ID_LENGTH for v in values):
                raise AgencyMapError(
                    f"{path}, dòng {line}: '{name}' phải ứng với một mã cơ quan (chữ thường không dấu, "
                    f"số, dấu gạch ngang, tối đa {AGENCY_ID_LENGTH} ký tự, như so-tu-phap), một danh sách "
                    "mã, hoặc []")
            ids[cls.key(name)] = tuple(dict.fromkeys(values))
        return cls(ids)

    def split(self, text: str) -> list[str]:
        """The agency names in a `co_quan_thuc_hien` text. Names are separated by commas, but a
        name may hold commas too: a comma followed by a small letter stays inside a name ("Cục
        Cảnh sát quản lý hành chính về trật tự, xã hội"), and commas of a name the map knows
        stay inside it ("Bộ Văn hóa, Thể thao và Du lịch")."""
        text = one_line(text)
        bounds = [-1, *_top_level_commas(text), len(text)]  # atom k is text[bounds[k] + 1:bounds[k + 1]]

        def joined(i: int, j: int) -> str:
            return text[bounds[i] + 1:bounds[j]].strip()

        names: list[str] = []
        i, atoms = 0, len(bounds) - 1
        while i < atoms:
            j = next((j for j in range(atoms, i, -1) if self.key(joined(i, j)) in self.ids), None)
            if j is None:  # unknown: the name runs on over atoms that start with a small letter
                j = i + 1
                while j < atoms and not joined(j, j + 1)[:1].isupper():
                    j += 1
            if joined(i, j):
                names.append(joined(i, j))
            i = j
        return names


def _top_level_commas(text: str) -> list[int]:
    depth, found = 0, []
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            found.append(i)
    return found


@dataclass(frozen=True, slots=True)
class Options:
    updated: str  # ISO date written as `updated`
    levels: frozenset[str] = frozenset()  # import only procedures listing one of these (empty: all)
    agency_map: AgencyMap = field(default_factory=AgencyMap)
    # Issuers ("NĐ-CP") the whole source writes cleanly: see instruments.clean_issuers.
    known_issuers: frozenset[str] = frozenset()


@dataclass(slots=True)
class Conversion:
    """A converted entry and what the conversion could not place or had to report."""

    code: str
    data: dict[str, Any]
    partial: dict[str, list[str]] = field(default_factory=dict)  # field -> reasons (Vietnamese)
    tally: Counter[tuple[str, str]] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # agency names the map does not know


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


def convert(source: Mapping[str, Any], options: Options) -> Conversion | Skip:
    code = one_line(text_of(source, "ma_thu_tuc"))
    if not CODE_PATTERN.match(code):
        return Skip("mã thủ tục không hợp lệ", code[:40])
    levels = parse_levels(text_of(source, "cap_thuc_hien"))
    if options.levels and not options.levels & set(levels.value or ()):
        return Skip("không thuộc cấp đã chọn (--level)", code)
    url = one_line(text_of(source, "detail_url"))
    https_url = url if SAFE_URL.match(url) else None
    entry = _Entry(code)
    entry.text("name", text_of(source, "ten_thu_tuc"), short=True)
    entry.parsed("levels", levels)
    entry.agencies(text_of(source, "co_quan_thuc_hien"), levels.value or [], options.agency_map)
    entry.text("competent_authority", text_of(source, "co_quan_co_tham_quyen"), short=True)
    entry.text("field", text_of(source, "linh_vuc"), short=True)
    decision = one_line(text_of(source, "so_quyet_dinh"))
    if not is_missing(decision):
        entry.data["announcement"] = {"decision": decision}
    entry.count("announcement.decision", entry.present("announcement"))
    entry.count("announcement.date", MISSING)  # the portal publishes no announcement date
    entry.parsed("applicants", parse_applicants(text_of(source, "doi_tuong_thuc_hien")))
    entry.parsed("steps", parse_steps(text_of(source, "trinh_tu_thuc_hien")))
    entry.parsed("channels", parse_channels(text_of(source, "cach_thuc_thuc_hien"), https_url))
    entry.parsed("documents", parse_documents(text_of(source, "thanh_phan_ho_so")))
    entry.dossier_sets(*(text_of(source, key) for key in
                         ("thanh_phan_ho_so", "trinh_tu_thuc_hien", "yeu_cau_dieu_kien", "ket_qua_xu_ly")))
    entry.parsed("result", parse_results(text_of(source, "ket_qua_xu_ly")))
    entry.text("requirements", text_of(source, "yeu_cau_dieu_kien"))
    entry.parsed("legal_basis", parse_legal_basis(text_of(source, "can_cu_phap_ly"), options.known_issuers))
    if https_url:
        entry.data["source_url"] = https_url
    for key, label in NOTE_ONLY.items():
        value = normalise(text_of(source, key))
        if not is_missing(value):
            entry.info(label, value)
    return entry.finish(options.updated)


# Keys in the order a clerk reads an entry (the schema's order).
_ORDER = ("code", "name", "levels", "implemented_by", "agency_names", "competent_authority", "field",
          "announcement", "applicants", "steps", "channels", "documents", "dossier_sets", "result",
          "requirements", "legal_basis", "source_url", "note", "updated")


class _Entry:
    """Collects one entry's fields, its note sections and the report's counts."""

    def __init__(self, code: str) -> None:
        self.data: dict[str, Any] = {"code": code}
        self.sections: list[Leftover] = []
        self.conversion = Conversion(code, self.data)

    def count(self, path: str, outcome: str) -> None:
        self.conversion.tally[(path, outcome)] += 1

    def present(self, key: str) -> str:
        return PARSED if key in self.data else MISSING

    def text(self, key: str, value: str, short: bool = False) -> None:
        value = one_line(value) if short else normalise(value)
        if not is_missing(value):
            self.data[key] = value
        self.count(key, self.present(key))

    def parsed(self, key: str, parsed: Parsed) -> None:
        if parsed.value is not None:
            self.data[key] = parsed.value
        self.sections.extend(parsed.leftovers)
        self.conversion.tally.update(parsed.tally)
        # Per record: parsed when the field was written, kept as note when some of its source
        # text went there (both may hold), missing when the source has nothing.
        kept = any(left.label not in INFORMATIONAL for left in parsed.leftovers)
        if key in self.data or not kept:
            self.count(key, self.present(key))
        if kept:
            self.count(key, NOTE)
        reasons = [f"giữ nguyên văn trong note: {_split_label(left.label)[0]}"
                   for left in parsed.leftovers if left.label not in INFORMATIONAL]
        reasons += parsed.warnings
        if reasons:
            self.conversion.partial.setdefault(key, []).extend(reasons)
        self.conversion.disagreements += parsed.disagreements

    def agencies(self, text: str, levels: list[str], agency_map: AgencyMap) -> None:
        names = [] if is_missing(one_line(text)) else agency_map.split(text)
        if names:
            self.data["agency_names"] = names
        self.count("agency_names", self.present("agency_names"))
        implemented: dict[str, Any] = {}
        if "commune" in levels:
            implemented["level"] = "commune"
        ids: list[str] = []
        for name in names:
            mapped = agency_map.ids.get(agency_map.key(name))
            if mapped is None:
                self.conversion.unmapped.append(name)
            else:
                ids += [i for i in mapped if i not in ids]
        if ids:
            implemented["agencies"] = ids
        if implemented:
            self.data["implemented_by"] = implemented
        self.count("implemented_by", self.present("implemented_by"))

    def dossier_sets(self, *texts: str) -> None:
        count, statement = dossier_sets(*texts)
        if count is not None:
            self.data["dossier_sets"] = count
        elif statement:
            self.info("Số lượng hồ sơ", statement)
            self.conversion.partial.setdefault("dossier_sets", []).append(
                "giữ nguyên văn trong note: số bộ hồ sơ tùy trường hợp")
        self.count("dossier_sets", NOTE if statement else self.present("dossier_sets"))

    def info(self, label: str, text: str) -> None:
        self.sections.append(Leftover(label, text))

    def finish(self, updated: str) -> Conversion:
        note = self.note()
        if note:
            self.data["note"] = note
        self.data["updated"] = updated
        ordered = {key: self.data[key] for key in _ORDER if key in self.data}
        self.data.clear()
        self.data.update(ordered)
        return self.conversion

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
