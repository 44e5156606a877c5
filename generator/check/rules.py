"""Disclosure rules beyond the schema: placeholders, explicit "none", cross-record identity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator import legal
from generator.check.performers import Catalogue
from generator.check.problem import problem
from generator.check.schema import THOUSANDS, info_for_data_path, pattern_regex
from generator.contract import SchemaName, schema
from generator.model import Path, Problem, Record, agency_of_path, plan_reference


@dataclass(frozen=True, slots=True)
class Index:
    """What cross-record rules need to know about the whole repository: its file names, and
    who performs what in its catalogue (loaded before the other records are checked)."""

    agencies: frozenset[str]  # stems of hotlines/*.yaml
    files: frozenset[str]  # every record path
    catalogue_codes: frozenset[str] = frozenset()  # stems of catalogue/*.yaml
    procedure_agencies: frozenset[str] = frozenset()  # agencies with files under procedures/
    catalogue: Catalogue | None = None

    @classmethod
    def from_paths(cls, paths: list[str], catalogue: Catalogue | None = None) -> Index:
        def stems(folder: str) -> frozenset[str]:
            return frozenset(p.split("/")[1].removesuffix(".yaml") for p in paths
                             if p.startswith(folder) and p.count("/") == 1)

        with_procedures = frozenset(agency_of_path(p) for p in paths if p.startswith("procedures/"))
        return cls(stems("hotlines/"), frozenset(paths), stems("catalogue/"), with_procedures,
                   catalogue)


def strip_placeholders(record: Record, as_kind: SchemaName | None = None
                       ) -> tuple[dict[str, Any], list[Problem]]:
    """A copy of the data without placeholder values and without numbers that were not
    written as plain decimals (50.000, 010, 7:30), and a problem for each one removed.

    Taking them out lets the schema report what is then missing exactly once.
    """
    root = schema(as_kind or record.kind)
    problems: list[Problem] = []

    def walk(value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            return {k: v for k, v in ((k, walk(v, (*path, k))) for k, v in value.items())
                    if v is not _GONE}
        if isinstance(value, list):
            return [v for v in (walk(v, (*path, i)) for i, v in enumerate(value)) if v is not _GONE]
        if isinstance(value, str):
            found = _text_problem(record, root, value, path)
            if found:
                problems.append(found)
                return _GONE if found.rule == "CK-PLACEHOLDER" else value
        elif path in record.written and not _INTEGER.fullmatch(record.written[path]) \
                and isinstance(value, (int, float)) and not isinstance(value, bool):
            found = _number_problem(record, root, value, path)
            if found:
                problems.append(found)
                return _GONE
        return value

    return walk(record.data, ()), problems


_GONE = object()


def _text_problem(record: Record, root: dict[str, Any], value: str, path: Path) -> Problem | None:
    if legal.is_placeholder(value):
        label, legal_id, _ = info_for_data_path(root, path)
        return problem(record, path,
                       f"'{value}' là giá trị giữ chỗ, được coi như chưa công khai; "
                       "hãy ghi thông tin thật (hoặc xóa dòng nếu trường không bắt buộc)",
                       "CK-PLACEHOLDER", legal_id=legal_id, label=label)
    if legal.is_none_word(value):
        label, legal_id, node = info_for_data_path(root, path)
        if legal_id and not node.get("x-none-allowed") and "enum" not in node and "const" not in node:
            return problem(record, path,
                           f"'{value}' chỉ dùng được cho phí, lệ phí, yêu cầu điều kiện và kết quả; "
                           "trường này phải có nội dung", "CK-NONE", legal_id=legal_id, label=label)
    return None


# Money and counts: digits only, no leading zero (YAML reads 010 as 8). A processing time may
# have a decimal part (1.5 working days, as the national portal has).
_INTEGER = re.compile(r"0|[1-9][0-9]*")
_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


def _number_problem(record: Record, root: dict[str, Any], value: float, path: Path) -> Problem | None:
    """A number where the schema wants one, as YAML read it but not as the clerk wrote it."""
    label, legal_id, node = info_for_data_path(root, path)
    kind = node.get("type")
    if kind not in ("integer", "number"):
        return None  # a number where text is expected: the schema's type message says so
    written = record.written[path]
    read = int(value) if isinstance(value, float) and value.is_integer() else value
    if THOUSANDS.fullmatch(written) or re.fullmatch(r"[0-9]{1,3}(_[0-9]{3})+", written):
        digits = re.sub("[^0-9]", "", written)
        message = (f"'{written}' có dấu ngăn cách hàng nghìn nên YAML đọc thành {read}; hãy viết liền "
                   f"các chữ số, không dấu chấm, dấu phẩy hay dấu gạch: {digits}")
        if kind == "number":
            message += f" (hoặc {written.replace(',', '.').rstrip('0').rstrip('.')} nếu đó là phần thập phân)"
    elif (_INTEGER if kind == "integer" else _DECIMAL).fullmatch(written):
        return None
    elif re.fullmatch(r"0[0-9]+", written):
        message = (f"'{written}' bắt đầu bằng số 0 nên YAML đọc thành {read}; hãy bỏ số 0 ở đầu: "
                   f"{int(written)}")
    elif kind == "integer":
        message = (f"'{written}' không phải số nguyên viết bằng các chữ số liền nhau (YAML đọc thành "
                   f"{read}); hãy viết số nguyên, ví dụ 50000")
    else:
        message = (f"'{written}' không phải số viết theo cách thông thường (YAML đọc thành {read}); "
                   "hãy viết các chữ số, phần thập phân sau dấu chấm, ví dụ 15 hoặc 1.5")
    return problem(record, path, message, "CK-NUMBER", legal_id=legal_id, label=label)


def check_identity(record: Record, data: dict[str, Any], index: Index) -> Iterator[Problem]:
    """File name, folder and agency agree, and no two records of an agency share a code.

    `data` is the record without placeholders, which are reported once, elsewhere.
    """
    key_field = "code" if record.kind in ("procedure", "catalogue") else "id"
    key = data.get(key_field)
    if _well_formed(record, key_field, key) and key != record.stem:
        yield problem(record, (key_field,),
                      f"tên tệp '{record.stem}.yaml' phải trùng với {key_field} '{key}'", "CK-ID-FILENAME")
        twin = record.path.rsplit("/", 1)[0] + f"/{key}.yaml"
        if record.kind == "procedure" and twin in index.files:
            yield problem(record, (key_field,),
                          f"mã thủ tục '{key}' đã có trong {twin}: một cơ quan không được công khai "
                          "hai bản ghi cùng mã", "CK-CODE-DUP")
    for field in ("agency", "parent"):
        agency = data.get(field)
        if not _well_formed(record, field, agency) or (field == "agency" and record.kind == "agency"):
            continue
        if field == "agency" and agency != record.folder_agency:
            yield problem(record, (field,),
                          f"bản ghi nằm trong thư mục '{record.folder_agency}' nhưng ghi cơ quan "
                          f"'{agency}'; hai giá trị phải trùng nhau", "CK-AGENCY-FOLDER")
        if agency not in index.agencies:
            yield problem(record, (field,),
                          f"chưa có hồ sơ cơ quan hotlines/{agency}.yaml (địa chỉ, đường dây nóng) "
                          "cho mã cơ quan này", "CK-AGENCY-UNKNOWN",
                          legal_id=legal.rule_basis("CK-AGENCY-UNKNOWN"))


def check_superseded(record: Record, data: dict[str, Any], index: Index) -> Iterator[Problem]:
    """A plan's `superseded_by` names one other document of the portal, and its status says so."""
    ref = data.get("superseded_by")
    if record.kind != "plan" or not isinstance(ref, str) or not _well_formed(record, "superseded_by", ref):
        return
    unknown = "CK-SUPERSEDED-UNKNOWN"
    basis = legal.rule_basis(unknown)
    label = info_for_data_path(schema("plan"), ("superseded_by",))[0]
    found = plan_reference(ref, record.agency, index.files)
    if not found:
        yield problem(record, ("superseded_by",),
                      f"không có văn bản '{ref}' trên cổng (plans_and_policies/<mã cơ quan>/"
                      f"{ref.split('/')[-1]}.yaml); hãy ghi mã văn bản thay thế, hoặc mã cơ quan/mã văn bản",
                      unknown, legal_id=basis, label=label)
    elif len(found) > 1:
        named = ", ".join(p.split("/")[1] + "/" + p.rsplit("/", 1)[1].removesuffix(".yaml") for p in found)
        yield problem(record, ("superseded_by",),
                      f"nhiều cơ quan có văn bản mã '{ref}' ({named}): hãy ghi mã cơ quan/mã văn bản",
                      unknown, legal_id=basis, label=label)
    elif found[0] == record.path:
        yield problem(record, ("superseded_by",), "văn bản không thể thay thế chính nó",
                      unknown, legal_id=basis, label=label)
    if data.get("status") != "superseded":
        yield problem(record, ("status",),
                      f"văn bản có văn bản thay thế (superseded_by: {ref}) thì tình trạng phải là "
                      "superseded (Bị thay thế)", "CK-SUPERSEDED-STATUS",
                      legal_id=legal.rule_basis("CK-SUPERSEDED-STATUS"),
                      label=info_for_data_path(schema("plan"), ("status",))[0])


def _well_formed(record: Record, field: str, value: Any) -> bool:
    """Values the schema already rejects are not compared again (one message per mistake)."""
    pattern = schema(record.kind)["properties"].get(field, {}).get("pattern")
    return isinstance(value, str) and (pattern is None or pattern_regex(pattern).search(value) is not None)

