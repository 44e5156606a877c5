"""JSON Schema validation, with each failure turned into a located, cited Problem."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from generator.check.problem import problem
from generator.contract import SchemaName, deref, resolve, schema
from generator.labels import VALUES
from generator.model import Path, Problem, Record
from generator.textnorm import fold

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TYPE_WORDS = {
    "string": "văn bản (đặt trong dấu nháy nếu là số)",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true hoặc false",
    "array": "danh sách (mỗi mục bắt đầu bằng '- ')",
    "object": "khối các cặp khóa: giá trị",
}


@cache
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern with ECMA-262's meaning of a final "$": the end of the text.

    Python's "$" also matches before a final newline, so "1.001193\\n" would pass here and
    fail in jsonschema-rs: both validators must agree.
    """
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not pattern_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_extend: Any = validators.extend  # jsonschema's stubs leave it untyped
_Validator = _extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator(kind: SchemaName) -> Any:
    return _Validator(schema(kind), format_checker=FormatChecker(["date"]))


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
                candidate = resolve(root, candidate["$ref"])
            if keyword in candidate:
                return candidate[keyword]
    return None


def _step(root: dict[str, Any], node: Any, part: Any) -> Any:
    # jsonschema's paths pass through a $ref without naming it.
    if isinstance(node, dict) and part not in node and "$ref" in node:
        node = resolve(root, node["$ref"])
    return node[part]


def _explain(record: Record, root: dict[str, Any], error: ValidationError) -> Iterator[Problem]:
    data_path: Path = tuple(error.absolute_path)
    schema_path = list(error.absolute_schema_path)[:-1]  # drop the failing keyword
    keyword = str(error.validator)
    if keyword == "required":
        while schema_path and schema_path[-1] in ("then", "else"):
            schema_path.pop()  # a conditional `required` names properties of the enclosing object
        present = error.instance if isinstance(error.instance, dict) else {}
        required: Any = error.validator_value
        for name in required:
            if name in present:
                continue
            label, legal_id, _ = property_info(root, schema_path, name)
            yield problem(record, (*data_path, name), "thiếu trường bắt buộc", "CK-REQ",
                          legal_id=legal_id, label=label, located=data_path)
        return
    if keyword == "additionalProperties":
        yield from _unknown_keys(record, root, error, data_path, schema_path)
        return
    label, legal_id, node = property_info(root, schema_path)
    message, rule = _message(keyword, error, node, record.written.get(data_path))
    yield problem(record, data_path, message, rule, legal_id=legal_id, label=label)


def _unknown_keys(record: Record, root: dict[str, Any], error: ValidationError, data_path: Path,
                  schema_path: list[Any]) -> Iterator[Problem]:
    known = list(property_info(root, schema_path)[2].get("properties", {}))
    instance: Any = error.instance
    for key in instance:
        if key in known:
            continue
        guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f" — có phải ý bạn là '{guess[0]}'?" if guess else f"; các khóa hợp lệ: {', '.join(known)}"
        yield problem(record, (*data_path, key), f"khóa không hợp lệ '{key}'{hint}", "CK-UNKNOWN-KEY")


def _message(keyword: str, error: ValidationError, node: dict[str, Any], written: str | None = None
             ) -> tuple[str, str]:
    """The clerk's message for one failed keyword; `written` is the value as typed when YAML
    read it as something else (a number, a boolean)."""
    value: Any = error.instance
    expected: Any = error.validator_value
    pattern_message = f"{node.get('x-pattern-message', 'không đúng định dạng')} (đang là {_shown(value)})"
    if value is None:
        return "để trống: thiếu giá trị", "CK-REQ"
    if keyword == "type":
        return _type_message(value, expected if isinstance(expected, list) else [expected], written), \
            "CK-TYPE"
    if keyword == "enum":
        return _enum_message(value, expected), "CK-ENUM"
    if keyword == "const":
        return f"chỉ được ghi '{expected}' hoặc liệt kê chi tiết, không phải {_shown(value)}", "CK-ENUM"
    if keyword == "minItems":
        return ("danh sách trống: cần ít nhất một mục" if not value else f"cần ít nhất {expected} mục"), \
            "CK-REQ"
    if keyword == "minLength" and value == "":
        return "để trống: thiếu trường bắt buộc", "CK-REQ"
    if keyword == "pattern" or (keyword == "format" and not _ISO_DATE.fullmatch(str(value))):
        return pattern_message + _foreign_digits(value), "CK-FORMAT"
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


THOUSANDS = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")


def _type_message(value: Any, expected: list[str], written: str | None) -> str:
    wanted = " hoặc ".join(_TYPE_WORDS.get(t, t) for t in expected)
    if "string" in expected and written is not None:
        # 02363721234 (octal), 7:30 (sexagesimal), 1.002010 (a float): say what YAML made of it
        read = f"YAML đọc {written} thành {_plain(value)}; " if written != _plain(value) else ""
        return f"phải là văn bản; {read}hãy đặt trong dấu nháy: \"{written}\""
    if "string" in expected and isinstance(value, dict) and len(value) == 1:
        # "- Bước 1: nộp hồ sơ" is a one-key block to YAML, not the text the clerk meant
        key, inner = next(iter(value.items()))
        shown = f"{key}: {inner}" if isinstance(inner, str) else f"{key}: …"
        return ("phải là văn bản, nhưng dấu ':' và dấu cách khiến YAML đọc thành một khối; hãy đặt cả "
                f"giá trị trong dấu nháy: \"{_clip(shown)}\"")
    if isinstance(value, str) and {"integer", "number"} & set(expected):
        if THOUSANDS.fullmatch(value.strip()):
            return (f"phải là {wanted}, không phải {_shown(value)}: hãy viết liền các chữ số, không dấu "
                    f"chấm hay dấu phẩy ngăn cách hàng nghìn: {re.sub('[^0-9]', '', value)}")
        if value.strip().isascii() and value.strip().isdigit():
            return f"phải là {wanted}: bỏ dấu nháy, viết {value.strip()}"
        example = "50000" if "integer" in expected else "15 hoặc 1.5"
        return f"phải là {wanted}, không phải {_shown(value)}: hãy viết các chữ số, ví dụ {example}"
    return f"phải là {wanted}, không phải {_shown(value)}"


def _plain(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _enum_message(value: Any, allowed: list[Any]) -> str:
    labels = VALUES
    options = ", ".join(f"{v} ({labels[v]})" if v in labels else str(v) for v in allowed)
    meant = [v for v in allowed if isinstance(value, str) and v in labels and fold(labels[v]) == fold(value)]
    hint = f"hãy ghi {meant[0]} (nghĩa là '{labels[meant[0]]}'); " if meant else ""
    return f"giá trị {_shown(value)} không hợp lệ; {hint}chọn một trong: {options}"


def _foreign_digits(value: Any) -> str:
    """Fullwidth or Arabic-Indic digits look like 0-9 but are other characters."""
    if not isinstance(value, str):
        return ""
    odd = sorted({ch for ch in value if ch.isdigit() and not ch.isascii()})
    if not odd:
        return ""
    return (f" — có chữ số không phải 0–9 ({', '.join(map(repr, odd))}): hãy gõ lại bằng chữ số "
            "thường trên bàn phím")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _shown(value: Any) -> str:
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "một khối" if isinstance(value, dict) else "một danh sách"
    return repr(_clip(str(value)))

