"""Writing imported catalogue entries: stable YAML, a provenance header, and refusal to clobber
edits.

Every imported file starts with two comment lines (the page itself is the entry's `source_url`):

    # Nhập từ Cổng Dịch vụ công quốc gia
    # congkhai-import: sha256=<hex digest of everything after this line>

A later import recomputes the digest of the file's body. Equal: nobody touched the file since it
was imported, so it may be replaced. Different (or no such line: a hand-written record): it
was edited, and it is only replaced with `--force`.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from generator.load import LIMITS, LoadError, parse

if TYPE_CHECKING:
    from yaml import SafeDumper as _BaseDumper
else:  # libyaml when the wheel has it; both emit the same text for these plain records
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

SOURCE_COMMENT = "# Nhập từ Cổng Dịch vụ công quốc gia"
MARKER = "# congkhai-import: sha256="
_MARKER_LINE = re.compile(r"^# congkhai-import: sha256=([0-9a-f]{64})$", re.MULTILINE)

Outcome = Literal["created", "updated", "unchanged", "refused", "failed"]


class _Dumper(_BaseDumper):
    """Multi-line text as literal blocks (`|`), everything else as PyYAML decides."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000_000)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def render(data: dict[str, Any]) -> str:
    """The whole file: provenance comments, then the entry."""
    body = dump(data)
    return f"{SOURCE_COMMENT}\n{MARKER}{digest(body)}\n{body}"


def edited_since_import(text: str) -> bool:
    """True when the file is not exactly what an import wrote (or was never imported)."""
    m = _MARKER_LINE.search(text)
    if m is None:
        return True
    return digest(text[m.end() + 1:]) != m.group(1)


def check_roundtrip(text: str, data: dict[str, Any]) -> str | None:
    """Why the written text would not load back as `data` (None when it does)."""
    raw = text.encode("utf-8")
    try:
        loaded, _ = parse(raw, LIMITS)
    except LoadError as exc:
        return exc.message
    if loaded != data:
        return "nội dung đọc lại khác nội dung ghi"
    return None


@dataclass(frozen=True, slots=True)
class WriteResult:
    outcome: Outcome
    path: Path
    message: str = ""


CATALOGUE = "catalogue"


def write_entry(out: Path, code: str, text: str, force: bool) -> WriteResult:
    """Write `text` to out/catalogue/<code>.yaml, never outside `out`."""
    relative = Path(CATALOGUE) / f"{code}.yaml"
    target = out / relative
    root = out.resolve()
    if (out / CATALOGUE).is_symlink():
        return WriteResult("failed", relative, "thư mục là liên kết tượng trưng (symlink): không ghi")
    if target.is_symlink():
        return WriteResult("failed", relative, "tệp là liên kết tượng trưng (symlink): không ghi")
    if not target.resolve().is_relative_to(root):
        return WriteResult("failed", relative, "đường dẫn nằm ngoài thư mục đích")
    outcome: Outcome = "created"
    if target.exists():
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return WriteResult("failed", relative, f"không đọc được tệp hiện có: {exc}")
        if current == text:
            return WriteResult("unchanged", relative)
        if edited_since_import(current) and not force:
            return WriteResult("refused", relative,
                               "tệp đã được sửa sau lần nhập trước; dùng --force để ghi đè")
        outcome = "updated"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, target)
    except OSError as exc:
        return WriteResult("failed", relative, f"không ghi được: {exc.strerror or exc}")
    return WriteResult(outcome, relative)
