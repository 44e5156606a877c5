"""CSV exports, one row per record, for spreadsheets.

UTF-8 with a byte order mark, so that Excel shows Vietnamese correctly; CRLF line ends;
Vietnamese headers and labels, as on the pages. Flattening rules (also on the "Dữ liệu mở" page):
lists are joined with " | "; a fee is "name: amount" (amount in đồng, an integer) with its note
in parentheses; a document is "name (bản chính: n, bản sao: n)"; a form, a file or a map is
"title: URL"; a legal basis is "number: title (date)"; a hotline "number: purpose (hours)";
channels get two columns per method (processing time, fees), online also its URL and level.
A cell that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from generator.model import Kind, Record
from generator.render import labels as L

JOIN = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Getter = Callable[[Record, dict[str, str]], str]
# Row context: "agency_name", "page_url", "source" of the record being written.
# The same rules in Vietnamese, for the "Dữ liệu mở" page.
RULES = (
    "Mã hóa UTF-8 có BOM (Excel mở đúng tiếng Việt), dòng đầu là tên cột, mỗi dòng sau là một hồ sơ.",
    "Danh sách được nối bằng « | »; văn bản nhiều dòng giữ nguyên xuống dòng trong ô.",
    "Phí, lệ phí ghi « tên: số tiền » (số tiền tính bằng đồng, là số nguyên), ghi chú trong ngoặc; "
    "« Không » là không thu phí, lệ phí.",
    "Cách thức thực hiện tách theo hình thức nộp (trực tiếp, trực tuyến, bưu chính): mỗi hình thức "
    "có cột thời hạn giải quyết và cột phí, lệ phí; trực tuyến có thêm địa chỉ nộp và mức độ.",
    "Thành phần hồ sơ ghi « tên (bản chính: n, bản sao: n) »; mẫu đơn, tệp đính kèm, bản đồ ghi "
    "« tên: đường dẫn »; căn cứ pháp lý ghi « số: tên (ngày) »; đường dây nóng ghi "
    "« số: nội dung (thời gian) ».",
    "Ngày viết YYYY-MM-DD. Giá trị liệt kê (cấp, tình trạng, loại văn bản) ghi bằng nhãn tiếng Việt "
    "như trên trang.",
    "Ô bắt đầu bằng =, +, -, @ hoặc ký tự tab, xuống dòng được thêm dấu nháy đơn (') ở đầu để bảng "
    "tính không coi là công thức; khi xử lý dữ liệu, hãy bỏ dấu nháy này.",
)


def neutralise(cell: str) -> str:
    """A cell that a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _plain(value: Any) -> str:
    """One value as cell text: numbers as written, booleans as Có/Không, text unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def _field(key: str) -> Getter:
    return lambda rec, _: _plain(rec.data.get(key))


def _label(key: str, table: dict[str, str]) -> Getter:
    return lambda rec, _: L.label(table, rec.data.get(key)) if rec.data.get(key) is not None else ""


def _nested(key: str, sub: str) -> Getter:
    def get(rec: Record, _: dict[str, str]) -> str:
        value = rec.data.get(key)
        return _plain(value.get(sub)) if isinstance(value, dict) else ""

    return get


def _each(key: str, item: Callable[[Any], str]) -> Getter:
    def get(rec: Record, _: dict[str, str]) -> str:
        value = rec.data.get(key)
        if not isinstance(value, list):
            return _plain(value)
        return JOIN.join(text for text in map(item, value) if text)

    return get


def _context(key: str) -> Getter:
    return lambda _, row: row[key]


def _note(text: str, note: Any) -> str:
    return f"{text} ({_plain(note)})" if note else text


def _titled(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    title, url = _plain(item.get("title")), _plain(item.get("url"))
    return f"{title}: {url}" if title and url else title or url


def _document(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    text = (
        f"{_plain(item.get('name'))} (bản chính: {_plain(item.get('originals'))}, "
        f"bản sao: {_plain(item.get('copies'))})"
    )
    return _note(text, item.get("note"))


def _form(item: Any) -> str:
    return _titled(item.get("form")) if isinstance(item, dict) and isinstance(item.get("form"), dict) else ""


def _legal(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    text = f"{_plain(item.get('number'))}: {_plain(item.get('title'))}"
    return f"{text} ({_plain(item.get('date'))})" if item.get("date") else text


def _hotline(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    return _note(f"{_plain(item.get('number'))}: {_plain(item.get('purpose'))}", item.get("hours"))


def _person(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    parts = (item.get("name"), item.get("title"), item.get("field"), item.get("phone"))
    return " – ".join(_plain(p) for p in parts if p)


def fees(value: Any) -> str:
    """A channel's fees as "name: amount (note)" joined; "Không" stays "Không"."""
    if not isinstance(value, list):
        return _plain(value)
    return JOIN.join(
        _note(f"{_plain(f.get('name'))}: {_plain(f.get('amount'))}", f.get("note"))
        for f in value
        if isinstance(f, dict)
    )


def _time(value: Any) -> str:
    if not isinstance(value, dict):
        return _plain(value)
    return _note(L.duration(value.get("value"), value.get("unit")), value.get("note"))


def _channel(method: str, part: str) -> Getter:
    """One column of the channels of `method`: "time", "fees", "url" or "level"."""

    def cell(channel: dict[str, Any]) -> str:
        if part == "time":
            return _time(channel.get("processing_time"))
        if part == "fees":
            return fees(channel.get("fees"))
        if part == "level":
            return (
                L.label(L.ONLINE_LEVELS, channel.get("online_level")) if channel.get("online_level") else ""
            )
        return _plain(channel.get("url"))

    def get(rec: Record, _: dict[str, str]) -> str:
        channels = [
            c for c in rec.data.get("channels") or [] if isinstance(c, dict) and c.get("method") == method
        ]
        return JOIN.join(text for text in map(cell, channels) if text)

    return get


def _channel_columns() -> list[tuple[str, Getter]]:
    out: list[tuple[str, Getter]] = []
    for method, name in L.METHODS.items():
        if method == "online":
            out += [
                (f"{name} – địa chỉ nộp", _channel(method, "url")),
                (f"{name} – mức độ", _channel(method, "level")),
            ]
        out += [
            (f"{name} – thời hạn giải quyết", _channel(method, "time")),
            (f"{name} – phí, lệ phí", _channel(method, "fees")),
        ]
    return out


_TAIL: list[tuple[str, Getter]] = [
    ("Ngày cập nhật", _field("updated")),
    ("Trang trên cổng", _context("page_url")),
    ("Tệp dữ liệu gốc", _context("source")),
]

COLUMNS: dict[Kind, list[tuple[str, Getter]]] = {
    "procedure": [
        ("Mã thủ tục", _field("code")),
        ("Tên thủ tục", _field("name")),
        ("Mã cơ quan", _field("agency")),
        ("Cơ quan thực hiện", _context("agency_name")),
        ("Cơ quan có thẩm quyền quyết định", _field("competent_authority")),
        ("Cấp thực hiện", _label("level", L.LEVELS)),
        ("Lĩnh vực", _field("field")),
        ("Quyết định công bố", _nested("announcement", "decision")),
        ("Ngày quyết định công bố", _nested("announcement", "date")),
        ("Đối tượng thực hiện", _each("applicants", _plain)),
        ("Trình tự thực hiện", _each("steps", _plain)),
        *_channel_columns(),
        ("Thành phần hồ sơ", _each("documents", _document)),
        ("Mẫu đơn, tờ khai", _each("documents", _form)),
        ("Số bộ hồ sơ", _field("dossier_sets")),
        ("Kết quả thực hiện", _field("result")),
        ("Yêu cầu, điều kiện", _field("requirements")),
        ("Căn cứ pháp lý", _each("legal_basis", _legal)),
        ("Địa điểm tiếp nhận và trả kết quả", _field("location")),
        ("Tình trạng", _label("status", L.PROCEDURE_STATUS)),
        *_TAIL,
    ],
    "plan": [
        ("Mã văn bản", _field("id")),
        ("Loại văn bản", _label("kind", L.PLAN_KINDS)),
        ("Tên văn bản", _field("title")),
        ("Số, ký hiệu", _field("number")),
        ("Cơ quan ban hành, phê duyệt", _field("issuer")),
        ("Mã cơ quan", _field("agency")),
        ("Cơ quan công khai", _context("agency_name")),
        ("Ngày ban hành", _field("issued")),
        ("Ngày công khai", _field("published")),
        ("Ngày hiệu lực", _field("effective")),
        ("Ngày hết hiệu lực", _field("expires")),
        ("Tình trạng", _label("status", L.PLAN_STATUS)),
        ("Trích yếu", _field("summary")),
        ("Liên quan đến sản xuất, kinh doanh", _field("business_related")),
        ("Văn bản, tệp đính kèm", _each("documents", _titled)),
        ("Sơ đồ, bản đồ", _each("maps", _titled)),
        ("Phương thức, kết quả thực hiện", _field("implementation")),
        ("Hình thức công khai", _each("disclosure", lambda d: L.label(L.DISCLOSURE, d))),
        *_TAIL,
    ],
    "agency": [
        ("Mã cơ quan", _field("id")),
        ("Tên cơ quan", _field("name")),
        ("Cấp", _label("level", L.LEVELS)),
        ("Cơ quan chủ quản", _field("parent")),
        ("Mã định danh", _field("code")),
        ("Địa chỉ trụ sở", _field("address")),
        ("Địa chỉ thư tín", _field("postal_address")),
        ("Đường dây nóng", _each("hotlines", _hotline)),
        ("Thư điện tử", _field("email")),
        ("Trang thông tin điện tử", _field("website")),
        ("Thời gian làm việc", _field("office_hours")),
        ("Trưởng Bộ phận Một cửa", lambda rec, _: _person((rec.data.get("one_stop") or {}).get("head"))),
        (
            "Cán bộ Bộ phận Một cửa",
            lambda rec, _: JOIN.join(map(_person, (rec.data.get("one_stop") or {}).get("officers") or [])),
        ),
        *_TAIL,
    ],
}


def headers(kind: Kind) -> list[str]:
    return [header for header, _ in COLUMNS[kind]]


def csv_writer(kind: Kind, stream: TextIO) -> Callable[[Record, dict[str, str]], None]:
    """Write a byte order mark and the header row of `kind` to `stream` (UTF-8, newline="");
    return the function that writes one record's row, given its row context."""
    stream.write("\ufeff")  # the byte order mark: Excel then reads the file as UTF-8
    writer = csv.writer(stream, lineterminator="\r\n")
    columns = COLUMNS[kind]
    writer.writerow(header for header, _ in columns)

    def row(rec: Record, context: dict[str, str]) -> None:
        writer.writerow(neutralise(get(rec, context)) for _, get in columns)

    return row
