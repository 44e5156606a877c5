"""Safe, bounded YAML loading that keeps the line and column of every key and value.

The loader walks libyaml's event stream itself instead of using a constructor: that gives one
iterative pass (no recursion for hostile nesting), duplicate-key detection, alias and size
bounds, tag refusal and positions, at libyaml speed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

import yaml

from generator.model import FLAT_KINDS, FOLDERS, Path, Problem, Record
from generator.textnorm import clean

try:  # libyaml when the wheel has it, the pure-Python parser otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 1_000_000
    max_depth: int = 20
    max_aliases: int = 20
    max_nodes: int = 50_000
    max_string: int = 100_000


LIMITS = Limits()

_STR = "tag:yaml.org,2002:str"
_KNOWN_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_RESOLVABLE = frozenset(_Loader.yaml_implicit_resolvers)  # first characters: digits, "t", "~"…
_CONTAINER_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", None, "!"}


class LoadError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1, rule: str = "CK-YAML"):
        super().__init__(message)
        self.message, self.line, self.column, self.rule = message, line, column, rule


def _mark(event: Any) -> tuple[int, int]:
    m = event.start_mark
    return (m.line + 1, m.column + 1)


class _Builder:
    """Turns the event stream of one document into Python values plus positions."""

    def __init__(self, loader: Any, limits: Limits):
        self.loader = loader
        self.limits = limits
        self.positions: dict[Path, tuple[int, int]] = {}
        self.anchors: dict[str, Any] = {}
        self.aliases = 0
        self.nodes = 0

    def scalar(self, event: Any) -> Any:
        value = event.value
        if len(value) > self.limits.max_string:
            raise LoadError(
                f"chuỗi dài {len(value):,} ký tự, vượt giới hạn {self.limits.max_string:,}",
                *_mark(event), rule="CK-YAML-LIMIT")
        tag = event.tag
        if tag is None or tag == "!":
            # Quoted scalars are strings; plain ones are resolved as YAML 1.1 does, and only a
            # value starting with one of the resolvers' first characters can be anything else.
            plain = not event.style and tag != "!" and value[:1] in _RESOLVABLE
            tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit) if plain else _STR
        if tag not in _KNOWN_SCALARS:
            raise LoadError(f"không chấp nhận thẻ YAML {event.tag!r}", *_mark(event), rule="CK-YAML-TAG")
        if tag in (_STR, "tag:yaml.org,2002:timestamp"):
            # Dates stay text: the schema checks them, and a bad date is a located error.
            return clean(value)
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            raise LoadError(f"giá trị không đọc được: {exc}", *_mark(event)) from None

    def build(self) -> Any:
        root = _Frame([], (), is_root=True)
        stack = [root]
        next_event = self.loader.get_event
        while True:
            event = next_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent or event is None:
                break
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            if kind not in _NODE_EVENTS:
                continue
            self.nodes += 1
            if self.nodes > self.limits.max_nodes:
                raise LoadError(f"tệp có hơn {self.limits.max_nodes:,} giá trị", *_mark(event),
                                rule="CK-YAML-LIMIT")
            top = stack[-1]
            if top.is_root and top.container:
                raise LoadError("tệp chỉ được chứa một bản ghi (một tài liệu YAML)", *_mark(event))
            if top.seen is not None and top.key is None:
                self._key(event, top)
                continue
            path = top.child_path()
            if kind is yaml.AliasEvent:
                value = self._alias(event)
            elif kind is yaml.ScalarEvent:
                value = self.scalar(event)
            else:
                if event.tag not in _CONTAINER_TAGS:
                    raise LoadError(f"không chấp nhận thẻ YAML {event.tag!r}", *_mark(event),
                                    rule="CK-YAML-TAG")
                if len(stack) > self.limits.max_depth:
                    raise LoadError(f"lồng nhau quá {self.limits.max_depth} cấp", *_mark(event),
                                    rule="CK-YAML-LIMIT")
                value = {} if kind is yaml.MappingStartEvent else []
                stack.append(_Frame(value, path))
            self.positions.setdefault(path, _mark(event))
            if getattr(event, "anchor", None):
                self.anchors[event.anchor] = value
            top.store(value)
        return root.container[0] if root.container else None

    def _key(self, event: Any, top: _Frame) -> None:
        if type(event) is not yaml.ScalarEvent:
            raise LoadError("khóa phải là một chuỗi đơn giản", *_mark(event))
        key = self.scalar(event)
        if not isinstance(key, str):
            key = event.value  # `1: x` or `yes: x`: keep the key as written
        assert top.seen is not None
        if key in top.seen:
            raise LoadError(f"khóa '{key}' bị lặp lại trong cùng một khối (giá trị trước sẽ bị mất)",
                            *_mark(event), rule="CK-YAML-DUPKEY")
        top.seen.add(key)
        top.key = key
        self.positions[(*top.path, key)] = _mark(event)

    def _alias(self, event: Any) -> Any:
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise LoadError(f"dùng quá {self.limits.max_aliases} tham chiếu (alias)", *_mark(event),
                            rule="CK-YAML-LIMIT")
        if event.anchor not in self.anchors:
            raise LoadError(f"tham chiếu *{event.anchor} chưa được định nghĩa", *_mark(event))
        value = self.anchors[event.anchor]
        if isinstance(value, (dict, list)):
            # Shared blocks are how alias bombs multiply: only scalars may be repeated.
            raise LoadError("không dùng tham chiếu (alias) tới cả một khối; hãy viết lại nội dung",
                            *_mark(event), rule="CK-YAML-LIMIT")
        return value


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


class _Frame:
    """An open mapping or sequence while the event stream is walked."""

    __slots__ = ("container", "is_root", "key", "path", "seen")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path, is_root: bool = False):
        self.container = container
        self.path = path
        self.key: str | None = None
        self.seen: set[str] | None = set() if isinstance(container, dict) else None
        self.is_root = is_root

    def child_path(self) -> Path:
        if self.is_root:
            return ()
        if self.seen is not None:
            return (*self.path, self.key)  # type: ignore[arg-type]
        return (*self.path, len(self.container))

    def store(self, value: Any) -> None:
        if self.seen is not None:
            self.container[self.key] = value  # type: ignore[index]
            self.key = None
        else:
            self.container.append(value)  # type: ignore[union-attr]


def parse(raw: bytes, limits: Limits = LIMITS) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """Decode and parse one record file; raises LoadError with a located message."""
    if len(raw) > limits.max_bytes:
        raise LoadError(f"tệp lớn {len(raw):,} byte, vượt giới hạn {limits.max_bytes:,} byte",
                        rule="CK-YAML-LIMIT")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("tệp được lưu dạng UTF-16; hãy lưu lại dạng UTF-8", rule="CK-ENCODING")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(f"byte 0x{raw[exc.start]:02x} không hợp lệ trong UTF-8; hãy lưu tệp dạng UTF-8",
                        line, column, rule="CK-ENCODING") from None
    loader = _Loader(text)
    builder = _Builder(loader, limits)
    try:
        data = builder.build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(f"lỗi cú pháp YAML: {_yaml_problem(exc)}", line, column) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        position = getattr(exc, "position", None)
        line, column = _offset_position(text, position) if position is not None else (1, 1)
        raise LoadError(f"lỗi đọc YAML: {_yaml_problem(exc)}", line, column) from None
    finally:
        loader.dispose()
    return data, builder.positions


# libyaml's most common complaints, said the way a clerk can act on them.
_PROBLEMS_VI = {
    "found a tab character": "không dùng ký tự tab để thụt lề; hãy dùng dấu cách",
    "#x0000": "tệp chứa ký tự NUL (#x0000)",
    "control characters are not allowed": "tệp chứa ký tự điều khiển không in được",
    "mapping values are not allowed here":
        "dấu ':' ở chỗ không hợp lệ; giá trị có dấu ':' phải đặt trong dấu nháy",
    "could not find expected ':'": "thiếu dấu ':' sau tên khóa",
    "found character that cannot start any token":
        "giá trị bắt đầu bằng ký tự đặc biệt; hãy đặt giá trị trong dấu nháy",
    "did not find expected ',' or ']'": "thiếu dấu ']' đóng danh sách hoặc dấu ',' giữa các mục",
    "did not find expected ',' or '}'": "thiếu dấu '}' đóng khối hoặc dấu ',' giữa các mục",
    "did not find expected key": "thụt lề không thẳng hàng hoặc thiếu tên khóa",
    "did not find expected '-' indicator": "thụt lề của danh sách không thẳng hàng",
    "found unexpected end of stream": "tệp kết thúc khi dấu nháy hoặc ngoặc chưa đóng",
    "found undefined alias": "tham chiếu (alias) chưa được định nghĩa",
}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    text = str(exc)
    for needle, message in _PROBLEMS_VI.items():
        if needle in text:
            return message
    return getattr(exc, "problem", None) or text.splitlines()[0]


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_file(root: FsPath, rel: str, kind: str, limits: Limits = LIMITS) -> Record | Problem:
    """Load one record file, or say why it cannot be a record."""
    try:
        raw = (root / rel).read_bytes()
        data, positions = parse(raw, limits)
    except LoadError as exc:
        return Problem(rel, exc.line, exc.column, "", exc.message, exc.rule)
    except OSError as exc:
        return Problem(rel, 1, 1, "", f"không đọc được tệp: {exc.strerror}", "CK-FILE")
    if not isinstance(data, dict):
        what = "trống" if data is None else "không phải một khối khóa: giá trị"
        return Problem(rel, 1, 1, "", f"tệp {what}; một bản ghi phải là các cặp khóa: giá trị",
                       "CK-YAML")
    return Record(kind, rel, data, positions)  # type: ignore[arg-type]


def discover(root: FsPath) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Every record file under the data folders, as (relative path, kind), sorted."""
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    resolved_root = root.resolve()
    for folder, kind in FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        depth = 1 if kind in FLAT_KINDS else 2
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames.sort()
            here = FsPath(dirpath)
            for name in sorted(filenames) + [d for d in dirnames if (here / d).is_symlink()]:
                if name.startswith("."):
                    continue
                full = here / name
                rel = full.relative_to(root).as_posix()
                problem = _placement_problem(full, rel, folder, depth, resolved_root)
                if problem:
                    problems.append(Problem(rel, 1, 1, "", problem, "CK-FILE"))
                else:
                    found.append((rel, kind))
    return found, problems


def _placement_problem(full: FsPath, rel: str, folder: str, depth: int, resolved_root: FsPath) -> str:
    if full.is_symlink():
        target = full.resolve()
        if not target.is_relative_to(resolved_root):
            return "liên kết tượng trưng (symlink) trỏ ra ngoài kho dữ liệu: không được phép"
        return "không dùng liên kết tượng trưng (symlink) trong thư mục dữ liệu"
    if not rel.endswith(".yaml"):
        return "tệp dữ liệu phải có đuôi .yaml"
    if rel.count("/") != depth:
        where = _PLACES.get(folder, "<thư mục>/<mã cơ quan>/<mã>.yaml")
        return f"tệp đặt sai chỗ; đúng là {where}"
    return ""


_PLACES = {"hotlines": "hotlines/<mã cơ quan>.yaml", "catalogue": "catalogue/<mã thủ tục>.yaml"}


def load_repository(root: FsPath, only: set[str] | None = None
                    ) -> tuple[list[Record], list[Problem], list[str]]:
    """Load the records under `root` (or only the relative paths in `only`).

    Also returns every record path found, which cross-record rules need even when only a few
    records are loaded.
    """
    files, problems = discover(root)
    records: list[Record] = []
    for rel, kind in files:
        if only is not None and rel not in only:
            continue
        loaded = load_file(root, rel, kind)
        if isinstance(loaded, Record):
            records.append(loaded)
        else:
            problems.append(loaded)
    if only is not None:
        problems = [p for p in problems if p.file in only]
    return records, problems, [rel for rel, _ in files]
