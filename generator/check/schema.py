"""JSON Schema validation, with each failure turned into a located, cited Problem."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path as FsPath
from typing import Any, Literal

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from generator import legal
from generator.model import Kind, Path, Problem, Record, field_path

# By record kind, plus "implementation": a procedure record of an agency for a catalogue
# procedure, which holds only the agency's local facts (check/catalogue.py decides which).
SCHEMA_FILES: dict[Kind | Literal["implementation"], str] = {
    "procedure": "procedure.schema.json",
    "plan": "plan.schema.json",
    "agency": "agency.schema.json",
    "catalogue": "catalogue.schema.json",
    "implementation": "implementation.schema.json",
}
SchemaName = Kind | Literal["implementation"]
_PACKAGE = FsPath(__file__).resolve().parent.parent
# A checkout keeps schemas/ beside the package; a wheel maps it to generator/schemas.
_SCHEMA_DIRS = (_PACKAGE.parent / "schemas", _PACKAGE / "schemas")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TYPE_WORDS = {
    "string": "văn bản (đặt trong dấu nháy nếu là số)",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true hoặc false",
    "array": "danh sách (mỗi mục bắt đầu bằng '- ')",
    "object": "khối các cặp khóa: giá trị",
}


def schema_dir() -> FsPath:
    for candidate in _SCHEMA_DIRS:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("schemas/ not found beside the generator package")


@cache
def schema(kind: SchemaName) -> dict[str, Any]:
    return json.loads((schema_dir() / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


@cache
def validator(kind: SchemaName) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=FormatChecker(["date"]))


@cache
def fast_validator(kind: SchemaName) -> Any:
    """jsonschema-rs: answers "valid?" about 60 times faster than jsonschema; most records are."""
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True)


def check_schema(record: Record, data: dict[str, Any], as_kind: SchemaName | None = None
                 ) -> Iterator[Problem]:
    """Schema problems of `data` (the record's data, placeholders already taken out), against
    the schema of its kind or of `as_kind`.

    The fast validator screens; jsonschema explains, with paths and keywords, when it fails.
    """
    kind = as_kind or record.kind
    if fast_validator(kind).is_valid(data):
        return
    root = schema(kind)
    explained: set[tuple[Any, ...]] = set()
    for error in validator(kind).iter_errors(data):
        # jsonschema reports each missing key separately (_explain lists them all at once) and
        # may fail one value on several keywords: the clerk needs one message per field.
        group = (tuple(error.absolute_path), error.validator == "required" and
                 tuple(error.absolute_schema_path))
        if group in explained:
            continue
        explained.add(group)
        yield from _explain(record, root, error)


def property_info(root: dict[str, Any], schema_path: Any, extra: str | None = None
                  ) -> tuple[str, str | None, dict[str, Any]]:
    """Label, legal id and subschema at `schema_path` (plus property `extra`).

    The legal basis is inherited from the nearest enclosing property that names one, so an
    item's sub-field cites the article that requires the whole list.
    """
    node: Any = root
    label, legal_id = root.get("title", ""), root.get("x-legal")
    parts = list(schema_path) + (["properties", extra] if extra is not None else [])
    for part in parts:
        node = _step(root, node, part)
        if isinstance(node, dict):
            label = node.get("title", label)
            legal_id = node.get("x-legal", legal_id)
    return label, legal_id, deref(root, node) if isinstance(node, dict) else node


def info_for_data_path(root: dict[str, Any], path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """Label, legal id and subschema that govern the value at a data path."""
    node: Any = root
    label, legal_id = root.get("title", ""), root.get("x-legal")
    for part in path:
        node = _branch(root, node, "properties" if isinstance(part, str) else "items")
        if node is None:
            return label, legal_id, {}
        node = node.get(part) if isinstance(part, str) else node
        if not isinstance(node, dict):
            return label, legal_id, {}
        label = node.get("title", label)
        legal_id = node.get("x-legal", legal_id)
    return label, legal_id, node


def _branch(root: dict[str, Any], node: dict[str, Any], keyword: str) -> Any:
    # Looks through $ref and the else-branch (fees: "Không" or a list) for properties/items.
    for candidate in (node, node.get("else")):
        if isinstance(candidate, dict):
            if "$ref" in candidate and keyword not in candidate:
                candidate = _resolve(root, candidate["$ref"])
            if keyword in candidate:
                return candidate[keyword]
    return None


def _step(root: dict[str, Any], node: Any, part: Any) -> Any:
    # jsonschema's paths pass through a $ref without naming it.
    if isinstance(node, dict) and part not in node and "$ref" in node:
        node = _resolve(root, node["$ref"])
    return node[part]


def deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its local $ref (if any) merged in; the node's own keys win."""
    if "$ref" not in node:
        return node
    return {**_resolve(root, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _explain(record: Record, root: dict[str, Any], error: ValidationError) -> Iterator[Problem]:
    data_path: Path = tuple(error.absolute_path)
    schema_path = list(error.absolute_schema_path)[:-1]  # drop the failing keyword
    keyword = error.validator
    if keyword == "required":
        while schema_path and schema_path[-1] in ("then", "else"):
            schema_path.pop()  # a conditional `required` names properties of the enclosing object
        present = error.instance if isinstance(error.instance, dict) else {}
        for name in error.validator_value:
            if name in present:
                continue
            label, legal_id, _ = property_info(root, schema_path, name)
            yield _problem(record, (*data_path, name), data_path, label, legal_id,
                           "thiếu trường bắt buộc", "CK-REQ")
        return
    if keyword == "additionalProperties":
        yield from _unknown_keys(record, root, error, data_path, schema_path)
        return
    label, legal_id, node = property_info(root, schema_path)
    message, rule = _message(keyword, error, node)
    yield _problem(record, data_path, data_path, label, legal_id, message, rule)


def _unknown_keys(record: Record, root: dict[str, Any], error: ValidationError, data_path: Path,
                  schema_path: list[Any]) -> Iterator[Problem]:
    known = list(property_info(root, schema_path)[2].get("properties", {}))
    for key in error.instance:
        if key in known:
            continue
        guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f" — có phải ý bạn là '{guess[0]}'?" if guess else f"; các khóa hợp lệ: {', '.join(known)}"
        yield _problem(record, (*data_path, key), (*data_path, key), "", None,
                       f"khóa không hợp lệ '{key}'{hint}", "CK-UNKNOWN-KEY")


def _message(keyword: str, error: ValidationError, node: dict[str, Any]) -> tuple[str, str]:
    value, expected = error.instance, error.validator_value
    pattern_message = f"{node.get('x-pattern-message', 'không đúng định dạng')} (đang là {_shown(value)})"
    if value is None:
        return "để trống: thiếu giá trị", "CK-REQ"
    if keyword == "type":
        wanted = " hoặc ".join(_TYPE_WORDS.get(t, t) for t in
                               (expected if isinstance(expected, list) else [expected]))
        return f"phải là {wanted}, không phải {_shown(value)}", "CK-TYPE"
    if keyword == "enum":
        return f"giá trị {_shown(value)} không hợp lệ; chọn một trong: {', '.join(map(str, expected))}", \
            "CK-ENUM"
    if keyword == "const":
        return f"chỉ được ghi '{expected}' hoặc liệt kê chi tiết, không phải {_shown(value)}", "CK-ENUM"
    if keyword == "minItems":
        return ("danh sách trống: cần ít nhất một mục" if not value else f"cần ít nhất {expected} mục"), \
            "CK-REQ"
    if keyword == "minLength" and value == "":
        return "để trống: thiếu trường bắt buộc", "CK-REQ"
    if keyword == "pattern" or (keyword == "format" and not _ISO_DATE.fullmatch(str(value))):
        return pattern_message, "CK-FORMAT"
    if keyword == "format":
        return f"ngày không có thật: {_shown(value)}", "CK-DATE"
    if keyword in ("minimum", "exclusiveMinimum"):
        bound = "lớn hơn" if keyword == "exclusiveMinimum" else "từ"
        return f"phải {bound} {expected} trở lên, không phải {value}", "CK-RANGE"
    if keyword in ("maxLength", "maxItems"):
        return f"quá dài (tối đa {expected})", "CK-RANGE"
    if keyword == "uniqueItems":
        return "có mục bị lặp lại", "CK-DUPLICATE"
    return f"không hợp lệ ({keyword})", "CK-SCHEMA"


def _shown(value: Any) -> str:
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "một khối" if isinstance(value, dict) else "một danh sách"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _problem(record: Record, path: Path, located: Path, label: str, legal_id: str | None,
             message: str, rule: str) -> Problem:
    line, column = record.position(located)
    return Problem(record.path, line, column, field_path(path), message, rule,
                   label=label, legal=legal.ref(legal_id))
