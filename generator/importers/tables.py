"""Pure parsers for the flattened tables of the national public service portal.

The portal's pages were scraped as text: every HTML table lost its cell boundaries, so a row
such as (method, time, fee, description) reads `Trực tiếp5 Ngày làm việcMiễn phíNộp tại...`.
Each parser here takes one source string and returns a `Parsed` value:

* `value`: what could be read into our contract's shape (None when the source has nothing);
* `leftovers`: source text, verbatim, that has no place in that shape (it goes to the record's
  `note` field, so nothing is dropped);
* `warnings`: where a boundary had to be guessed (kept out of the record, counted in the report).

The parsers never raise on odd input: odd input is what leftovers are for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from generator.legal import is_placeholder
from generator.textnorm import fold

PLACEHOLDER = "Không có thông tin"

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"

METHODS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
UNITS = {"ngày làm việc": "working_days", "ngày": "days", "giờ": "hours", "tháng": "months"}
FEE_NAME = "Phí, lệ phí"

# Lower-case Vietnamese letters: the only way to tell "CP" + "Nghị định" apart in "NĐ-CPNghị".
_LOWER_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_LOWER = "a-z" + _LOWER_MARKED
_UPPER = "A-Z" + _LOWER_MARKED.upper()
_UPPER_RUN = rf"(?:[A-ZĐ&](?![{_LOWER}]))+"


@dataclass(frozen=True, slots=True)
class Leftover:
    """Source text kept verbatim in the record's note, under a Vietnamese label."""

    label: str
    text: str


@dataclass(slots=True)
class Parsed:
    value: Any = None
    leftovers: list[Leftover] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.leftovers or self.warnings)


# --- text ------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b-\u200f\ufeff]")


def clean_fast(text: str) -> str:
    """The loader's normalisation (generator.textnorm.clean), without a per-character table."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text).replace("\xa0", " ")
    return unicodedata.normalize("NFC", text)


def normalise(text: str) -> str:
    """NFC, invisible characters out, NBSP to space, Windows line ends, trailing blanks out."""
    text = clean_fast(text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def one_line(text: str) -> str:
    """A short field (name, title): runs of whitespace become one space."""
    return " ".join(normalise(text).split())


def is_missing(text: str) -> bool:
    """Empty, or a placeholder ("Không có thông tin", "...", the registry's list): no value."""
    return not text.strip() or is_placeholder(text.strip())


def balanced_parenthesis(text: str, start: int) -> int:
    """Index just past the ')' closing the '(' at `start`, or len(text) when it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on `separator` outside parentheses: "A (b, c), D" -> ["A (b, c)", "D"]."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == separator and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


# --- submission methods (cách thức thực hiện) -------------------------------------------------

# A row starts with its method glued to the time: a digit or a capital ("Không có thông tin",
# "Không quy định"); the same words inside a description are followed by a space or ':'.
_ROW = re.compile(rf"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[\d{_UPPER}])")
_TIME = re.compile(rf"(?P<value>\d+(?:[.,]\d{{1,2}}(?!\d))?)"  # "1,5 Ngày"; "1,000" is not a time
                   rf"(?:\s?(?P<unit>(?i:ngày làm việc|ngày|giờ|tháng))(?![{_LOWER}]))?")
_CURRENCY = r"Việt Nam Đồng|VNĐ|VND|đồng|Đồng|USD"
_FEE = re.compile(rf"Miễn phí|{PLACEHOLDER}|(?P<amount>\d+(?:[.,]\d{{3}})*)\s*(?P<currency>{_CURRENCY})")
_ENUMERATION = re.compile(r"\(\w{1,3}\)")  # "(1) Trường hợp…" starts the description
# A remark that only repeats "none" ("Miễn phí (Không)") says nothing the value does not.
_SAME_AS_NONE = {"khong", "khong co", "mien phi"}
_AMOUNT_FIRST = re.compile(rf"\d+(?:[.,]\d{{3}})*\s*(?:{_CURRENCY})")


def parse_channels(text: str, url: str | None = None) -> Parsed:
    """The submission methods table: one channel per row.

    `url` is given to online channels (the caller passes the procedure page when it is https).
    """
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed(value=[])
    body = text[len(CHANNEL_HEADER):] if text.startswith(CHANNEL_HEADER) else text
    if not text.startswith(CHANNEL_HEADER):
        result.warnings.append("bảng cách thức thực hiện không có dòng tiêu đề")
    parts = _ROW.split(body)
    if parts[0].strip():
        result.leftovers.append(Leftover("Cách thức thực hiện", parts[0].strip()))
    for i in range(1, len(parts), 2):
        channel = _parse_row(parts[i], parts[i + 1], url, result)
        result.value.append(channel)
    if not result.value:
        result.value = None
    return result


def _parse_row(method_text: str, row: str, url: str | None, result: Parsed) -> dict[str, Any]:
    method = METHODS[method_text]
    label = method_text
    channel: dict[str, Any] = {"method": method}
    if method == "online":
        if url:
            channel["url"] = url
        level = _online_level(row)
        if level:
            channel["online_level"] = level
    rest = row
    time: dict[str, Any] | None = None
    m = _TIME.match(rest)
    if rest.startswith(PLACEHOLDER):
        rest = rest[len(PLACEHOLDER):]
    elif m and m.group("unit") is None and _AMOUNT_FIRST.match(rest):
        # Digits glued to an amount ("120,000 VNĐ": 1 day and 20,000 đồng, or no time and
        # 120,000 đồng?): not guessed, the row is kept as written.
        result.leftovers.append(Leftover(f"Cách thức thực hiện ({label})", row.strip()))
        return channel
    elif m:
        time = {"value": _number(m.group("value"))}
        if m.group("unit"):
            time["unit"] = UNITS[m.group("unit").lower()]
        rest = rest[m.end():]
    else:
        # A time in words ("Không quy định"): kept as written, up to the fee.
        fee_at = _FEE.search(rest)
        end = fee_at.start() if fee_at else len(rest)
        result.leftovers.append(Leftover(f"Thời hạn giải quyết ({label})", rest[:end].strip()))
        rest = rest[end:]
    fee_match = _FEE.match(rest)
    fees: Any = None
    if fee_match is None:
        if rest.strip():
            result.leftovers.append(Leftover(f"Phí, lệ phí và mô tả ({label})", rest.strip()))
        rest = ""
    else:
        remark = ""
        after = fee_match.end()
        if after < len(rest) and rest[after] == "(" and not _ENUMERATION.match(rest, after):
            close = balanced_parenthesis(rest, after)
            remark = rest[after + 1:close - 1 if rest[close - 1] == ")" else close].strip()
            after = close
        fees = _fees(fee_match, remark, label, result)
        rest = rest[after:]
    description = rest.strip()
    if description and not is_missing(description):
        if time is not None:
            time["note"] = description
        else:
            result.leftovers.append(Leftover(f"Mô tả cách thức ({label})", description))
    if time is not None:
        channel["processing_time"] = time
    if fees is not None:
        channel["fees"] = fees
    return channel


def _fees(m: re.Match[str], remark: str, label: str, result: Parsed) -> Any:
    token = m.group(0)
    if token == PLACEHOLDER:
        if remark:
            result.leftovers.append(Leftover(f"Phí, lệ phí ({label})", f"({remark})"))
        return None
    if token == "Miễn phí":
        if remark and not is_missing(remark) and fold(remark).strip(" .") not in _SAME_AS_NONE:
            # "Free" with a remark that often lists fees: the remark cannot go into "Không".
            result.leftovers.append(Leftover(f"Phí, lệ phí ({label})", f"Miễn phí ({remark})"))
        return "Không"
    fee: dict[str, Any] = {"name": FEE_NAME}
    if m.group("currency") == "USD":
        fee["note"] = f"{token} ({remark})" if remark else token
        result.warnings.append("phí ghi bằng USD, không có số tiền VNĐ")
        return [fee]
    fee["amount"] = int(re.sub(r"[.,]", "", m.group("amount")))
    if remark:
        fee["note"] = remark
    return [fee]


def _online_level(row: str) -> str | None:
    folded = fold(row)
    full, partial = "toan trinh" in folded, "mot phan" in folded
    if full != partial:
        return "full" if full else "partial"
    return None


# --- dossier documents (thành phần hồ sơ) -----------------------------------------------------

_COUNT = re.compile(r"(?<!\d)(?P<originals>\d+) bản chính(?:,\s?(?P<copies>\d+) bản sao)?"
                    r"|(?<!\d)(?P<copies_only>\d+) bản sao")
_BULLET = re.compile(r"^(?:[-+*•\uf0a7\uf0b7\uf0d8\uf0fc]+\s*)+")
_FORM_EXT = re.compile(r"\.(?i:docx?|pdf|xlsx?|rar|zip)(?![a-z])")  # "…docMau…": the next file
_DOSSIER_SETS = re.compile(r"^Số lượng hồ sơ\s*:\s*0*(\d+)\s*\(?\s*(?:\(\w+\)\s*)?bộ\s*\)?\s*\.?$")


def parse_documents(text: str) -> Parsed:
    """The dossier table; `value` is {"documents": [...], "dossier_sets": int | None}.

    Each item ends with its count (`1 bản chính`, `0 bản chính,1 bản sao`, `2 bản sao`); a
    section title such as `* Giấy tờ phải nộp:` precedes each table header and becomes the note
    of the documents under it; form file names (`Mẫu 01.docx`) are split off the name into the
    note too (the portal gives no download address, so they cannot be a `form`).
    """
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed()
    documents: list[dict[str, Any]] = []
    dossier_sets: int | None = None
    segments = text.split(DOCUMENT_HEADER)
    if len(segments) == 1:
        result.leftovers.append(Leftover("Thành phần hồ sơ", text))
        return result
    title = _section_title(segments[0])
    for index, segment in enumerate(segments[1:], start=1):
        items, trailing = _split_items(segment, result)
        for name_text, originals, copies in items:
            sets = _dossier_sets(name_text)
            if sets is not None and dossier_sets is None:
                dossier_sets = sets
                continue
            documents.append(_document(name_text, originals, copies, title, result))
        if index < len(segments) - 1:
            title = _section_title(trailing)
        elif trailing.strip():
            result.leftovers.append(Leftover("Thành phần hồ sơ", trailing.strip()))
    result.value = {"documents": documents or None, "dossier_sets": dossier_sets}
    return result


def _section_title(text: str) -> str:
    title = text.strip()
    return "" if title.strip("-– ") == "" else title


def _split_items(segment: str, result: Parsed) -> tuple[list[tuple[str, int, int]], str]:
    """(name, originals, copies) for each item of one table, and the text after the last one."""
    items: list[tuple[str, int, int]] = []
    start = 0
    for m in _COUNT.finditer(segment):
        if not _is_item_end(segment, m):
            continue
        name = segment[start:m.start()]
        first = m.group("originals") or m.group("copies_only")
        before = segment[m.start() - 1] if m.start() else " "
        if len(first) > 2 or (len(first) == 2 and first[0] != "0" and before.isalnum()):
            # "…ngày 01/01/20261 bản chính", "ảnh 4x62 bản sao": the name's last digits and the
            # count share one run; counts are small, so the last digit is the count and the rest
            # stays in the name (a two-digit count is written "01" or after a space).
            name += first[:-1]
            first = first[-1]
            result.warnings.append("số lượng bản dính liền với chữ số cuối tên giấy tờ")
        if m.group("originals") is not None:
            originals, copies = int(first), int(m.group("copies") or 0)
        else:
            originals, copies = 0, int(first)
        items.append((name, originals, copies))
        start = m.end()
    return items, segment[start:]


def _is_item_end(text: str, m: re.Match[str]) -> bool:
    """A count closes an item unless it is quoted inside a name ("(01 bản chính)", "… 01 bản
    chính văn bản")."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if before == "(" or after in (" ", ")"):
        return False
    return not (before == " " and after == ";")


def _dossier_sets(name: str) -> int | None:
    m = _DOSSIER_SETS.match(_BULLET.sub("", name.strip()))
    return int(m.group(1)) if m else None


def _document(name_text: str, originals: int, copies: int, title: str, result: Parsed) -> dict[str, Any]:
    name, forms = split_form_names(name_text.strip())
    name = one_line(_BULLET.sub("", name))
    document: dict[str, Any] = {}
    if name:
        document["name"] = name
    else:
        result.warnings.append("giấy tờ không có tên")
    document["originals"] = originals
    document["copies"] = copies
    notes = []
    if title:
        notes.append(f"Nhóm giấy tờ: {one_line(title)}")
    if forms:
        notes.append(f"Mẫu đơn, tờ khai: {'; '.join(forms)}")
    if notes:
        document["note"] = "\n".join(notes)
    if _glued(name):
        result.warnings.append("tên giấy tờ có chỗ hai ô bảng dính liền")
    return document


def split_form_names(text: str) -> tuple[str, list[str]]:
    """Split trailing form file names off a document name.

    "Đơn đề nghị theo Mẫu 01;Mẫu 01.docx" -> ("Đơn đề nghị theo Mẫu 01;", ["Mẫu 01.docx"]).
    The name cell and the form cell were glued together, so the boundary is guessed: the last
    place before the first file extension where a ';' ends, a capital letter follows a
    lower-case letter, '.' or ')' without a space, or an instrument number ends. Without one
    the text is left whole.
    """
    if not any(m.end() == len(text) for m in _FORM_EXT.finditer(text)):
        return text, []
    first_ext = _FORM_EXT.search(text)
    assert first_ext is not None
    boundary = _form_boundary(text[:first_ext.start()])
    if boundary is None:
        return text, []
    files = _FORM_FILE.findall(text, boundary)
    return text[:boundary], [f.strip() for f in files if f.strip()]


_FORM_FILE = re.compile(r".+?" + _FORM_EXT.pattern)


def _form_boundary(head: str) -> int | None:
    candidates = [i for i in range(1, len(head)) if _is_form_boundary(head, i)]
    candidates += [m.end() for m in _INSTRUMENT.finditer(head)
                   if m.end() < len(head) and head[m.end()].isupper()]
    return max(candidates, default=None)


def _is_form_boundary(text: str, i: int) -> bool:
    before, here = text[i - 1], text[i]
    if before == ";":
        return True
    if not here.isupper():
        return False
    if before == ".":
        return i >= 2 and not text[i - 2].isdigit()
    return before == ")" or before.islower()


def _glued(text: str) -> bool:
    """A lower-case letter directly followed by a capital: two table cells read as one."""
    return re.search(rf"[{_LOWER}](?=[A-ZĐ][{_LOWER}])", text) is not None


# --- legal basis (căn cứ pháp lý) --------------------------------------------------------------

_QH = rf"(?:[A-ZĐ](?![{_LOWER}]))*QH\d{{2}}"
_INSTRUMENT = re.compile(
    rf"(?<!/)\d+(?:\.\d+)?[a-z]?(?:/\d{{4}})?/(?:{_QH}|{_UPPER_RUN})(?:[-/]\s?(?:TTg|{_QH}|{_UPPER_RUN}))*")
# What the number column may say before the number: "Luật số 32/2024/QH15", "Số 73/2025/TT-NHNN".
_KINDS = r"(?:Luật|Nghị định|Thông tư(?: liên tịch)?|Quyết định|Nghị quyết|Pháp lệnh|Văn bản hợp nhất)"
_KIND_PREFIX = re.compile(rf"(?:(?<=[{_LOWER})\d]){_KINDS}?\s*(?:[Ss]ố)?|^\s*[Ss]ố)\s*$")
_PREFIX_ONLY = re.compile(rf"^\s*{_KINDS}?\s*(?:[Ss]ố)?\s*$")
_YEAR_GLUE = re.compile(r"^(?:19|20)\d\d(?=\d)")
_ONSETS = {"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"}


def instrument_numbers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each legal instrument number in `text`.

    The regex stops before a capital that starts a word ("NĐ-CPNghị định"); when the lower-case
    letters after that capital cannot start a Vietnamese word ("TT-NHNNsố"), the capital is
    the number's last letter after all.
    """
    spans: list[tuple[int, int]] = []
    for m in _INSTRUMENT.finditer(text):
        start, end = m.span()
        if end < len(text) and text[end] in _ASCII_UPPER and not _starts_word(text[end:end + 2]):
            end += 1
        if spans and spans[-1][1] == start:
            previous = text[spans[-1][0]:spans[-1][1]]
            if end - start > len(previous) and text[start:end].startswith(previous):
                # "…TT-BCA22/2023/TT-BCAQUY ĐỊNH…": the repeated number ends where the first
                # one did; the capitals after it start the next (upper-case) title.
                end = start + len(previous)
        spans.append((start, end))
    return spans


_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")


def _starts_word(pair: str) -> bool:
    if len(pair) < 2 or not pair[1].islower():
        return True
    return fold(pair[1]) in "aeiouy" or fold(pair).lower() in _ONSETS


def parse_legal_basis(text: str) -> Parsed:
    """The legal basis table: [{"number", "title"}], the number being the last column.

    A row ends with an instrument number (`60/2014/QH13`) directly followed by the next title
    or the end of the text; numbers quoted inside a title are followed by a space or
    punctuation, or directly by the same number again (the title ends with it).
    """
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed()
    if LEGAL_HEADER not in text:
        result.leftovers.append(Leftover("Căn cứ pháp lý", text))
        return result
    before, body = text.split(LEGAL_HEADER, 1)
    if before.strip():
        result.leftovers.append(Leftover("Căn cứ pháp lý", before.strip()))
    raw_rows: list[tuple[str, str]] = []
    start = 0
    spans = instrument_numbers(body)
    for i, (s, e) in enumerate(spans):
        if _is_row_end(body, spans, i):
            raw_rows.append((body[start:s], body[s:e]))
            start = e
    trailing = body[start:].strip()
    rows = _legal_rows(raw_rows, result)
    if trailing and rows and "title" not in rows[-1] and len(rows) == 1:
        # "06/2007/QH12Luật Hóa chất": the two columns were written the other way round.
        rows[-1]["title"] = one_line(trailing)
        result.warnings.append("tên và số hiệu văn bản ghi đảo cột")
    elif trailing:
        result.leftovers.append(Leftover("Căn cứ pháp lý", trailing))
    if any("title" not in row for row in rows):
        result.warnings.append("có văn bản chỉ có số hiệu, không có tên")
    result.value = rows or None
    return result


def _is_row_end(body: str, spans: list[tuple[int, int]], i: int) -> bool:
    start, end = spans[i]
    if end == len(body):
        return True
    nxt = spans[i + 1] if i + 1 < len(spans) else None
    if nxt is not None and nxt[0] == end:
        if body[nxt[0]:nxt[1]] == body[start:end]:
            return False  # "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP": the title ends with its number
        after = spans[i + 2] if i + 2 < len(spans) else None
        # A different number glued on ends this row only when it is itself a bare-number title
        # repeated by its own number column ("…NĐ-CP44/2026/NĐ-CP44/2026/NĐ-CP", "…số 44/…").
        return (after is not None and body[after[0]:after[1]] == body[nxt[0]:nxt[1]]
                and _PREFIX_ONLY.match(body[nxt[1]:after[0]]) is not None)
    if _DATE_AFTER.match(body, end):
        return False  # "…/TT-BCAngày 01/7/2025 của…": a missing space inside the title
    return not (body[end].isspace() or body[end] in ",;:.)]”\"'")


_DATE_AFTER = re.compile(r"ngày\s*\d")


def _legal_rows(raw_rows: list[tuple[str, str]], result: Parsed) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for title_text, number in raw_rows:
        glued_year = _YEAR_GLUE.match(number)
        if glued_year and title_text and not title_text[-1].isdigit():
            # "… năm 201102/2011/QH13": the title ends with a year glued to the number.
            title_text += glued_year.group(0)
            number = number[glued_year.end():]
        title = one_line(_KIND_PREFIX.sub("", title_text))
        if (rows and "title" not in rows[-1] and rows[-1]["number"] == number
                and _PREFIX_ONLY.match(title_text)):
            # "73/2025/TT-NHNNSố 73/2025/TT-NHNN": the title cell holds only the number.
            rows[-1]["title"] = number
            continue
        row: dict[str, Any] = {"number": number}
        if title:
            row["title"] = title
            if _glued(title):
                result.warnings.append("tên văn bản có chỗ hai ô bảng dính liền")
        rows.append(row)
    return rows


# --- results (kết quả thực hiện) ---------------------------------------------------------------

# Codes end with a digit ("KQ.G01.000064", "000.00.00.G01-KQ0001"); the next result follows.
_RESULT_CODE = re.compile(r"Mã:\s*(?P<code>[A-Za-z0-9_.\-]*\d)")
_CHROME = re.compile(r"Chọn cơ quan thực hiện.{0,400}?Nộp hồ sơ\s*$", re.DOTALL)
_KEYWORDS = re.compile(r"Từ khóa(?P<keywords>.*?)Mô tả(?P<description>.*)$", re.DOTALL)


def parse_results(text: str) -> Parsed:
    """The results list: each result is followed by `Mã: KQ.…`; the page's search box
    ("Chọn cơ quan thực hiện… Nộp hồ sơ") trails it and is dropped. The result codes and any
    keywords or description given are kept in the note."""
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed()
    text = _CHROME.sub("", text).rstrip()
    extra = _KEYWORDS.search(text)
    if extra:
        for label, group in (("Từ khóa kết quả", "keywords"), ("Mô tả kết quả", "description")):
            value = extra.group(group).strip()
            if value and not is_missing(value):
                result.leftovers.append(Leftover(label, value))
        text = text[:extra.start()]
    names: list[str] = []
    codes: list[str] = []
    start = 0
    for m in _RESULT_CODE.finditer(text):
        names.append(text[start:m.start()].strip())
        codes.append(m.group("code"))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        names.append(tail)
    names = [n for n in names if n and not is_missing(n)]
    if codes:
        result.leftovers.append(Leftover("Mã kết quả", ", ".join(codes)))
    result.value = "\n".join(names) if names else None
    return result


# --- steps (trình tự thực hiện) ----------------------------------------------------------------

_STEP_HEADING = re.compile(r"^Bước\s*(\d+)\b", re.IGNORECASE)
_DASH = re.compile(r"^-(?!-)\s*\S")
_PLUS = re.compile(r"^\+(?!\+)\s*\S")
_INLINE_STEP = re.compile(r"(?<=\S)\s+(?=Bước\s*(\d+)\s*[.:])", re.IGNORECASE)


def parse_steps(text: str) -> Parsed:
    """Ordered steps. A step starts at a "Bước N" line when there are any; otherwise at each
    line with the portal's top-level bullet ("-", then "+"); otherwise each line is a step.
    Lines under a step stay in it. Only the top-level bullet sign itself is removed."""
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    lines = [line for line in _split_inline_steps(text).split("\n") if line.strip()]
    starts = _step_starts(lines)
    steps: list[str] = []
    for line in lines:
        if starts(line) or not steps:
            steps.append(_strip_bullet(line) if starts(line) else line)
        else:
            steps[-1] += "\n" + line
    return Parsed(value=[s.strip() for s in steps if s.strip()] or None)


def _split_inline_steps(text: str) -> str:
    """Break "Bước 1. … Bước 2. …" written on one line before each next step number."""
    expected = 2
    out, last = [], 0
    for m in _INLINE_STEP.finditer(text):
        if int(m.group(1)) == expected:
            out.append(text[last:m.start()])
            last = m.end()
            expected += 1
    out.append(text[last:])
    return "\n".join(out)


def _step_starts(lines: list[str]) -> Any:
    for pattern in (_STEP_HEADING, _DASH, _PLUS):
        if sum(1 for line in lines if pattern.match(line)) >= 2 or (
                pattern is _STEP_HEADING and any(pattern.match(line) for line in lines)):
            return lambda line, p=pattern: p.match(line) is not None
    return lambda line: True


def _strip_bullet(line: str) -> str:
    return re.sub(r"^[-+]\s*", "", line)


# --- small fields ------------------------------------------------------------------------------

LEVELS = {"cấp bộ": "central", "cấp tỉnh": "province", "cấp xã": "commune"}


def parse_levels(text: str) -> list[str]:
    """"Cấp bộ, Cấp tỉnh" -> ["central", "province"]; unknown names ("Cơ quan khác") are skipped."""
    out = []
    for part in split_top_level(normalise(text)):
        level = LEVELS.get(part.lower())
        if level and level not in out:
            out.append(level)
    return out


def parse_applicants(text: str) -> Parsed:
    """Comma-separated applicants; commas inside parentheses do not split."""
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    return Parsed(value=[one_line(p) for p in split_top_level(text)] or None)
