"""`congkhai new`: a record skeleton with every mandatory key, explained, for a clerk to fill.

The skeleton is derived from the JSON Schema, so it never drifts from what validation asks.
Blank values stay blank: the file fails validation until each is filled, and each error names
the field still to fill.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from generator import legal
from generator.contract import SCHEMA_FILES, SchemaName, deref, schema
from generator.labels import VALUES
from generator.load import load_file
from generator.model import Record

PLAN_KINDS = ("planning", "plan", "policy", "regulation")


def target(kind_arg: str, agency: str | None, code: str | None) -> tuple[SchemaName, str]:
    """Schema and path (relative to the repository root) of a new record."""
    if kind_arg == "agency":
        return "agency", f"hotlines/{agency}.yaml"
    if not code:
        raise ValueError("cần --code: mã thủ tục, hoặc mã văn bản (chữ thường không dấu, gạch ngang)")
    if kind_arg == "catalogue":
        return "catalogue", f"catalogue/{code}.yaml"
    if kind_arg == "procedure":
        return "procedure", f"procedures/{agency}/{code}.yaml"
    if kind_arg == "implementation":
        return "implementation", f"procedures/{agency}/{code}.yaml"
    return "plan", f"plans_and_policies/{agency}/{code}.yaml"


def skeleton(kind_arg: str, agency: str | None, code: str | None, rel: str,
             listed: dict[str, Any] | None = None) -> str:
    """The new record's text; `listed` is the catalogue entry an implementation departs from."""
    kind, _ = target(kind_arg, agency, code)
    root = schema(kind)
    known = {"agency": agency, "code": code, "id": agency if kind == "agency" else code}
    if kind == "plan":
        known["kind"] = kind_arg
    depth = rel.count("/")
    lines = [
        f"# yaml-language-server: $schema={'../' * depth}schemas/{SCHEMA_FILES[kind]}",
        f"# {root['title']}: điền mọi trường còn trống, rồi kiểm tra bằng",
        f"#   congkhai validate {rel}",
        "# Ngày viết YYYY-MM-DD; mã và số điện thoại đặt trong dấu nháy; tiền là số nguyên (đồng).",
        "# Không ghi 'Đang cập nhật', '...' hay 'Không có thông tin': như thế là chưa công khai.",
    ]
    if kind in ("catalogue", "implementation"):
        lines += [f"# {line}" for line in textwrap.wrap(root["description"], 94)]
    if listed is not None:
        lines += _listed(listed, code)
    lines.append("")
    lines += _mapping(root, root, 0, known)
    return "\n".join(lines) + "\n"


def _listed(entry: dict[str, Any], code: str | None) -> list[str]:
    """What the catalogue says, for the clerk writing an implementation: its name, methods, times."""
    out = [f"# Theo danh mục (catalogue/{code}.yaml): {entry.get('name', '')}"]
    for channel in entry.get("channels") or []:
        if not isinstance(channel, dict):
            continue
        given = channel.get("processing_time")
        time: dict[str, Any] = given if isinstance(given, dict) else {}
        unit = VALUES.get(str(time.get("unit")), str(time.get("unit", "")))
        out.append(f"#   {channel.get('method')} ({VALUES.get(str(channel.get('method')), '').lower()}): "
                   f"thời hạn {time.get('value', '?')} {unit}")
    return out


def _mapping(root: dict[str, Any], node: dict[str, Any], indent: int,
             known: dict[str, str | None]) -> list[str]:
    node = deref(root, node)
    required = list(node.get("required", []))
    if node.get("then", {}).get("required") and known.get("kind") == "planning":
        required += node["then"]["required"]  # planning needs its maps
    lines: list[str] = []
    pad = " " * indent
    for name in required:
        prop = deref(root, node["properties"][name])
        lines += [f"{pad}# {line}" for line in _explain(prop)]
        lines += _value(root, prop, name, indent, known.get(name) if indent == 0 else None)
    optional = [n for n in node.get("properties", {}) if n not in required]
    if indent == 0 and optional:
        lines += ["", "# Trường không bắt buộc (bỏ dấu # để dùng):"]
        lines += [f"# {n}:  {node['properties'][n].get('title', '')}" for n in optional]
    elif optional and not required:  # e.g. implemented_by: one of its keys or more
        lines.append(f"{pad}# ghi một hoặc nhiều khóa sau (bỏ dấu #):")
        lines += [f"{pad}# {n}:  {'; '.join(_explain(deref(root, node['properties'][n])))}"
                  for n in optional]
    return lines


def _value(root: dict[str, Any], prop: dict[str, Any], name: str, indent: int,
           value: str | None) -> list[str]:
    pad = " " * indent
    if value is not None:
        return [f"{pad}{name}: {json.dumps(value, ensure_ascii=False)}"]
    if prop.get("type") == "object":
        return [f"{pad}{name}:", *_mapping(root, prop, indent + 2, {})]
    items = deref(root, prop.get("items", {}))
    if prop.get("type") == "array" and items.get("type") == "object":
        body = _mapping(root, items, indent + 4, {})
        first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
        body[first] = f"{pad}  - {body[first].lstrip()}"
        return [f"{pad}{name}:", *body]
    if prop.get("type") == "array":
        return [f"{pad}{name}:", f"{pad}  -"]
    return [f"{pad}{name}:"]  # scalars, and fees ("Không" or a list): the clerk chooses


def _explain(prop: dict[str, Any]) -> list[str]:
    out = [prop.get("title", "")]
    ref = legal.ref(prop.get("x-legal"))
    if ref:
        out[0] += f" — bắt buộc theo {ref.cite()}"
    if "enum" in prop:
        out.append("chọn một: " + ", ".join(f"{v} ({VALUES.get(v, v).lower()})" for v in prop["enum"]))
    if prop.get("x-none-allowed"):
        out.append("nếu thật sự không có, ghi: Không")
    return out


def write_new(root_dir: Path, kind_arg: str, agency: str | None, code: str | None) -> Path:
    _, rel = target(kind_arg, agency, code)
    path = root_dir / rel
    if path.exists():
        raise FileExistsError(rel)
    listed = None
    if kind_arg == "implementation":
        loaded = load_file(root_dir, f"catalogue/{code}.yaml", "catalogue")
        listed = loaded.data if isinstance(loaded, Record) else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(skeleton(kind_arg, agency, code, rel, listed), encoding="utf-8")
    return path
