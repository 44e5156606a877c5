"""Reading one CSV export: the header first (personal data refused before any row is read),
then every row, each with its exact line in the file.

Polars reads the rows. A file without quotes has one row per line, and the count of its commas
proves that every row has as many fields as the header; otherwise (quotes that may hold line
breaks or commas, rows of the wrong length, blank lines, bad bytes) Python's csv module
re-reads the file to locate every row exactly. Nothing is dropped: a row is data, a located
error, or a blank line, and each is counted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from generator.dossiers import spec
from generator.dossiers.problems import DossierProblem

ROW = "row"  # 0-based index of the row among the file's data rows


@dataclass(slots=True)
class Export:
    """The rows of one file as the caller prepared them, or nothing (the file is refused)."""

    file: str
    frame: pl.DataFrame | None = None
    problems: list[DossierProblem] = field(default_factory=list)
    found: list[Any] = field(default_factory=list)  # what `prepare` said about the rows it kept
    broken_rows: int = 0  # rows whose structure is wrong (reported in `problems`)
    blank_rows: int = 0


def _error(file: str, line: int, rule: str, message: str) -> DossierProblem:
    return DossierProblem(file, line, "", rule, message, "error")


# A batch of text rows -> the rows kept, and what was found about them (a pass over the file
# that turns out to be wrong is read again, and what it found is forgotten).
Prepare = Callable[[pl.DataFrame], tuple[pl.DataFrame, list[Any]]]
BATCH = 100_000  # rows read, checked and made compact at a time: memory follows this, not the file


def read_export(path: Path, file: str, file_id: int = 0, prepare: Prepare | None = None) -> Export:
    """One export; `file` is how problems name it, `file_id` the number its rows carry.

    The rows are read `BATCH` at a time; `prepare` turns each batch of text columns (the
    contract's keys, plus `file`, `line` and `row`) into what the caller keeps of it.
    """
    out = Export(file)
    try:
        shape = _shape(path)
        header = _header(shape.first_line, out)
        keys = _column_keys(header, out) if header is not None else None
        if header is not None and keys:
            out.frame = _rows(path, shape, keys, out, _Batch(file_id, keys, prepare or (lambda f: (f, []))))
    except OSError as exc:
        out.problems.append(_error(file, 1, "DS-FILE", f"không đọc được tệp: {exc.strerror or exc}"))
    return out


@dataclass(frozen=True, slots=True)
class _Shape:
    """What one streamed pass over the bytes tells: no row is read for it."""

    first_line: bytes
    commas: int  # after the first line
    quoted: bool
    nul: bool


def _shape(path: Path) -> _Shape:
    commas, quoted, nul, first = 0, False, False, b""
    with path.open("rb") as handle:
        first = handle.readline(_HEADER_MAX)
        while chunk := handle.read(1 << 24):
            commas += chunk.count(b",")
            quoted = quoted or b'"' in chunk
            nul = nul or b"\x00" in chunk
    return _Shape(first.rstrip(b"\n"), commas, quoted or b'"' in first, nul)


_HEADER_MAX = 1 << 16


def _header(first: bytes, out: Export) -> list[str] | None:
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        out.problems.append(_error(out.file, 1, "DS-CSV",
                                   "tệp được lưu dạng UTF-16; hãy xuất lại dạng CSV UTF-8"))
        return None
    try:
        text = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        out.problems.append(_error(out.file, 1, "DS-CSV",
                                   "dòng tiêu đề không phải UTF-8; hãy xuất lại dạng CSV UTF-8"))
        return None
    if not text.strip():
        out.problems.append(_error(out.file, 1, "DS-CSV", "tệp trống hoặc dòng đầu không có tên cột"))
        return None
    try:
        return next(csv.reader([text], strict=True))
    except csv.Error:
        out.problems.append(_error(out.file, 1, "DS-CSV", "dòng tiêu đề có dấu nháy kép không đóng"))
        return None
def _column_keys(header: list[str], out: Export) -> list[str | None] | None:
    """The contract key of each header cell (None: not in the contract), or None to refuse the file.

    Personal data is looked for first, so a refused file says nothing else about itself.
    """
    personal = [(i, name) for i, name in enumerate(header) if spec.is_personal(name)]
    if personal:
        for i, name in personal:
            out.problems.append(_error(
                out.file, 1, "DS-PERSONAL-DATA",
                f"cột {i + 1} '{name}' là dữ liệu cá nhân của người nộp hồ sơ; tệp bị từ chối, không "
                "dòng nào được đọc. Hãy xuất lại tệp không có cột này: cổng chỉ cần mã hồ sơ và các "
                "mốc thời gian, dữ liệu cá nhân không được đưa vào kho dữ liệu hay trang web"))
        return None
    known = spec.header_keys()
    keys: list[str | None] = []
    first_at: dict[str, int] = {}
    refuse = False
    for i, name in enumerate(header):
        key = known.get(spec.header_form(name))
        keys.append(key)
        if key is None:
            out.problems.append(DossierProblem(
                out.file, 1, "", "DS-COLUMN",
                f"cột {i + 1} '{name}' không có trong mẫu tệp xuất; cột này được bỏ qua", "warning"))
        elif key in first_at:
            out.problems.append(_error(out.file, 1, "DS-COLUMN",
                                       f"cột {i + 1} '{name}' trùng với cột {first_at[key] + 1} ({key})"))
            refuse = True
        else:
            first_at[key] = i
    columns = spec.columns()
    for key in [k for k, c in columns.items() if c.required and k not in first_at]:
        out.problems.append(_error(
            out.file, 1, "DS-COLUMN",
            f"thiếu cột bắt buộc '{key}' ({columns[key].label}); không kiểm tra được hồ sơ nào của tệp"))
        refuse = True
    return None if refuse else keys


class _Unreadable(Exception):
    """The file cannot be read row by row; the problem says where and why."""

    def __init__(self, problem: DossierProblem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class _Batch:
    """How batches become rows: the file's number, its columns' keys, the caller's step."""

    file_id: int
    keys: list[str | None]
    prepare: Prepare

    def canonical(self, batch: pl.DataFrame) -> pl.DataFrame:
        """The contract's columns by key, as read: a value with spaces around it is not taken
        as another value (its error message quotes it, spaces included)."""
        present = {key: f"c{i}" for i, key in enumerate(self.keys) if key is not None}
        columns = [pl.col(present[key]).alias(key) if key in present else pl.lit("").alias(key)
                   for key in spec.columns()]
        return batch.select(pl.lit(self.file_id, dtype=pl.UInt32).alias("file"), "line", ROW, *columns)


@dataclass(slots=True)
class _Pass:
    """One pass over the rows: what was kept, and what the pass saw."""

    frame: pl.DataFrame
    found: list[Any] = field(default_factory=list)
    rows: int = 0
    commas_inside: int = 0  # commas inside quoted values (not separators)
    blank: int = 0
    broken: int = 0


def _rows(path: Path, shape: _Shape, keys: list[str | None], out: Export, how: _Batch
          ) -> pl.DataFrame | None:
    width = len(keys)
    try:
        if shape.nul:
            _scan(path, width, out.file)  # raises at the NUL byte's line
        try:
            done = _read(path, shape, how, ragged=False, scan=None)
            scan = None if shape.commas - done.commas_inside == (width - 1) * done.rows \
                else _scan(path, width, out.file)
        except pl.exceptions.PolarsError:  # a row longer than the header
            scan = _scan(path, width, out.file)
        if scan is not None:
            # A short or long row, or a blank line: the exact lines come from the scan.
            done = _read(path, shape, how, ragged=True, scan=scan)
            if len(scan.lines) != done.rows:
                raise _Unreadable(_error(out.file, 1, "DS-CSV", "không xác định chắc chắn được các dòng "
                                         "của tệp; hãy xuất lại tệp CSV UTF-8"))
            out.problems.extend(scan.problems)
    except _Unreadable as exc:
        out.problems.append(exc.problem)
        return None
    except pl.exceptions.PolarsError as exc:
        out.problems.append(_error(out.file, 1, "DS-CSV", f"không đọc được tệp CSV ({_first_line(exc)})"))
        return None
    out.blank_rows, out.broken_rows, out.found = done.blank, done.broken, done.found
    return done.frame


def _read(path: Path, shape: _Shape, how: _Batch, ragged: bool, scan: _Scan | None) -> _Pass:
    """Every row, batch by batch: located, blank and broken rows left out (and counted), the
    rest prepared.

    Without quotes only the contract's columns are read and row n is on line n + 2; with
    quotes every column is, to count the commas and line breaks inside values.
    """
    names = [f"c{i}" for i in range(len(how.keys))]
    wanted = names if shape.quoted else [n for n, k in zip(names, how.keys, strict=True) if k]
    lazy = pl.scan_csv(path, infer_schema=False, empty_string_is_null=False, new_columns=names,
                       truncate_ragged_lines=ragged, raise_if_empty=False).select(wanted).with_row_index(ROW)
    lines = pl.Series(scan.lines, dtype=pl.Int64) if scan else None
    broken = pl.Series(scan.broken, dtype=pl.Boolean) if scan else None
    kept: list[pl.DataFrame] = []
    result = _Pass(pl.DataFrame())
    carried = 0  # line breaks inside values of the rows before this batch
    for batch in lazy.collect_batches(chunk_size=BATCH):
        result.rows += batch.height
        row = batch[ROW].cast(pl.Int64)
        if lines is not None and broken is not None:
            batch = batch.with_columns(lines.gather(row).alias("line"), broken.gather(row).alias("broken"))
        else:
            line = row + 2
            if shape.quoted:
                result.commas_inside += _count_in_values(batch, wanted, ",")
                inside = batch.select(pl.sum_horizontal(
                    pl.col(c).str.count_matches("\n", literal=True) for c in wanted)).to_series()
                line = line + carried + inside.cum_sum().shift(1, fill_value=0)
                carried += int(inside.sum())
            batch = batch.with_columns(line.alias("line"), pl.lit(False).alias("broken"))
        blank = pl.all_horizontal(pl.col(c) == "" for c in wanted) & ~pl.col("broken")
        flags = batch.select(blank.alias("blank"), "broken")
        blanks, broke = int(flags["blank"].sum()), int(flags["broken"].sum())
        result.blank, result.broken = result.blank + blanks, result.broken + broke
        if blanks or broke:  # a filter copies the batch: only when a row is left out
            batch = batch.filter(~flags["blank"] & ~flags["broken"])
        prepared, found = how.prepare(how.canonical(batch))
        kept.append(prepared)
        result.found += found
    result.frame = pl.concat(kept, how="vertical") if kept else how.prepare(how.canonical(_empty(wanted)))[0]
    return result


def _empty(names: list[str]) -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.UInt32, **dict.fromkeys(names, pl.String), "line": pl.Int64,
                                "broken": pl.Boolean})


def _count_in_values(frame: pl.DataFrame, columns: list[str], char: str) -> int:
    if not columns or frame.height == 0:
        return 0
    total = frame.select(pl.sum_horizontal(pl.col(c).str.count_matches(char, literal=True)
                                           for c in columns).sum())
    return int(total.item() or 0)


@dataclass(slots=True)
class _Scan:
    lines: list[int] = field(default_factory=list)  # first line of each data row
    broken: list[bool] = field(default_factory=list)
    problems: list[DossierProblem] = field(default_factory=list)


def _scan(path: Path, width: int, file: str) -> _Scan:
    """Python's csv module over the whole file, streamed: exact lines, field counts, bad bytes."""
    scan = _Scan()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        start = 2
        try:
            next(reader)  # the header, already read
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                if any("\x00" in value for value in row):
                    raise _Unreadable(_error(file, start, "DS-CSV",
                                             "tệp chứa ký tự NUL; đây không phải tệp CSV"))
                scan.lines.append(start)
                bad = bool(row) and len(row) != width
                scan.broken.append(bad)
                if bad:
                    scan.problems.append(_error(
                        file, start, "DS-CSV",
                        f"dòng có {len(row)} trường nhưng tiêu đề có {width} cột; hồ sơ của dòng này "
                        "không được kiểm tra"))
        except UnicodeDecodeError:
            line, byte = _bad_byte(path)
            raise _Unreadable(_error(file, line, "DS-CSV", f"byte 0x{byte:02x} không hợp lệ trong UTF-8; "
                                     "hãy xuất lại tệp dạng CSV UTF-8")) from None
        except csv.Error as exc:  # located where the broken row starts, not where the file ends
            raise _Unreadable(_error(file, start, "DS-CSV",
                                     f"lỗi cấu trúc CSV từ dòng này ({exc}); hãy kiểm tra dấu nháy kép"
                                     )) from None
    return scan


def _bad_byte(path: Path) -> tuple[int, int]:
    """Line and value of the first byte that is not UTF-8 (the decoder reads ahead of the rows)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, line[exc.start]
    return 1, 0


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
