"""The province's catalogue (CATALOGUE.md): who performs what, and the rules that need to know.

`who_performs` computes the agency–procedure pairs once, before the records are checked; the
rules below read them:

- an agency's record of a catalogue procedure holds only local facts (an implementation): a
  full copy is CK-CATALOGUE-DUP, a document, fee, method or longer time is CK-LOCAL-ADDITION,
  an agency that does not perform the procedure is CK-IMPL-NOT-PERFORMED (errors);
- a catalogue entry names only known agencies (CK-AGENCY-UNKNOWN) and someone performs it
  (CK-NO-PERFORMER) (errors);
- a self-contained record of a code in no catalogue entry is CK-NOT-ANNOUNCED (warning);
- each agency posts the procedures of every announcing decision that applies to it, within the
  deadline of deadlines.yaml (CK-POSTING-MISSING, CK-POSTING-LATE), and publishes its counter
  facts (CK-COUNTER-FACTS): disclosure gaps, on the agency's hotlines/<agency>.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from generator import legal
from generator.check.performers import Catalogue
from generator.check.problem import problem, severity
from generator.check.rules import Index
from generator.check.schema import info_for_data_path
from generator.check.timeliness import Settings, config, deadline
from generator.contract import schema
from generator.labels import LEVEL_PHRASES, METHODS, UNITS
from generator.model import Path, Problem, Record, Severity

# Keys only a whole procedure has: an agency's record of a catalogue code that carries one of
# them is a copy of the catalogue entry, not a list of local differences.
WHOLE_PROCEDURE_KEYS = ("name", "steps", "applicants", "legal_basis", "result", "requirements",
                        "dossier_sets", "announcement", "field", "level", "competent_authority")
# Local time unit -> catalogue unit -> how many local units one catalogue unit is worth, where
# the comparison is safe: 8 working hours make a working day, and a span of N calendar days
# never ends after N working days.
_CONVERTIBLE = {
    ("hours", "working_days"): 8.0,
    ("hours", "days"): 24.0,
    ("days", "working_days"): 1.0,
}


# --- classification of procedures/<agency>/<code>.yaml -------------------------------------


def is_implementation(record: Record, index: Index) -> bool:
    """An agency's record of a procedure in the catalogue: only its local facts."""
    return record.kind == "procedure" and record.stem in index.catalogue_codes


def duplicate(record: Record, index: Index) -> Problem | None:
    """CK-CATALOGUE-DUP: a catalogue code written again as a whole procedure at one agency."""
    if not is_implementation(record, index):
        return None
    copied = [key for key in WHOLE_PROCEDURE_KEYS if key in record.data]
    if not copied:
        return None
    return _problem(
        record, (copied[0],), "CK-CATALOGUE-DUP", "error", None,
        f"thủ tục {record.stem} đã có trong danh mục của tỉnh (catalogue/{record.stem}.yaml); tệp "
        f"này chỉ được ghi những điểm khác tại cơ quan (location, hours, contact, channels, notes), "
        f"không chép lại nội dung thủ tục ({', '.join(copied)})")


def departures(record: Record, data: dict[str, Any], index: Index
               ) -> tuple[dict[str, Any], list[Problem]]:
    """CK-LOCAL-ADDITION: documents, fees, methods or longer times an implementation adds.

    Returns the data without documents and fees (the schema of an implementation has no such
    keys: each is reported once, here, naming the catalogue line it departs from).
    """
    if not is_implementation(record, index):
        return data, []
    entry = index.catalogue.entries.get(record.stem) if index.catalogue else None
    problems: list[Problem] = []
    kept = dict(data)
    if "documents" in kept:
        problems += _added_documents(record, kept.pop("documents"), entry)
    channels = kept.get("channels")
    if isinstance(channels, list):
        kept["channels"] = [_channel(record, i, c, entry, problems) for i, c in enumerate(channels)]
    return kept, problems


def _added_documents(record: Record, documents: Any, entry: Record | None) -> Iterator[Problem]:
    where = _cited(entry, ("documents",), "danh mục liệt kê thành phần hồ sơ")
    items = documents if isinstance(documents, list) and documents else [None]
    for i, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        path: Path = ("documents", i) if item is not None else ("documents",)
        what = f"giấy tờ '{name}'" if isinstance(name, str) else "thành phần hồ sơ"
        yield _problem(record, path, "CK-LOCAL-ADDITION", "error", "nd63-art8-2d",
                       f"cơ quan không được thêm {what}: {where}; người nộp hồ sơ được từ chối "
                       "yêu cầu không có trong thủ tục đã công bố (Điều 6 Nghị định 118/2025/NĐ-CP)")


def _channel(record: Record, i: int, channel: Any, entry: Record | None,
             problems: list[Problem]) -> Any:
    if not isinstance(channel, dict):
        return channel
    listed = _listed_channel(entry, channel.get("method"))
    if "fees" in channel:
        where = (_cited(entry, ("channels", listed[0], "fees"), "danh mục ghi phí, lệ phí")
                 if listed else _cited(entry, ("channels",), "danh mục ghi phí, lệ phí"))
        problems.append(_problem(record, ("channels", i, "fees"), "CK-LOCAL-ADDITION", "error",
                                 "nd63-art8-2i", f"cơ quan không được ghi phí, lệ phí riêng: {where}"))
        channel = {k: v for k, v in channel.items() if k != "fees"}
    method = channel.get("method")
    if entry is None or not isinstance(method, str) or method not in METHODS:
        return channel  # without the entry nothing can be compared; a bad method is the schema's
    if listed is None:
        offered = ", ".join(_method(m) for m in _methods(entry)) or "không có"
        problems.append(_problem(
            record, ("channels", i, "method"), "CK-LOCAL-ADDITION", "error", "nd63-art8-2c",
            f"hình thức nộp {_method(method)} không có trong danh mục: "
            f"{_cited(entry, ('channels',), 'danh mục chỉ cho')} {offered}"))
        return channel
    longer = _longer_time(channel.get("processing_time"), listed[1].get("processing_time"))
    if longer:
        problems.append(_problem(
            record, ("channels", i, "processing_time"), "CK-LOCAL-ADDITION", "error", "nd63-art8-2dd",
            f"{longer}: {_cited(entry, ('channels', listed[0], 'processing_time', 'value'), 'danh mục cho')} "
            f"thời hạn {_duration(listed[1].get('processing_time'))}; cơ quan chỉ được rút ngắn thời hạn"))
    return channel


def _method(method: Any) -> str:
    """A method as words in a sentence ("trực tuyến")."""
    return METHODS[method].lower() if isinstance(method, str) and method in METHODS else str(method)


def _methods(entry: Record) -> list[Any]:
    channels = entry.data.get("channels")
    return [c.get("method") for c in channels if isinstance(c, dict)] if isinstance(channels, list) else []


def _listed_channel(entry: Record | None, method: Any) -> tuple[int, dict[str, Any]] | None:
    channels = entry.data.get("channels") if entry else None
    for i, channel in enumerate(channels if isinstance(channels, list) else []):
        if isinstance(channel, dict) and channel.get("method") == method:
            return i, channel
    return None


def _longer_time(local: Any, listed: Any) -> str:
    """Why a local processing time is not a cut of the listed one ("" when it is)."""
    if not (_is_time(local) and _is_time(listed)):
        return ""  # the schema reports a malformed time
    if local["unit"] == listed["unit"]:
        factor = 1.0
    elif (local["unit"], listed["unit"]) in _CONVERTIBLE:
        factor = _CONVERTIBLE[(local["unit"], listed["unit"])]
    else:
        return (f"thời hạn {_duration(local)} không so sánh được với danh mục; hãy ghi theo "
                f"đơn vị {UNITS[listed['unit']]}")
    if local["value"] <= listed["value"] * factor:
        return ""
    return f"thời hạn {_duration(local)} dài hơn danh mục"


def _is_time(value: Any) -> bool:
    return (isinstance(value, dict) and value.get("unit") in UNITS
            and isinstance(value.get("value"), (int, float)) and not isinstance(value.get("value"), bool))


def _duration(value: Any) -> str:
    if not _is_time(value):
        return "không rõ"
    number = value["value"]
    shown = f"{number:g}".replace(".", ",") if isinstance(number, float) else str(number)
    return f"{shown} {UNITS[value['unit']]}"


def _cited(entry: Record | None, path: Path, what: str) -> str:
    """"catalogue/1.001193.yaml:24 <what>": the catalogue line a local record departs from."""
    if entry is None:
        return what
    line, _ = entry.position(path)
    return f"{entry.path}:{line} {what}"


# --- per-record rules that need the catalogue ----------------------------------------------


def check(record: Record, data: dict[str, Any], index: Index) -> Iterator[Problem]:
    """The catalogue's rules on one record that do not depend on the day (`data`: without
    placeholders); an agency's duties, which do, are `check_agency_duties`."""
    if record.kind == "catalogue":
        yield from check_entry(record, data, index)
    elif is_implementation(record, index):
        yield from _check_place(record, index)
    elif record.kind == "procedure" and index.catalogue_codes:
        yield _problem(record, ("code",), "CK-NOT-ANNOUNCED", "warning",
                       legal.rule_basis("CK-NOT-ANNOUNCED"),
                       f"thủ tục chưa có trong danh mục công bố của tỉnh (không có "
                       f"catalogue/{record.stem}.yaml); kiểm tra lại mã thủ tục, hoặc đề nghị bổ "
                       "sung thủ tục vào danh mục")


def check_entry(record: Record, data: dict[str, Any], index: Index) -> Iterator[Problem]:
    """Agencies named by `implemented_by` exist, and someone performs the entry."""
    spec = data.get("implemented_by")
    if not isinstance(spec, dict):
        return  # missing or malformed: the schema says so
    for key in ("agencies", "except"):
        for i, agency_id in enumerate(spec.get(key) or []):
            if isinstance(agency_id, str) and agency_id not in index.agencies:
                yield _problem(record, ("implemented_by", key, i), "CK-AGENCY-UNKNOWN", "error",
                               "nd63-art8-2g", f"chưa có hồ sơ cơ quan hotlines/{agency_id}.yaml "
                               "cho mã cơ quan này")
    if index.catalogue is not None and not index.catalogue.places_of(record.stem):
        named = spec.get("level")
        level = LEVEL_PHRASES.get(named, "") if isinstance(named, str) else ""
        why = ("mọi cơ quan được ghi đều bị trừ (except)" if spec.get("except")
               else f"chưa có cơ quan {level} nào trong hotlines/" if level and not spec.get("agencies")
               else "các cơ quan được ghi chưa có trong hotlines/")
        yield _problem(record, ("implemented_by",), "CK-NO-PERFORMER", "error",
                       legal.rule_basis("CK-NO-PERFORMER"),
                       f"không cơ quan nào thực hiện thủ tục này: {why}")


def _check_place(record: Record, index: Index) -> Iterator[Problem]:
    agency_id = record.folder_agency
    if agency_id not in index.agencies:
        yield _problem(record, ("code",), "CK-AGENCY-UNKNOWN", "error", "nd63-art8-2g",
                       f"chưa có hồ sơ cơ quan hotlines/{agency_id}.yaml cho thư mục này")
        return
    catalogue = index.catalogue
    if catalogue is None or record.stem not in catalogue.entries:
        return
    if agency_id not in catalogue.places_of(record.stem):
        entry = catalogue.entries[record.stem]
        yield _problem(record, ("code",), "CK-IMPL-NOT-PERFORMED", "error",
                       legal.rule_basis("CK-IMPL-NOT-PERFORMED"),
                       f"cơ quan {agency_id} không thực hiện thủ tục này theo danh mục "
                       f"({_cited(entry, ('implemented_by',), 'ghi cơ quan thực hiện')}); "
                       "nếu cơ quan có thực hiện, hãy đề nghị sửa danh mục")


# --- an agency's duties: postings and counter facts ----------------------------------------


@dataclass(frozen=True, slots=True)
class PostingDuty:
    """One announcing decision an agency must post, and what its `postings` say about it."""

    decision: str
    signed: date
    due: date  # the last day of the posting deadline
    codes: tuple[str, ...]  # the agency's procedures announced by this decision
    posted: date | None
    index: int | None  # position of the posting in `postings` (also when dated in the future)
    state: str  # "on_time", "late", "missing" (deadline passed) or "pending" (not yet due)


@cache
def _posting_rule() -> dict[str, Any]:
    rule: dict[str, Any] = config()["postings"]
    return rule


def posting_duties(agency: Record, catalogue: Catalogue | None, today: date) -> list[PostingDuty]:
    """For each decision announcing procedures the agency performs (active ones), its posting."""
    if catalogue is None:
        return []
    rule = _posting_rule()
    decisions: dict[str, tuple[date, list[str]]] = {}
    for code in catalogue.active_procedures_of(agency.stem):
        announcement = catalogue.entries[code].data.get("announcement")
        number = announcement.get("decision") if isinstance(announcement, dict) else None
        signed = _day(announcement.get("date")) if isinstance(announcement, dict) else None
        if not isinstance(number, str) or signed is None:
            continue  # the entry's schema errors say what is wrong
        earliest, codes = decisions.get(number, (signed, []))
        decisions[number] = (min(earliest, signed), [*codes, code])
    posted = _postings(agency)
    duties = []
    for number, (signed, codes) in sorted(decisions.items(), key=lambda kv: (kv[1][0], kv[0])):
        due = deadline(signed, rule["limit"], rule["unit"])
        index, day = posted.get(number, (None, None))
        if day is not None and day > today:
            day = None  # not posted yet; the date itself is an error (CK-DATE-FUTURE)
        state = ("on_time" if day <= due else "late") if day is not None else \
            ("missing" if today > due else "pending")
        duties.append(PostingDuty(number, signed, due, tuple(codes), day, index, state))
    return duties


def _postings(agency: Record) -> dict[str, tuple[int, date]]:
    """The earliest posting of each decision: its position and date."""
    out: dict[str, tuple[int, date]] = {}
    items = agency.data.get("postings")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("decision"), str):
            continue
        day = _day(item.get("posted"))
        if day is not None and (item["decision"] not in out or day < out[item["decision"]][1]):
            out[item["decision"]] = (i, day)
    return out


def missing_counter_facts(agency: Record) -> list[str]:
    """Counter facts (one_stop.address, one_stop.hours) the agency has not written."""
    one_stop = agency.data.get("one_stop")
    one_stop = one_stop if isinstance(one_stop, dict) else {}
    return [f"one_stop.{key}" for key in ("address", "hours") if not one_stop.get(key)]


def performs_anything(agency: Record, index: Index) -> bool:
    """Whether the agency performs any procedure: in the catalogue, or in its own records."""
    catalogue = index.catalogue
    return bool(catalogue and catalogue.active_procedures_of(agency.stem)) or \
        agency.stem in index.procedure_agencies


def check_agency_duties(agency: Record, index: Index, settings: Settings) -> Iterator[Problem]:
    """CK-POSTING-MISSING, CK-POSTING-LATE and CK-COUNTER-FACTS on hotlines/<agency>.yaml."""
    rule = _posting_rule()
    for number, (i, day) in _postings(agency).items():
        if day > settings.today:
            yield _problem(agency, ("postings", i, "posted"), "CK-DATE-FUTURE", "error", None,
                           f"ngày niêm yết quyết định {number} ({_vi(day)}) ở tương lai")
    for duty in posting_duties(agency, index.catalogue, settings.today):
        if duty.state in ("on_time", "pending") or (duty.state == "missing" and duty.index is not None):
            continue  # a posting dated in the future: one message, the CK-DATE-FUTURE above
        what = (f"thủ tục theo Quyết định {duty.decision} ngày {_vi(duty.signed)} "
                f"({_count_codes(duty.codes)})")
        limit = f"hạn {_vi(duty.due)}, {rule['limit']} {UNITS[rule['unit']]}" + \
            ("" if rule.get("limit_confirmed") else " theo tham số của cổng, căn cứ về thời hạn cần xác nhận")
        if duty.state == "late" and duty.posted is not None:
            yield _problem(agency, ("postings", duty.index or 0, "posted"), rule["late"], rule["severity"],
                           rule["legal"], f"niêm yết chậm {(duty.posted - duty.due).days} ngày "
                           f"{what}: niêm yết ngày {_vi(duty.posted)}; {limit}")
        else:
            yield _problem(agency, ("postings",), rule["missing"], rule["severity"], rule["legal"],
                           f"chưa niêm yết {what}; {limit}; niêm yết xong thì ghi vào postings "
                           f"(decision: \"{duty.decision}\", posted: ngày niêm yết)")
    if performs_anything(agency, index):
        for fact in missing_counter_facts(agency):
            label = "địa chỉ Bộ phận Một cửa" if fact.endswith("address") else "giờ tiếp nhận hồ sơ"
            yield _problem(agency, tuple(fact.split(".")), "CK-COUNTER-FACTS", "gap",
                           legal.rule_basis("CK-COUNTER-FACTS"),
                           f"chưa công khai {label}, trong khi cơ quan có thực hiện thủ tục hành chính")


def _count_codes(codes: tuple[str, ...]) -> str:
    shown = ", ".join(codes[:3]) + (", …" if len(codes) > 3 else "")
    return f"{len(codes)} thủ tục: {shown}"


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _vi(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _problem(record: Record, path: Path, rule: str, level: Severity | str, legal_id: str | None,
             message: str) -> Problem:
    # Labels from the record kind's schema: an implementation's keys are labelled as in a
    # whole procedure, where documents and fees (which it may not have) are described too.
    label = info_for_data_path(schema(record.kind), path)[0] if path else ""
    return problem(record, path, message, rule, legal_id=legal_id, label=label, severity=severity(level))
