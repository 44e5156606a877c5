"""Pure parsers for the flattened tables of the national public service portal.

The portal's pages were scraped as text: every HTML table lost its cell boundaries, so a row
such as (method, time, fee, description) reads `Trực tiếp5 Ngày làm việcMiễn phíNộp tại...`.
Each parser here takes one source string and returns a `Parsed` value:

* `value`: what could be read into the catalogue's shape (None when the source has nothing);
* `leftovers`: source text, verbatim, that has no place in that shape (it goes to the entry's
  `note` field, so nothing is dropped);
* `warnings`: where a boundary had to be guessed or a value corrected (counted in the report);
* `tally`: per field, how many values were parsed, kept as note, disagreeing or missing;
* `disagreements`: what the report lists for a clerk to settle (a fee whose amount and remark
  disagree).

The parsers never raise on odd input: odd input is what leftovers are for. Legal-basis rows are
read in `generator.importers.instruments`, fee cells in `generator.importers.money`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from generator.importers import money
from generator.importers.instruments import instrument_numbers
from generator.importers.text import (
    DISAGREEING,
    LOWER,
    MISSING,
    NOTE,
    PARSED,
    PLACEHOLDER,
    UPPER,
    Leftover,
    Parsed,
    balanced_parenthesis,
    capitalised_items,
    glued,
    is_missing,
    normalise,
    one_line,
    split_top_level,
)
from generator.textnorm import fold

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

METHODS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
UNITS = {"ngày làm việc": "working_days", "ngày": "days", "giờ": "hours", "tháng": "months"}


# --- submission methods (cách thức thực hiện) -------------------------------------------------

def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


# A row starts with its method glued to the time: a digit or a capital ("Không có thông tin",
# "Không quy định"); the same words inside a description are followed by a space or ':'.
_ROW = re.compile(rf"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=[\d{UPPER}])")
_TIME = re.compile(rf"(?P<value>\d+(?:[.,]\d{{1,2}}(?!\d))?)"  # "1,5 Ngày"; "1,000" is not a time
                   rf"(?:\s?(?P<unit>(?i:ngày làm việc|ngày|giờ|tháng))(?![{LOWER}]))?")
_AMOUNT_CELL = rf"(?P<digits>\d[\d,]*)\s?(?P<currency>{money.CELL_CURRENCY})"
_FEE_CELL = re.compile(rf"Miễn phí|{PLACEHOLDER}|{_AMOUNT_CELL}")
_GLUED_CELL = re.compile(_AMOUNT_CELL)  # at the row's start: a time without unit, then the amount
_ENUMERATION = re.compile(r"\(\w{1,3}\)")  # "(1) Trường hợp…" starts the description
TIME_PATH, FEES_PATH = "channels[].processing_time", "channels[].fees"


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
        result.value.append(_Row(parts[i], parts[i + 1], url, result, i // 2 + 1).channel())
    if not result.value:
        result.value = None
    return result


class _Row:
    """One row: time cell, fee cell and its remark, description; in that order."""

    def __init__(self, method_text: str, row: str, url: str | None, result: Parsed, number: int) -> None:
        self.label, self.row, self.result, self.number = method_text, row, result, number
        self.channel_data: dict[str, Any] = {"method": METHODS[method_text]}
        if self.channel_data["method"] == "online":
            if url:
                self.channel_data["url"] = url
            level = _online_level(row)
            if level:
                self.channel_data["online_level"] = level
        self.time: dict[str, Any] | None = None

    def channel(self) -> dict[str, Any]:
        glued = _GLUED_CELL.match(self.row)
        if glued and not _TIME.match(self.row).group("unit"):  # type: ignore[union-attr]
            return self._glued(glued)
        position = self._read_time()
        self._read_fee_and_description(position)
        return self._finish()

    def _glued(self, cell: re.Match[str]) -> dict[str, Any]:
        """"Trực tuyến120 VNĐ(20.000 đồng/tờ khai)": a unit-less time glued to the amount."""
        remark, after = _remark(self.row, cell.end())
        readings = money.glued_splits(cell.group("digits"), remark)
        if len(readings) != 1:
            # Not to be guessed: the row stays as written, for a clerk.
            self.result.leftovers.append(Leftover(f"Cách thức thực hiện ({self.label})", self.row.strip()))
            self.result.count(TIME_PATH, NOTE)
            self.result.count(FEES_PATH, NOTE)
            return self.channel_data
        time_digits, amount = readings[0]
        self.time = {"value": int(time_digits)}
        self.result.count(TIME_PATH, PARSED)
        self.result.warnings.append("thời hạn không có đơn vị dính liền với mức thu")
        self._fee(money.read_amount(cell.group(0), amount, _currency(cell), remark))
        self._description(self.row[after:])
        return self._finish()

    def _read_time(self) -> int:
        row = self.row
        if row.startswith(PLACEHOLDER):
            self.result.count(TIME_PATH, MISSING)
            return len(PLACEHOLDER)
        m = _TIME.match(row)
        if m:
            self.time = {"value": _number(m.group("value"))}
            if m.group("unit"):
                self.time["unit"] = UNITS[m.group("unit").lower()]
            self.result.count(TIME_PATH, PARSED)
            return m.end()
        # A time in words ("Không quy định"): kept as written, up to the fee.
        fee_at = _FEE_CELL.search(row)
        end = fee_at.start() if fee_at else len(row)
        self.result.leftovers.append(Leftover(f"Thời hạn giải quyết ({self.label})", row[:end].strip()))
        self.result.count(TIME_PATH, NOTE)
        return end

    def _read_fee_and_description(self, position: int) -> None:
        row = self.row
        cell = _FEE_CELL.match(row, position)
        if cell is None:
            rest = row[position:].strip()
            if rest:
                self.result.leftovers.append(Leftover(f"Phí, lệ phí và mô tả ({self.label})", rest))
            self.result.count(FEES_PATH, NOTE if rest else MISSING)
            return
        remark, after = _remark(row, cell.end())
        token = cell.group(0)
        if token == PLACEHOLDER:
            if remark:
                self.result.leftovers.append(Leftover(f"Phí, lệ phí ({self.label})", f"({remark})"))
            self.result.count(FEES_PATH, MISSING)
        elif token == "Miễn phí":
            self._fee(money.read_free(remark))
        else:
            amount = money.amount_of(cell.group("digits"))
            if amount is None:
                self.result.leftovers.append(
                    Leftover(f"Phí, lệ phí ({self.label})", row[cell.start():after].strip()))
                self.result.count(FEES_PATH, NOTE)
            else:
                self._fee(money.read_amount(token, amount, _currency(cell), remark))
        self._description(row[after:])

    def _fee(self, reading: money.FeeReading) -> None:
        self.channel_data["fees"] = reading.fees
        self.result.count(FEES_PATH, reading.outcome)
        if reading.corrected:
            self.result.warnings.append("mức thu ghi theo nghìn đồng: lấy số tiền trong ghi chú")
        if reading.outcome == DISAGREEING:
            self.result.disagreements.append(f"phí, dòng {self.number} ({self.label}): {reading.reason}")

    def _description(self, text: str) -> None:
        description = text.strip()
        if not description or is_missing(description):
            return
        if self.time is not None:
            self.time["note"] = description
        else:
            self.result.leftovers.append(Leftover(f"Mô tả cách thức ({self.label})", description))

    def _finish(self) -> dict[str, Any]:
        if self.time is not None:
            self.channel_data["processing_time"] = self.time
        fees = self.channel_data.pop("fees", None)  # written after the time, as the schema orders them
        if fees is not None:
            self.channel_data["fees"] = fees
        return self.channel_data


def _currency(cell: re.Match[str]) -> str:
    return "USD" if cell.group("currency") == "USD" else "VND"


def _remark(row: str, start: int) -> tuple[str, int]:
    """The fee's remark: "(…)" right after the fee cell (not "(1) …", which starts the
    description), and where the text after it starts."""
    if start < len(row) and row[start] == "(" and not _ENUMERATION.match(row, start):
        close = balanced_parenthesis(row, start)
        return row[start + 1:close - 1 if row[close - 1] == ")" else close].strip(), close
    return "", start


def _online_level(row: str) -> str | None:
    folded = fold(row)
    full, partial = "toan trinh" in folded, "mot phan" in folded
    if full != partial:
        return "full" if full else "partial"
    return None


# --- dossier documents (thành phần hồ sơ) -----------------------------------------------------

# The count column: "1 bản chính", "0 bản chính,1 bản sao".
_COUNT = re.compile(r"(?<!\d)(?P<originals>\d+) bản chính(?:,\s?(?P<copies>\d+) bản sao)?")
_BULLET = re.compile(r"^(?:[-+*•\uf0a7\uf0b7\uf0d8\uf0fc]+\)?\s*)+")  # "-", "+)", "•"
_FORM_EXT = re.compile(r"\.(?i:docx?|pdf|xlsx?|rar|zip)(?![a-z])")  # "…docMau…": the next file
_NO_WORDS = re.compile(r"^[\W\d_]*$")
DOSSIER_SETS = re.compile(
    rf"[Ss]ố lượng hồ sơ\s*:?\s*0*(?P<count>\d+)\s*(?:\([^)]{{0,12}}\)\s*)?\(?\s*bộ(?![{LOWER}])\)?")
# "01 bộ đối với trực tuyến (03 bộ đối với …)": a count that depends on the case.
_CONDITIONAL = re.compile(r"\s*(?:[^\n]{0,60}?\d+\s*bộ\s*)?đối với", re.IGNORECASE)


def parse_documents(text: str) -> Parsed:
    """The dossier table: a list of documents.

    Each item ends with its count (`1 bản chính`, `0 bản chính,1 bản sao`); a section title
    such as `* Giấy tờ phải nộp:` precedes a table header, and a heading item (`… gồm:` counted
    `0 bản chính`) may head the items after it: either becomes the note of the documents under
    it (or goes to the entry's note when it heads none). Form file names (`Mẫu 01.docx`) are
    split off the name into the note too (the portal gives no download address, so they cannot
    be a `form`). An item that only states the number of dossier sets ("Số lượng hồ sơ: 01 bộ")
    is no document: `dossier_sets` reads it.
    """
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed()
    segments = text.split(DOCUMENT_HEADER)
    if len(segments) == 1:
        result.leftovers.append(Leftover("Thành phần hồ sơ", text))
        return result
    documents: list[dict[str, Any]] = []
    headers: list[str] = []  # section titles and heading items, in order
    used: set[str] = set()
    title = one_line(_section_title(segments[0]))
    for index, segment in enumerate(segments[1:], start=1):
        items, trailing = _split_items(segment, result)
        headers.append(title)
        heading = ""
        for name_text, originals, copies in items:
            name_text = name_text.strip()
            if _NO_WORDS.match(name_text):
                # "" or "." between two counts: not a document; kept so no character is lost.
                kept = f"{name_text}{_count_text(originals, copies)}"
                result.leftovers.append(Leftover("Thành phần hồ sơ", kept))
                result.count("documents[]", NOTE)
            elif _only_dossier_sets(name_text):
                continue
            elif not originals and not copies and name_text.endswith(":"):
                heading = one_line(_BULLET.sub("", name_text))
                headers.append(heading)
            else:
                groups = [t for t in (title, heading) if t]
                used.update(groups)
                documents.append(_document(name_text, originals, copies, groups, result))
        if index < len(segments) - 1:
            title = one_line(_section_title(trailing))
        elif trailing.strip() and not _NO_WORDS.match(trailing):
            result.leftovers.append(Leftover("Thành phần hồ sơ", trailing.strip()))
    for header in dict.fromkeys(headers):
        if header and header not in used:
            result.leftovers.append(Leftover("Thành phần hồ sơ", header))
    result.count("documents[]", PARSED, len(documents))
    result.value = documents or None
    return result


def _count_text(originals: int, copies: int) -> str:
    return f"{originals} bản chính" + (f",{copies} bản sao" if copies else "")


def _only_dossier_sets(name: str) -> bool:
    """"2/ Số lượng hồ sơ: 01 (bộ)": the item says nothing but the number of sets."""
    rest = DOSSIER_SETS.sub("", name)
    return rest != name and len(re.findall(r"[^\W\d_]", re.sub(r"(?i)hồ sơ", "", rest))) < 2


def dossier_sets(*texts: str) -> tuple[int | None, str]:
    """The number of dossier sets stated as "Số lượng hồ sơ: N bộ" in any of `texts`, or
    (None, the statement) when it depends on the case or two statements differ."""
    counts: set[int] = set()
    statements: list[str] = []
    for text in texts:
        text = normalise(text)
        for m in DOSSIER_SETS.finditer(text):
            counts.add(int(m.group("count")))
            line_end = text.find("\n", m.end())
            sentence = text[m.start():line_end if line_end >= 0 else len(text)]
            statements.append(sentence.strip())
            if _CONDITIONAL.match(text, m.end()):
                counts.add(-1)  # a second, conditional count: not one number
    if len(counts) == 1 and min(counts) > 0:
        return counts.pop(), ""
    return None, "; ".join(dict.fromkeys(statements))


def _section_title(text: str) -> str:
    title = text.strip()
    return "" if title.strip("-– ") == "" else title


def _split_items(segment: str, result: Parsed) -> tuple[list[tuple[str, int, int]], str]:
    """(name, originals, copies) for each item of one table, and the text after the last one."""
    items: list[tuple[str, int, int]] = []
    counts = list(_COUNT.finditer(segment))
    start = 0
    for i, m in enumerate(counts):
        following = counts[i + 1] if i + 1 < len(counts) else None
        if not _is_item_end(segment, m, following):
            continue
        name = segment[start:m.start()]
        first = m.group("originals")
        before = segment[m.start() - 1] if m.start() else " "
        if len(first) > 2 or (len(first) == 2 and first[0] != "0" and before.isalnum()):
            # "…ngày 01/01/20261 bản chính", "Mẫu số 181 bản chính": the name's last digits and
            # the count share one run; counts are small, so the last digit is the count and the
            # rest stays in the name (a two-digit count is written "01" or after a space).
            name += first[:-1]
            first = first[-1]
            result.warnings.append("số lượng bản dính liền với chữ số cuối tên giấy tờ")
        items.append((name, int(first), int(m.group("copies") or 0)))
        start = m.end()
    return items, segment[start:]


def _is_item_end(text: str, m: re.Match[str], following: re.Match[str] | None) -> bool:
    """A count closes an item unless it is quoted inside a name: "(01 bản chính)", "… 01 bản
    chính văn bản", "01 bản chính, và 01 bản sao", or "…: 01 bản chính" right before the item's
    own count ("…: 01 bản chính.1 bản chính"). The count column itself is glued to the name."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end():m.end() + 2]
    if before == "(" or after[:1] in (" ", ")") or re.match(r"[.,;:]\s", after):
        return False
    if before == " " and after[:1] == ";":
        return False
    # "…: 01 bản chính" written in the name, then the item's own count after nothing but marks.
    return not (before.isspace() and following is not None
                and _NO_WORDS.match(text[m.end():following.start()]))


def _document(name_text: str, originals: int, copies: int, groups: list[str],
              result: Parsed) -> dict[str, Any]:
    name, forms = split_form_names(name_text)
    name = one_line(_BULLET.sub("", name))
    document: dict[str, Any] = {}
    if name:
        document["name"] = name
    else:
        result.warnings.append("giấy tờ không có tên")
    document["originals"] = originals
    document["copies"] = copies
    notes = [f"Nhóm giấy tờ: {group}" for group in groups]
    if forms:
        notes.append(f"Mẫu đơn, tờ khai: {'; '.join(forms)}")
    if notes:
        document["note"] = "\n".join(notes)
    if glued(name):
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
    head = text[:first_ext.start()]
    candidates = [i for i in range(1, len(head)) if _is_form_boundary(head, i)]
    candidates += [e for _, e in instrument_numbers(head) if e < len(head) and head[e].isupper()]
    boundary = max(candidates, default=None)
    if boundary is None:
        return text, []
    files = _FORM_FILE.findall(text, boundary)
    return text[:boundary], [f.strip() for f in files if f.strip()]


_FORM_FILE = re.compile(r".+?" + _FORM_EXT.pattern)


def _is_form_boundary(text: str, i: int) -> bool:
    before, here = text[i - 1], text[i]
    if before == ";":
        return True
    if not here.isupper():
        return False
    if before == ".":
        return i >= 2 and not text[i - 2].isdigit()
    return before == ")" or before.islower()


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

# "Bước 5" anywhere (line start, after a bullet, "a)" or "6.1.1.", inline, even glued: "ký nháyBước 12").
_MARKER = re.compile(r"(?:^(?:[-+*•]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*[.)])\s*)?Bước\s*(?P<n>\d+)(?!\d)",
                     re.MULTILINE)
_BULLET_LINE = {"-": re.compile(r"^-(?!-)\s*\S"), "+": re.compile(r"^\+(?!\+)\s*\S")}
_ENUMERATOR = re.compile(r"^(?:[a-zđ]|\d{1,2}|[ivx]{1,4})[.)]\s", re.IGNORECASE)
_SENTENCE_END = ".:;!?)"


def parse_steps(text: str) -> Parsed:
    """Ordered steps. With "Bước 1", "Bước 2", … markers in order, a step starts at each marker,
    wherever it stands; otherwise at each line with the portal's top-level bullet ("-", then
    "+"); otherwise at each line that starts a sentence. A line wrapped in mid-sentence (it
    starts with a small letter after a line without final punctuation) is joined to the line
    before; a bullet sign with nothing after it is dropped."""
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    markers = _ordered_markers(text)
    if markers:
        pieces = [text[a:b] for a, b in itertools.pairwise([*markers, len(text)])]
        preamble = text[:markers[0]].strip()
        if preamble.endswith(":") or _NO_WORDS.match(preamble):  # "Trình tự thực hiện:" heads step 1
            pieces[0] = f"{preamble}\n{pieces[0]}"
        elif preamble:  # an introduction: a step of its own before step 1
            pieces.insert(0, preamble)
        steps = [_unwrap(_strip_bullet(piece.strip())) for piece in pieces]
    else:
        steps = _steps_by_line(_lines(text))
    return Parsed(value=[s for s in steps if s] or None)


def _ordered_markers(text: str) -> list[int]:
    """Where "Bước 1", "Bước 2", … stand, each the next number (a "Bước 3" quoted inside step 1
    is not a marker)."""
    found, expected = [], 1
    for m in _MARKER.finditer(text):
        if int(m.group("n")) == expected:
            found.append(m.start())
            expected += 1
    return found


_BARE_BULLET = re.compile(r"^[\s\-+*•]*$")


def _lines(text: str) -> list[str]:
    """Lines without blank ones and without bullet signs that stand alone ("-")."""
    return [line for line in text.split("\n") if not _BARE_BULLET.match(line)]


def _steps_by_line(lines: list[str]) -> list[str]:
    starts = _step_starts(lines)
    steps: list[str] = []
    for line in lines:
        if steps and (_is_wrapped(steps[-1], line) or _NO_WORDS.match(steps[-1])):
            steps[-1] += " " + line.strip()  # a wrapped line, or the text after "6.1.1."
        elif not steps or starts(line, steps[-1]):
            steps.append(_strip_bullet(line.strip()))
        else:
            steps[-1] += "\n" + line
    return [s.strip() for s in steps]


def _bullet_starts(pattern: re.Pattern[str], line: str, _before: str) -> bool:
    return pattern.match(line.strip()) is not None


def _step_starts(lines: list[str]) -> Callable[[str, str], bool]:
    for bullet in ("-", "+"):
        pattern = _BULLET_LINE[bullet]
        if sum(1 for line in lines if pattern.match(line.strip())) >= 2:
            return partial(_bullet_starts, pattern)
    # Plain paragraphs: a line starts a step when the one before ended its sentence.
    return lambda line, before: (before.rstrip()[-1:] in _SENTENCE_END
                                 or _ENUMERATOR.match(line.strip()) is not None)


def _is_wrapped(before: str, line: str) -> bool:
    """`line` continues the sentence `before` ends (a line break inside a sentence)."""
    line = line.strip()
    return (bool(line) and line[0].islower() and before.rstrip()[-1:] not in _SENTENCE_END
            and not _ENUMERATOR.match(line))


def _unwrap(step: str) -> str:
    """Inside one step: lines wrapped in mid-sentence joined, line breaks between sentences
    and bullets kept, lone bullet signs dropped."""
    lines: list[str] = []
    for line in _lines(step):
        if lines and (_is_wrapped(lines[-1], line) or _NO_WORDS.match(lines[-1])):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line.rstrip())
    return "\n".join(lines).strip()


def _strip_bullet(line: str) -> str:
    return re.sub(r"^[-+*•]\s*", "", line)


# --- small fields ------------------------------------------------------------------------------

LEVELS = {"cấp bộ": "central", "cấp tỉnh": "province", "cấp xã": "commune"}


def parse_levels(text: str) -> Parsed:
    """"Cấp bộ, Cấp tỉnh" -> ["central", "province"], in the source's order; other words
    ("Cơ quan khác", not a level of the contract) are kept in the note."""
    result = Parsed()
    levels: list[str] = []
    for part in split_top_level(one_line(text)):
        level = LEVELS.get(part.lower())
        if level:
            if level not in levels:
                levels.append(level)
        elif not is_missing(part):
            result.leftovers.append(Leftover("Cấp thực hiện (khác)", part))
    result.value = levels or None
    return result


def parse_applicants(text: str) -> Parsed:
    """The portal's applicant categories, comma separated; a comma followed by a small letter
    is inside a category ("Cán bộ, công chức, viên chức"), as is one inside parentheses."""
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    return Parsed(value=capitalised_items(text) or None)
