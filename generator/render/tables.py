"""CSV exports, one row per record, for spreadsheets.

UTF-8 with a byte order mark, so that Excel shows Vietnamese correctly; CRLF line ends;
Vietnamese headers and labels, as on the pages. Flattening rules (also on the "Dữ liệu mở" page):
lists are joined with " | "; a fee is "name: amount" (amount in đồng, an integer) with its note
in parentheses; a document is "name (bản chính: n, bản sao: n)"; a form, a file or a map is
"title: URL"; a legal basis is "number: title (date)"; a hotline "number: purpose (hours)";
channels get two columns per method (processing time, fees), online also its URL and level.
Which parts a cell holds (which fees, documents, hotlines) comes from the prepared views
(prepare/views.py), their values as written. A cell that starts with =, +, -, @, a tab or a
carriage return gets a leading apostrophe, so that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from generator.labels import METHODS
from generator.model import Kind
from generator.prepare.format import plain
from generator.prepare.places import PlaceView
from generator.prepare.views import (
    AgencyView,
    Duration,
    Fees,
    Person,
    PlanView,
    ProcedureView,
    RecordView,
)

JOIN = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Getter = Callable[[Any, str], str]  # (the record's view, its page's URL) -> the cell
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
    "Thủ tục trong danh mục công bố của tỉnh: cột « Nơi thực hiện » ghi mỗi nơi « mã cơ quan: tên cơ "
    "quan – nơi tiếp nhận (giờ tiếp nhận) – thời hạn rút ngắn tại nơi đó – địa chỉ nộp trực tuyến ».",
    "Ngày viết YYYY-MM-DD. Giá trị liệt kê (cấp, tình trạng, loại văn bản) ghi bằng nhãn tiếng Việt "
    "như trên trang.",
    "Ô bắt đầu bằng =, +, -, @ hoặc ký tự tab, xuống dòng được thêm dấu nháy đơn (') ở đầu để bảng "
    "tính không coi là công thức; khi xử lý dữ liệu, hãy bỏ dấu nháy này.",
)


def neutralise(cell: str) -> str:
    """A cell that a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _field(key: str) -> Getter:
    """A value as written in the record."""
    return lambda view, _: plain(view.record.data.get(key))


def _nested(key: str, sub: str) -> Getter:
    def get(view: RecordView, _: str) -> str:
        value = view.record.data.get(key)
        return plain(value.get(sub)) if isinstance(value, dict) else ""

    return get


def _written(key: str) -> Getter:
    """A list as written in the record, its items joined."""
    def get(view: RecordView, _: str) -> str:
        value = view.record.data.get(key)
        return _joined(map(plain, value)) if isinstance(value, list) else plain(value)

    return get


def _joined(items: Iterable[str]) -> str:
    return JOIN.join(item for item in items if item)


def _note(text: str, note: str) -> str:
    return f"{text} ({note})" if note else text


def fees(value: Fees) -> str:
    """A channel's fees as "name: amount (note)" joined; "Không" stays "Không"."""
    if not value.lines:
        return value.written
    return JOIN.join(_note(f"{fee.written('name')}: {fee.written('amount')}", fee.written("note"))
                     for fee in value.lines)


def _time(time: Duration) -> str:
    return _note(time.text, time.written("note")) if isinstance(time.data, dict) else plain(time.data)


def _channel(method: str, part: str) -> Getter:
    """One column of the channels of `method`: "time", "fees", "url" or "level"."""

    def get(view: ProcedureView, _: str) -> str:
        channels = [c for c in view.channels if c.method == method]
        if part == "time":
            return _joined(_time(c.time) for c in channels)
        if part == "fees":
            return _joined(fees(c.fees) for c in channels)
        if part == "level":
            return _joined(c.online_level for c in channels)
        return _joined(c.url.url if c.url else "" for c in channels)

    return get


def _channel_columns() -> list[tuple[str, Getter]]:
    out: list[tuple[str, Getter]] = []
    for method, name in METHODS.items():
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


def _documents(view: ProcedureView, _: str) -> str:
    return _joined(_note(f"{d.written('name')} (bản chính: {d.written('originals')}, "
                         f"bản sao: {d.written('copies')})", d.written("note")) for d in view.documents)


def _forms(view: ProcedureView, _: str) -> str:
    return _joined(d.form.titled() if d.form else "" for d in view.documents)


def _legal_basis(view: ProcedureView, _: str) -> str:
    return _joined(_note(f"{b.written('number')}: {b.written('title')}", b.written("date"))
                   for b in view.legal_basis)


def _hotlines(view: AgencyView, _: str) -> str:
    return _joined(_note(f"{h.written('number')}: {h.written('purpose')}", h.written("hours"))
                   for h in view.hotlines)


def _person(person: Person) -> str:
    return " – ".join(part for part in map(person.written, ("name", "title", "field", "phone")) if part)


def _staff(head: bool) -> Getter:
    def get(view: AgencyView, _: str) -> str:
        return _joined(_person(p) for p in view.staff if bool(p.role) is head)

    return get


def _links(key: str) -> Getter:
    def get(view: PlanView, _: str) -> str:
        return _joined(link.titled() for link in getattr(view, key))

    return get


_TAIL: list[tuple[str, Getter]] = [
    ("Ngày cập nhật", _field("updated")),
    ("Trang trên cổng", lambda _, page_url: page_url),
    ("Tệp dữ liệu gốc", lambda view, _: view.path),
]

COLUMNS: dict[Kind, list[tuple[str, Getter]]] = {
    "procedure": [
        ("Mã thủ tục", _field("code")),
        ("Tên thủ tục", _field("name")),
        ("Mã cơ quan", _field("agency")),
        ("Cơ quan thực hiện", lambda view, _: view.agency_name),
        ("Cơ quan có thẩm quyền quyết định", _field("competent_authority")),
        ("Cấp thực hiện", lambda view, _: view.level_label),
        ("Lĩnh vực", _field("field")),
        ("Quyết định công bố", _nested("announcement", "decision")),
        ("Ngày quyết định công bố", _nested("announcement", "date")),
        ("Đối tượng thực hiện", _written("applicants")),
        ("Trình tự thực hiện", _written("steps")),
        *_channel_columns(),
        ("Thành phần hồ sơ", _documents),
        ("Mẫu đơn, tờ khai", _forms),
        ("Số bộ hồ sơ", _field("dossier_sets")),
        ("Kết quả thực hiện", _field("result")),
        ("Yêu cầu, điều kiện", _field("requirements")),
        ("Căn cứ pháp lý", _legal_basis),
        ("Địa điểm tiếp nhận và trả kết quả", _field("location")),
        ("Tình trạng", lambda view, _: view.status_label),
        *_TAIL,
    ],
    "plan": [
        ("Mã văn bản", _field("id")),
        ("Loại văn bản", lambda view, _: view.kind_label),
        ("Tên văn bản", _field("title")),
        ("Số, ký hiệu", _field("number")),
        ("Cơ quan ban hành, phê duyệt", _field("issuer")),
        ("Mã cơ quan", _field("agency")),
        ("Cơ quan công khai", lambda view, _: view.agency_name),
        ("Ngày ban hành", _field("issued")),
        ("Ngày công khai", _field("published")),
        ("Ngày hiệu lực", _field("effective")),
        ("Ngày hết hiệu lực", _field("expires")),
        ("Tình trạng", lambda view, _: view.status_label),
        ("Trích yếu", _field("summary")),
        ("Liên quan đến sản xuất, kinh doanh", _field("business_related")),
        ("Văn bản, tệp đính kèm", _links("documents")),
        ("Sơ đồ, bản đồ", _links("maps")),
        ("Phương thức, kết quả thực hiện", _field("implementation")),
        ("Hình thức công khai", lambda view, _: _joined(view.disclosure)),
        *_TAIL,
    ],
    "agency": [
        ("Mã cơ quan", _field("id")),
        ("Tên cơ quan", _field("name")),
        ("Cấp", lambda view, _: view.level_label),
        ("Cơ quan chủ quản", _field("parent")),
        ("Mã định danh", _field("code")),
        ("Địa chỉ trụ sở", _field("address")),
        ("Địa chỉ thư tín", _field("postal_address")),
        ("Đường dây nóng", _hotlines),
        ("Thư điện tử", _field("email")),
        ("Trang thông tin điện tử", _field("website")),
        ("Thời gian làm việc", _field("office_hours")),
        ("Trưởng Bộ phận Một cửa", _staff(head=True)),
        ("Cán bộ Bộ phận Một cửa", _staff(head=False)),
        *_TAIL,
    ],
}


def _place(place: PlaceView) -> str:
    """A place of a catalogue procedure: "agency id: name – counter (hours) – shortened times –
    online URL"."""
    at = place.place
    times = [f"{t.method}: {t.time}" for t in place.local_times]
    parts = [f"{place.agency}: {place.agency_name}", _note(at.location, at.hours), *times,
             place.online.url if place.online else ""]
    return " – ".join(part for part in parts if part)


def _catalogue_columns() -> list[tuple[str, Getter]]:
    """A catalogue procedure's columns: a procedure's, without one agency's (its places instead)."""
    agency_only = {"Mã cơ quan", "Cơ quan thực hiện", "Địa điểm tiếp nhận và trả kết quả"}
    columns = [column for column in COLUMNS["procedure"] if column[0] not in agency_only]
    at = next(i for i, (header, _) in enumerate(columns) if header == "Tình trạng")
    columns[at:at] = [
        ("Nơi thực hiện", lambda view, _: _joined(_place(p) for p in view.places)),
        ("Cơ quan thực hiện theo Cơ sở dữ liệu quốc gia", _written("agency_names")),
        ("Trang thủ tục trên Cổng Dịch vụ công quốc gia", _field("source_url")),
    ]
    return columns


COLUMNS["catalogue"] = _catalogue_columns()


def headers(kind: Kind) -> list[str]:
    return [header for header, _ in COLUMNS[kind]]


def csv_writer(kind: Kind, stream: TextIO) -> Callable[[RecordView, str], None]:
    """Write a byte order mark and the header row of `kind` to `stream` (UTF-8, newline="");
    return the function that writes one record's row, given its view and its page's URL."""
    stream.write("\ufeff")  # the byte order mark: Excel then reads the file as UTF-8
    writer = csv.writer(stream, lineterminator="\r\n")
    columns = COLUMNS[kind]
    writer.writerow(header for header, _ in columns)

    def row(view: RecordView, page_url: str) -> None:
        writer.writerow(neutralise(get(view, page_url)) for _, get in columns)

    return row
