"""Disclosure rules beyond the schema: placeholders, explicit "none", cross-record identity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator import legal
from generator.check.schema import SchemaName, info_for_data_path, schema
from generator.model import Catalogue, Path, Problem, Record, field_path


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
            return frozenset(p.split("/")[1][:-5] for p in paths if p.startswith(folder))

        with_procedures = frozenset(p.split("/")[1] for p in paths
                                    if p.startswith("procedures/") and p.count("/") == 2)
        return cls(stems("hotlines/"), frozenset(paths), stems("catalogue/"), with_procedures,
                   catalogue)


def strip_placeholders(record: Record, as_kind: SchemaName | None = None
                       ) -> tuple[dict[str, Any], list[Problem]]:
    """A copy of the data without placeholder values, and a problem for each one removed.

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
            problem = _text_problem(record, root, value, path)
            if problem:
                problems.append(problem)
                return _GONE if problem.rule == "CK-PLACEHOLDER" else value
        return value

    return walk(record.data, ()), problems


_GONE = object()


def _text_problem(record: Record, root: dict[str, Any], value: str, path: Path) -> Problem | None:
    if legal.is_placeholder(value):
        label, legal_id, _ = info_for_data_path(root, path)
        return _problem(record, path, label, legal_id,
                        f"'{value}' là giá trị giữ chỗ, được coi như chưa công khai; "
                        "hãy ghi thông tin thật (hoặc xóa dòng nếu trường không bắt buộc)",
                        "CK-PLACEHOLDER")
    if legal.is_none_word(value):
        label, legal_id, node = info_for_data_path(root, path)
        if legal_id and not node.get("x-none-allowed") and "enum" not in node and "const" not in node:
            return _problem(record, path, label, legal_id,
                            f"'{value}' chỉ dùng được cho phí, lệ phí, yêu cầu điều kiện và kết quả; "
                            "trường này phải có nội dung", "CK-NONE")
    return None


def check_identity(record: Record, data: dict[str, Any], index: Index) -> Iterator[Problem]:
    """File name, folder and agency agree, and no two records of an agency share a code.

    `data` is the record without placeholders, which are reported once, elsewhere.
    """
    key_field = "code" if record.kind in ("procedure", "catalogue") else "id"
    key = data.get(key_field)
    if _well_formed(record, key_field, key) and key != record.stem:
        yield _problem(record, (key_field,), "", None,
                       f"tên tệp '{record.stem}.yaml' phải trùng với {key_field} '{key}'",
                       "CK-ID-FILENAME")
        twin = record.path.rsplit("/", 1)[0] + f"/{key}.yaml"
        if record.kind == "procedure" and twin in index.files:
            yield _problem(record, (key_field,), "", None,
                           f"mã thủ tục '{key}' đã có trong {twin}: một cơ quan không được công khai "
                           "hai bản ghi cùng mã", "CK-CODE-DUP")
    for field in ("agency", "parent"):
        agency = data.get(field)
        if not _well_formed(record, field, agency) or (field == "agency" and record.kind == "agency"):
            continue
        if field == "agency" and agency != record.folder_agency:
            yield _problem(record, (field,), "", None,
                           f"bản ghi nằm trong thư mục '{record.folder_agency}' nhưng ghi cơ quan "
                           f"'{agency}'; hai giá trị phải trùng nhau", "CK-AGENCY-FOLDER")
        if agency not in index.agencies:
            yield _problem(record, (field,), "", legal.rule_basis("CK-AGENCY-UNKNOWN"),
                           f"chưa có hồ sơ cơ quan hotlines/{agency}.yaml (địa chỉ, đường dây nóng) "
                           "cho mã cơ quan này", "CK-AGENCY-UNKNOWN")


def _well_formed(record: Record, field: str, value: Any) -> bool:
    """Values the schema already rejects are not compared again (one message per mistake)."""
    pattern = schema(record.kind)["properties"].get(field, {}).get("pattern")
    return isinstance(value, str) and (pattern is None or _compiled(pattern).search(value) is not None)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _problem(record: Record, path: Path, label: str, legal_id: str | None, message: str,
             rule: str) -> Problem:
    line, column = record.position(path)
    return Problem(record.path, line, column, field_path(path), message, rule, label=label,
                   legal=legal.ref(legal_id))
