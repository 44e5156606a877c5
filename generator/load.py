"""Safe, bounded YAML loading that keeps the line and column of every key and value.

The loader walks libyaml's event stream itself instead of using a constructor: that gives one
iterative pass (no recursion for hostile nesting), duplicate-key detection, alias and size
bounds, tag refusal and positions, at libyaml speed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, cast

import yaml

from generator import yaml_errors
from generator.model import DATA_FOLDERS, FLAT_KINDS, FOLDERS, Kind, Path, Problem, Record
from generator.textnorm import clean

if TYPE_CHECKING:
    from yaml import SafeLoader as _Loader
else:  # libyaml when the wheel has it, the pure-Python parser otherwise
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
# C0 and C1 control characters but tab and newline: a double-quoted "\0", "\e" or "\x7f" makes
# one, and it breaks what is built from the text (page headers, CSV, feeds).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
        self.written: dict[Path, str] = {}
        self.anchors: dict[str, Any] = {}
        self.aliases = 0
        self.nodes = 0

    def scalar(self, event: Any) -> Any:
        value = event.value
        if len(value) > self.limits.max_string:
            raise LoadError(
                f"chuỗi dài {len(value):,} ký tự, vượt giới hạn {self.limits.max_string:,}",
                *_mark(event), rule="CK-YAML-LIMIT")
        control = None if value.isprintable() else _CONTROL.search(value)  # isprintable: cheap, usual
        if control:
            raise LoadError(
                f"giá trị chứa ký tự điều khiển không in được U+{ord(control.group()):04X}; hãy xóa "
                "ký tự này (trong dấu nháy kép, cách viết như \\0, \\e hay \\x7f cũng tạo ra ký tự "
                "điều khiển)",
                *_mark(event), rule="CK-CONTROL")
        tag = event.tag
        if tag is None or tag == "!":
            # Quoted scalars are strings; plain ones are resolved as YAML 1.1 does, and only a
            # value starting with one of the resolvers' first characters can be anything else.
            plain = not event.style and tag != "!" and value[:1] in _RESOLVABLE
            tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit) if plain else _STR
        if tag not in _KNOWN_SCALARS:
            raise LoadError(f"không chấp nhận thẻ YAML {event.tag!r}; nếu đây là chữ, hãy đặt cả giá trị "
                            "trong dấu nháy", *_mark(event), rule="CK-YAML-TAG")
        if tag in (_STR, "tag:yaml.org,2002:timestamp"):
            # Dates stay text: the schema checks them, and a bad date is a located error.
            return clean(value)
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # Looks like a number to YAML but is none ("1.500.000"): the text as written, which
            # the schema then judges (a located "must be a number" where a number is expected).
            return clean(value)

    def build(self) -> Any:
        documents: list[Any] = []
        root = _Frame(documents, (), is_root=True)
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
            if top.is_root and documents:
                raise LoadError("tệp chỉ được chứa một bản ghi (một tài liệu YAML)", *_mark(event))
            if top.seen is not None and top.key is None:
                self._key(event, top)
                continue
            path = top.child_path()
            if kind is yaml.AliasEvent:
                value = self._alias(event)
            elif kind is yaml.ScalarEvent:
                value = self.scalar(event)
                if value is not None and type(value) is not str:
                    self.written[path] = event.value  # 010, 7:30, 50.000: read as numbers
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
        return documents[0] if documents else None

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
            raise LoadError(f"tham chiếu *{event.anchor} chưa được định nghĩa; nếu đây là chữ, hãy đặt "
                            "cả giá trị trong dấu nháy", *_mark(event))
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
        if isinstance(self.container, dict):
            return (*self.path, cast(str, self.key))  # a value's key is read before the value
        return (*self.path, len(self.container))

    def store(self, value: Any) -> None:
        if isinstance(self.container, dict):
            self.container[cast(str, self.key)] = value
            self.key = None
        else:
            self.container.append(value)


def parse(raw: bytes, limits: Limits = LIMITS) -> tuple[Any, dict[Path, tuple[int, int]]]:
    """Decode and parse one record file; raises LoadError with a located message."""
    data, positions, _ = parse_written(raw, limits)
    return data, positions


def parse_written(raw: bytes, limits: Limits = LIMITS
                  ) -> tuple[Any, dict[Path, tuple[int, int]], dict[Path, str]]:
    """Like `parse`, plus the text as written of each plain scalar YAML read as a number or a
    boolean: "50.000" (50.0), "02363721234" (an octal number), "7:30" (450)."""
    if len(raw) > limits.max_bytes:
        raise _too_big(len(raw), limits)
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
        message, line, column = yaml_errors.explain(exc, text)
        raise LoadError(f"lỗi cú pháp YAML: {message}", line, column) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        position = getattr(exc, "position", None)
        line, column = _offset_position(text, position) if position is not None else (1, 1)
        raise LoadError(f"lỗi đọc YAML: {yaml_errors.reader_message(exc)}", line, column) from None
    finally:
        loader.dispose()
    return data, builder.positions, builder.written


def _too_big(size: int, limits: Limits) -> LoadError:
    return LoadError(f"tệp lớn {size:,} byte, vượt giới hạn {limits.max_bytes:,} byte", rule="CK-YAML-LIMIT")


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_file(root: FsPath, rel: str, kind: Kind, limits: Limits = LIMITS) -> Record | Problem:
    """Load one record file, or say why it cannot be a record."""
    try:
        raw = read_bounded(root / rel, limits)
        data, positions, written = parse_written(raw, limits)
    except LoadError as exc:
        return Problem(rel, exc.line, exc.column, "", exc.message, exc.rule)
    except OSError as exc:
        return Problem(rel, 1, 1, "", f"không đọc được tệp: {os_reason(exc)}", "CK-FILE")
    if not isinstance(data, dict):
        what = "trống" if data is None else "không phải một khối khóa: giá trị"
        return Problem(rel, 1, 1, "", f"tệp {what}; một bản ghi phải là các cặp khóa: giá trị",
                       "CK-YAML")
    return Record(kind, rel, data, positions, written)


def read_bounded(path: FsPath, limits: Limits = LIMITS) -> bytes:
    """The bytes of a regular file, refused unread beyond the size limit.

    Never follows a symbolic link, never waits on a pipe, never holds more than the limit.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limits.max_bytes:
            raise _too_big(info.st_size, limits)
        chunks: list[bytes] = []
        size = 0
        while size <= limits.max_bytes:  # the file may have grown since fstat
            chunk = os.read(fd, limits.max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limits.max_bytes:
        raise _too_big(size, limits)
    return b"".join(chunks)


_OS_REASONS = {
    errno.EACCES: "không có quyền đọc",
    errno.EPERM: "không có quyền đọc",
    errno.ENOENT: "không tìm thấy",
    errno.ELOOP: "là liên kết tượng trưng (symlink)",
    errno.EISDIR: "là thư mục, không phải tệp",
    errno.EINVAL: "không phải tệp thông thường",
    errno.EIO: "lỗi đọc ổ đĩa",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Vietnamese; a rare cause also gets its system name."""
    known = _OS_REASONS.get(exc.errno or 0)
    return known or f"lỗi hệ thống {errno.errorcode.get(exc.errno or 0, '')}".rstrip()


def discover(root: FsPath) -> tuple[list[tuple[str, Kind]], list[Problem]]:
    """Every record file under the data folders, as (relative path, kind), sorted.

    Whatever under a data folder cannot be a record is a located problem, never skipped in
    silence: a folder that cannot be listed, a hidden file or folder, a pipe or device, a
    symlink, a misplaced or misnamed file.
    """
    found: list[tuple[str, Kind]] = []
    problems: list[Problem] = []
    resolved_root = root.resolve()

    def refuse(full: FsPath | str, message: str) -> None:
        rel = os.path.relpath(full, root).replace(os.sep, "/")
        problems.append(Problem(rel, 1, 1, "", message, "CK-FILE"))

    def unlisted(exc: OSError) -> None:
        refuse(exc.filename, f"không đọc được thư mục ({os_reason(exc)}): các hồ sơ trong đó sẽ không "
                             "được kiểm tra và không được xuất bản")

    for folder, kind in {**FOLDERS, **DATA_FOLDERS}.items():
        base = root / folder
        if base.is_symlink():
            refuse(base, "thư mục dữ liệu không được là liên kết tượng trưng (symlink)")
            continue
        if not base.is_dir():
            continue
        depth = 1 if kind in FLAT_KINDS else 2
        for dirpath, dirnames, filenames in os.walk(base, onerror=unlisted, followlinks=False):
            here = FsPath(dirpath)
            for name in [d for d in dirnames if d.startswith(".")]:
                dirnames.remove(name)
                refuse(here / name, f"thư mục ẩn '{name}' (tên bắt đầu bằng dấu chấm): các tệp trong "
                                    "đó không được đọc; hãy đổi tên bỏ dấu chấm hoặc xóa thư mục")
            dirnames.sort()
            for name in sorted(filenames) + [d for d in dirnames if (here / d).is_symlink()]:
                full = here / name
                rel = full.relative_to(root).as_posix()
                problem = _placement_problem(full, rel, folder, depth, resolved_root)
                if problem:
                    problems.append(Problem(rel, 1, 1, "", problem, "CK-FILE"))
                else:
                    found.append((rel, kind))
    return found, problems


def _placement_problem(full: FsPath, rel: str, folder: str, depth: int, resolved_root: FsPath) -> str:
    try:
        mode = full.lstat().st_mode
    except OSError as exc:
        return f"không đọc được tệp ({os_reason(exc)})"
    if stat.S_ISLNK(mode):
        target = full.resolve()
        if not target.is_relative_to(resolved_root):
            return "liên kết tượng trưng (symlink) trỏ ra ngoài kho dữ liệu: không được phép"
        return "không dùng liên kết tượng trưng (symlink) trong thư mục dữ liệu"
    if full.name.startswith("."):
        return ("tệp ẩn (tên bắt đầu bằng dấu chấm) không được đọc như một hồ sơ; hãy đổi tên bỏ "
                "dấu chấm đầu hoặc xóa tệp")
    if not stat.S_ISREG(mode):
        return "không phải tệp thông thường (ống dẫn, thiết bị…): không được phép trong thư mục dữ liệu"
    if not rel.endswith(".yaml"):
        return "tệp dữ liệu phải có đuôi .yaml"
    if rel.count("/") != depth:
        where = _PLACES.get(folder, "<thư mục>/<mã cơ quan>/<mã>.yaml")
        return f"tệp đặt sai chỗ; đúng là {where}"
    return ""


_PLACES = {"hotlines": "hotlines/<mã cơ quan>.yaml", "catalogue": "catalogue/<mã thủ tục>.yaml"}


def load_files(root: FsPath, selected: Iterable[tuple[str, Kind]]) -> tuple[list[Record], list[Problem]]:
    """The records of the (relative path, kind) pairs that load, and a problem for each that does not."""
    records: list[Record] = []
    problems: list[Problem] = []
    for rel, kind in selected:
        loaded = load_file(root, rel, kind)
        if isinstance(loaded, Record):
            records.append(loaded)
        else:
            problems.append(loaded)
    return records, problems


def load_repository(root: FsPath, only: set[str] | None = None
                    ) -> tuple[list[Record], list[Problem], list[str]]:
    """Load the records under `root` (or only the relative paths in `only`).

    Also returns every record path found, which cross-record rules need even when only a few
    records are loaded. The data folders' files are not records: `check_repository` checks them.
    """
    files, problems = discover(root)
    files = [(rel, kind) for rel, kind in files if kind not in DATA_FOLDERS.values()]
    records, failed = load_files(root, [(rel, kind) for rel, kind in files if only is None or rel in only])
    problems += failed
    if only is not None:
        problems = [p for p in problems if p.file in only]
    return records, problems, [rel for rel, _ in files]
