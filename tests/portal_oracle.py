"""A second, independent reading of the national portal's data, to measure the importer by.

`make realdata` (benchmarks/realdata.py) and the real-data tests compare what
`congkhai import national-portal` wrote with what this module reads from the same source.
It shares no code with generator.importers and is deliberately simpler: a few regular
expressions and, for instrument numbers, a vocabulary of the type and issuer abbreviations used
in Vietnamese instrument numbers (NĐ-CP, TT-BTC, QH15, …) instead of the importer's reading of
letter case. Where the two readings disagree, one of them is wrong: the figures say where.

Every function takes the source text of one field (already NFC-normalised by `flat`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# --- text ----------------------------------------------------------------------------------------


def flat(text: Any) -> str:
    """NFC, no invisible marks, NBSP as a space; line breaks kept."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub("[\u200b-\u200f\ufeff]", "", text).replace("\r\n", "\n")


def absent(text: str) -> bool:
    return not text.strip() or text.strip().lower() in ("không có thông tin", "không", "...", "-")


# --- money ---------------------------------------------------------------------------------------

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_METHOD = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|[A-ZĐ])")
_CELL = re.compile(r"Miễn phí|Không có thông tin|(?P<digits>\d[\d.,]*?)\s?(?P<cur>Việt Nam Đồng|VNĐ|USD)")
_TIME_UNIT = re.compile(r"^\d+(?:[.,]\d+)?\s?(?:Ngày làm việc|Ngày|Giờ|Tháng)", re.IGNORECASE)
_REMARK_VND = re.compile(r"(?<![\d.,])(\d[\d.,]*\d|\d)\s*(triệu|tỷ)?\s*"
                         r"(?:đồng|đ(?![a-zà-ỹ])|vnđ|VNĐ|VND|Đồng|Đ(?![a-zà-ỹ]))")
_REMARK_USD = re.compile(r"(?<![\d.,])(\d+)\s*USD")
_MULTIPLIER = {"triệu": 1_000_000, "tỷ": 1_000_000_000}
# The portal shows no fee below a thousand đồng; such an amount is the cell's unit error
# unless a remark confirms it (then it is a thousand times larger).
SMALLEST_FEE = 1_000


@dataclass(frozen=True, slots=True)
class FeeRow:
    """What one row of the submission-methods table says about money."""

    method: str  # direct / online / postal
    kind: str  # free, amount, none (placeholder), words (no fee cell found)
    amount: int | None = None  # the amount the source states, in its currency
    currency: str = "VND"
    states_money: bool = False  # the cell or its remark names a sum of money
    disagreeing: bool = False  # cell and remark disagree, or the cell alone cannot be trusted
    shape: str = ""  # how the source writes it: "x1000", "glued", "usd", "free+sum", ""


_METHODS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}


def fee_rows(text: str) -> list[FeeRow]:
    body = flat(text)
    if body.startswith(CHANNEL_HEADER):
        body = body[len(CHANNEL_HEADER):]
    parts = _METHOD.split(body)
    return [_fee_row(_METHODS[parts[i]], parts[i + 1]) for i in range(1, len(parts), 2)]


def _fee_row(method: str, row: str) -> FeeRow:
    # A row starts with its time; "Không có thông tin" there is the time's placeholder.
    cell = _CELL.search(row, len("Không có thông tin") if row.startswith("Không có thông tin") else 0)
    if cell is None:
        return FeeRow(method, "words")
    remark = _remark(row, cell.end())
    vnd = remark_amounts(remark)
    usd = {int(m.group(1)) for m in _REMARK_USD.finditer(remark)}
    if cell.group(0) == "Không có thông tin":
        return FeeRow(method, "none", states_money=bool(vnd or usd))
    if cell.group(0) == "Miễn phí":
        return FeeRow(method, "free", states_money=bool(vnd or usd), disagreeing=bool(vnd or usd),
                      shape="free+sum" if vnd or usd else "")
    digits, currency = cell.group("digits"), "USD" if cell.group("cur") == "USD" else "VND"
    glued = cell.start() == 0 and not _TIME_UNIT.match(row)
    candidates = _glued_amounts(digits) if glued else [_integer(digits)]
    candidates = [c for c in candidates if c is not None]
    shape = "glued" if glued else ""
    if currency == "USD":
        amount = candidates[0] if len(candidates) == 1 else None
        return FeeRow(method, "amount", amount, "USD", True, amount is None, "usd")
    thousands = [c * 1000 for c in candidates if c < SMALLEST_FEE and c * 1000 in vnd]
    confirmed = [c for c in candidates if c in vnd] + thousands
    if len(set(confirmed)) == 1:
        return FeeRow(method, "amount", confirmed[0], states_money=True,
                      shape=shape or ("x1000" if thousands else ""))
    if len(candidates) == 1 and not vnd and not usd and candidates[0] >= SMALLEST_FEE:
        # (an unreadable sum in the remark counts as a sum: `vnd` then holds None)
        return FeeRow(method, "amount", candidates[0], states_money=True, shape=shape)
    return FeeRow(method, "amount", None, states_money=True, disagreeing=True, shape=shape)


def _remark(row: str, start: int) -> str:
    if not row.startswith("(", start):
        return ""
    depth = 0
    for i in range(start, len(row)):
        depth += (row[i] == "(") - (row[i] == ")")
        if depth == 0:
            return row[start + 1:i]
    return row[start + 1:]


def remark_amounts(text: str) -> set[int | None]:
    """Sums in đồng a remark names; None for one written so that it cannot be read."""
    found: set[int | None] = set()
    for m in _REMARK_VND.finditer(text):
        number, multiplier = m.group(1), _MULTIPLIER.get(m.group(2) or "", 1)
        if multiplier > 1 and re.fullmatch(r"\d+[.,]\d{1,2}", number):
            found.add(round(float(number.replace(",", ".")) * multiplier))
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+", number):
            found.add(int(re.sub(r"[.,]", "", number)) * multiplier)
        else:
            found.add(None)
    return found


def _integer(digits: str) -> int | None:
    """ "20,000" -> 20000; None unless the thousands are grouped properly."""
    if not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*|\d+", digits) or (len(digits) > 1 and digits[0] == "0"):
        return None
    return int(re.sub(r"[.,]", "", digits))


def _glued_amounts(digits: str) -> list[int | None]:
    """A time without a unit glued to the amount ("120 VNĐ" = 1 + 20): every way to cut it."""
    return [_integer(digits[i:]) for i in range(1, len(digits)) if digits[i - 1].isdigit()
            and _integer(digits[i:]) != 0]


# --- instrument numbers --------------------------------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# Abbreviations of instrument types and issuing bodies (Nghị định 30/2020/NĐ-CP, Phụ lục I and
# III, and the bodies of these ministries' catalogues): longest first, so that "BNNPTNT" wins
# over "BNN".
_TOKENS = sorted([
    "NĐ", "ND", "TT", "TTLT", "QĐ", "QD", "NQ", "NQLT", "PL", "CT", "VBHN",
    "CP", "TTg", "BTC", "BTP", "BCA", "BNNMT", "NHNN", "BGTVT", "BXD", "BTNMT", "BNNPTNT", "BHXH",
    "BKHĐT", "BLĐTBXH", "UBND", "HĐND", "BQP", "BYT", "BKHCN", "VPCP", "BNV", "BCT", "BVHTTDL",
    "CSXH", "BTTTT", "TANDTC", "VKSNDTC", "BNG", "VPQH", "NV", "BGDĐT", "KTNN", "UBDT",
    "TTCP", "BNN", "BTM", "BKH", "BLĐTB", "BHXHVN", "CTN", "BCĐ", "UBCKNN", "TCHQ", "TCT",
    "HĐTP", "MTTQ", "TLĐ", "UBTVQH",
], key=len, reverse=True)
_TOKEN = "|".join(map(re.escape, _TOKENS))
_LEGISLATURE = r"(?:UBTVQH|QH)\d{2}"
_SEGMENT = rf"(?:{_LEGISLATURE}|{_TOKEN})"
# A number starts after a non-digit, after a law's legislature ("QH14" + "51/2019/QH14"), or
# after a year that ends the title before it ("… năm 2023" + "23/2023/QH15").
NUMBER = re.compile(rf"(?:(?<!\d)(?:19|20)\d\d(?=\d{{1,4}}/)|(?<![\d/])|(?<=QH\d\d))"
                    rf"(?P<number>\d{{1,4}}(?:\.\d+)?[a-z]?(?:/\d{{4}})?/{_SEGMENT}(?:[-/]{_SEGMENT})*)")


@dataclass(slots=True)
class Numbers:
    column: list[str]  # the number column of each row, in order (repeats kept)
    anywhere: dict[int, str]  # start -> number, for every number in the text


def instrument_numbers(text: str) -> Numbers:
    """Numbers in the legal-basis table. A number in the number column is glued to what
    follows it (the next row's title, or its own repetition) or ends the text; a number
    quoted inside a title is followed by a space or punctuation."""
    body = flat(text)
    if LEGAL_HEADER not in body:
        return Numbers([], {})
    offset = body.index(LEGAL_HEADER) + len(LEGAL_HEADER)
    body = body[offset:].rstrip()
    column, anywhere = [], {}
    matches = [m for m in NUMBER.finditer(body) if body[m.end():m.end() + 1] not in ("-", "/", "&", "_")]
    for i, m in enumerate(matches):  # (followed by "-", "/", "&" or "_": an issuer not known here)
        anywhere[offset + m.start("number")] = m.group("number")
        after = body[m.end():m.end() + 1]
        if after and (after.isspace() or after in ",;:.)]”\"'" or body.startswith("ngày", m.end())):
            continue
        following = matches[i + 1] if i + 1 < len(matches) else None
        if following and following.start() == m.end() and following.group("number") != m.group("number") \
                and all(later.group("number") != following.group("number") for later in matches[i + 2:]):
            continue  # a title ending in a number, then its own number column
        column.append(m.group("number"))
    return Numbers(column, anywhere)


_DATE = re.compile(r"ngày\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                   r"|ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


def title_dates(title: str) -> list[tuple[int, str]]:
    """(position, ISO date) of each date written in a title ("ngày 15/5/2024", "ngày 15 tháng 5
    năm 2024")."""
    found = []
    for m in _DATE.finditer(title):
        d, mo, y = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            found.append((m.start(), date(y, mo, d).isoformat()))
        except ValueError:
            continue
    return found


_NUMBER_START = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:/\d{4})?/[A-ZĐ]")
_EFFECTIVE = re.compile(r"(?:hiệu lực|từ|đến|hết|sau|trước)\s*$", re.IGNORECASE)


def _loose(number: str) -> str:
    return re.sub(r"[-_]\s?", "-", number)


def own_dates(title: str, number: str) -> list[str]:
    """The dates in a title that are the instrument's own: a date is another instrument's when
    another number stands closer before it, and a date after "hiệu lực từ", "đến", … is not a
    signing date."""
    own = []
    for at, iso in title_dates(title):
        before = [m.start() for m in _NUMBER_START.finditer(title, 0, at)]
        if before:
            if _loose(title[before[-1]:]).startswith(_loose(number)):
                own.append(iso)
        elif not _EFFECTIVE.search(title[:at]):
            own.append(iso)
    return own


# --- the small fields ------------------------------------------------------------------------------

LEVELS = {"Cấp bộ": "central", "Cấp tỉnh": "province", "Cấp xã": "commune"}


def levels(text: str) -> tuple[list[str], list[str]]:
    """(levels of the contract, other words such as "Cơ quan khác")."""
    known, other = [], []
    for part in (p.strip() for p in flat(text).split(",")):
        if part in LEVELS:
            known.append(LEVELS[part])
        elif part:
            other.append(part)
    return known, other


def capitalised_items(text: str) -> list[str]:
    """A comma list whose items start with a capital: "Cán bộ, công chức, viên chức" is one."""
    items, depth, start = [], 0, 0
    text = " ".join(flat(text).split())
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0 and text[i + 1:].lstrip()[:1].isupper():
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [i for i in items if i]


# --- steps -------------------------------------------------------------------------------------------

_MARKER = re.compile(r"Bước\s*(\d+)")


def step_markers(text: str) -> int:
    """How many "Bước 1", "Bước 2", … markers follow each other in order (0: none)."""
    expected = 1
    for m in _MARKER.finditer(flat(text)):
        if int(m.group(1)) == expected:
            expected += 1
    return expected - 1


def wrapped_lines(text: str) -> list[str]:
    """Lines that continue the sentence of the line before (it ends without punctuation and
    they start with a small letter): their first words."""
    lines = [line.strip() for line in flat(text).split("\n")]
    found = []
    for before, line in itertools.pairwise(lines):
        if (before and line and line[0].islower() and before[-1] not in ".:;!?)"
                and not re.match(r"[a-zđ][).]\s", line)):  # "b) …" is an enumeration
            found.append(line[:40])
    return found


# --- dossier sets ------------------------------------------------------------------------------------

_SETS = re.compile(r"Số lượng hồ sơ\s*:?\s*0*(\d+)\s*(?:\([^)]{0,12}\)\s*)?\(?\s*bộ", re.IGNORECASE)
_SETS_FIELDS = ("thanh_phan_ho_so", "trinh_tu_thuc_hien", "yeu_cau_dieu_kien", "ket_qua_xu_ly")


def dossier_sets(source: dict[str, Any]) -> tuple[set[int], bool]:
    """(the counts stated as "Số lượng hồ sơ: N bộ", whether a statement gives another count
    for some cases, e.g. "01 bộ … (03 bộ đối với …)")."""
    counts, conditional = set(), False
    for key in _SETS_FIELDS:
        text = flat(source.get(key))
        for m in _SETS.finditer(text):
            counts.add(int(m.group(1)))
            tail = text[m.end():m.end() + 80].split("\n")[0]
            if re.search(r"\d+\s*bộ\s*đối với", tail) or re.match(r"\s*đối với", tail):
                conditional = True
    return counts, conditional


# --- documents --------------------------------------------------------------------------------------


def pseudo_document(document: dict[str, Any], source_text: str) -> str | None:
    """Why a written document is not one (None when it is); `source_text`: the dossier table."""
    name = document.get("name", "")
    if len(re.findall(r"[^\W\d_]", name)) < 2:
        return "tên không có chữ"
    if re.match(r"\s*[,.;:)\]]\s", name) and re.search(r"bản (?:chính|sao)" + re.escape(name[:30]),
                                                        source_text):
        return "mảnh sau số lượng bản"  # "…: 02 bản chính. Tại ô…" cut after the count
    if re.match(r"[\W\d]*Số lượng hồ sơ", name, re.IGNORECASE) and len(name) < 60:
        return "số lượng hồ sơ"
    if name.rstrip().endswith(":") and not document.get("originals") and not document.get("copies"):
        return "tiêu đề nhóm giấy tờ"
    return None


# --- agencies ---------------------------------------------------------------------------------------


def agency_names(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The agencies a text lists; `known`: names (lower case) that hold a comma and a capital
    of their own ("Bộ Văn hóa, Thể thao và Du lịch"), as the import's agency map lists them."""
    if absent(flat(text)):
        return []
    names = [n.rstrip(".").strip() for n in capitalised_items(text)]
    for i in range(len(names) - 1, 0, -1):
        if f"{names[i - 1]}, {names[i]}".lower() in known:
            names[i - 1:i + 1] = [f"{names[i - 1]}, {names[i]}"]
    return names


# --- the comparison ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Figures:
    """Counts of what the importer got right against this reading; `targets` says which
    must hold."""

    count: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, n: int = 1, example: str | None = None) -> None:
        self.count[key] += n
        if example is not None and n:
            self.examples.setdefault(key, [])
            if len(self.examples[key]) < 8:
                self.examples[key].append(example)

    def ratio(self, part: str, whole: str) -> float:
        return self.count[part] / self.count[whole] if self.count[whole] else 1.0


def compare(source: dict[str, Any], entry: dict[str, Any] | None, figures: Figures,
            known_names: frozenset[str] = frozenset()) -> None:
    """Add what one source record and the importer's entry for it (None: not written) say;
    `known_names`: see `agency_names`."""
    code = str(source.get("ma_thu_tuc", ""))
    figures.add("records")
    if entry is None:
        figures.add("records not written", example=code)
        return
    _compare_fees(code, source, entry, figures)
    _compare_numbers(code, source, entry, figures)
    _compare_levels_and_agencies(code, source, entry, figures, known_names)
    _compare_steps(code, source, entry, figures)
    _compare_documents(code, source, entry, figures)
    applicants = capitalised_items(source.get("doi_tuong_thuc_hien", ""))
    if applicants and not absent(flat(source.get("doi_tuong_thuc_hien"))):
        figures.add("applicant lists")
        if entry.get("applicants") == applicants:
            figures.add("applicant lists equal")
        else:
            figures.add("applicant lists different", example=code)


def _compare_fees(code: str, source: dict[str, Any], entry: dict[str, Any], figures: Figures) -> None:
    rows = fee_rows(source.get("cach_thuc_thuc_hien", ""))
    channels = entry.get("channels") or []
    free_with_sum = False
    if len(rows) != len(channels):
        figures.add("fee rows not matched", len(rows), example=f"{code}: {len(rows)} / {len(channels)}")
        return
    for row, channel in zip(rows, channels, strict=True):
        fees = channel.get("fees")
        items = fees if isinstance(fees, list) else []
        amounts = {(f.get("amount"), f.get("currency", "VND")) for f in items if "amount" in f}
        published_free = fees == "Không" or amounts == {(0, "VND")}
        figures.add("fee rows")
        if row.shape:
            figures.add(f"fee rows shaped {row.shape}")
            figures.add(f"fee rows shaped {row.shape}: amount written", bool(amounts))
        if row.states_money and published_free:
            figures.add("fee rows published free with an amount", example=f"{code} {row.method}")
            free_with_sum = True
        if row.disagreeing:
            figures.add("fee rows disagreeing")
            if amounts:
                figures.add("fee rows disagreeing but given an amount", example=f"{code} {row.method}")
            continue
        if row.kind == "amount":
            figures.add("fee rows stating an amount")
            if amounts == {(row.amount, row.currency)}:
                figures.add("fee amounts equal")
            else:
                figures.add("fee amounts different",
                            example=f"{code} {row.method}: {row.amount} {row.currency} / {sorted(amounts)}")
    figures.add("records published free with an amount", free_with_sum,
                example=code if free_with_sum else None)


def _compare_numbers(code: str, source: dict[str, Any], entry: dict[str, Any], figures: Figures) -> None:
    text = flat(source.get("can_cu_phap_ly", ""))
    numbers = instrument_numbers(text)
    written = [row.get("number", "") for row in entry.get("legal_basis") or []]
    expected = set(numbers.column)
    figures.add("instrument numbers", len(expected))
    figures.add("instrument numbers recovered", len(expected & set(written)))
    for lost in sorted(expected - set(written)):
        figures.add("instrument numbers lost", example=f"{code}: {lost}")
    by_text = set(numbers.anywhere.values())
    for number in written:
        if number in expected or number in by_text:
            continue
        if number not in text:
            figures.add("instrument numbers corrupted", example=f"{code}: {number}")
            continue
        starts = [m.start() for m in re.finditer(re.escape(number), text)]
        # Corrupted: wherever it stands, the text goes on into a longer number.
        if all(s in numbers.anywhere and numbers.anywhere[s] != number for s in starts):
            figures.add("instrument numbers corrupted", example=f"{code}: {number}")
        else:
            figures.add("instrument numbers unverified", example=f"{code}: {number}")
    for row in entry.get("legal_basis") or []:
        title = row.get("title", "")
        if title_dates(title):
            figures.add("titles with a date")
        own = own_dates(title, row.get("number", ""))
        if own:
            figures.add("titles with their own date")
            if row.get("date") == own[0]:
                figures.add("titles with their own date: date recovered")
            else:
                figures.add("titles with their own date: not recovered",
                            example=f"{code}: {row.get('number')}")
        if "date" in row and row["date"] not in own:
            figures.add("dates not the instrument's own", example=f"{code}: {row['number']} {row['date']}")


def _compare_levels_and_agencies(code: str, source: dict[str, Any], entry: dict[str, Any],
                                 figures: Figures, known_names: frozenset[str]) -> None:
    known, other = levels(source.get("cap_thuc_hien", ""))
    figures.add("records listing several levels", len(known) > 1)
    if entry.get("levels", []) == known:
        figures.add("levels kept")
    else:
        figures.add("levels different", example=f"{code}: {known} / {entry.get('levels')}")
    for word in other:
        if word not in entry.get("note", ""):
            figures.add("level words lost", example=f"{code}: {word}")
    names = agency_names(source.get("co_quan_thuc_hien", ""), known_names)
    figures.add("agency names", len(names))
    written = entry.get("agency_names", [])
    joined = " ".join(" ".join(written).split())
    figures.add("agency names kept", sum(1 for n in names if n in joined))
    for name in names:
        if name not in joined:
            figures.add("agency names lost", example=f"{code}: {name}")
    figures.add("records with several agencies", len(names) > 1)
    if len(written) < len(names):
        figures.add("records with agencies merged", example=f"{code}: {len(names)} / {len(written)}")
    if "commune" in known and entry.get("implemented_by", {}).get("level") != "commune":
        figures.add("commune level not implemented", example=code)


def _compare_steps(code: str, source: dict[str, Any], entry: dict[str, Any], figures: Figures) -> None:
    text = source.get("trinh_tu_thuc_hien", "")
    steps = entry.get("steps") or []
    markers = step_markers(text)
    if markers:
        # Each step's first "Bước k", in order: 1, 2, …, n.
        firsts = [int(m.group(1)) if (m := re.search(r"Bước\s*(\d+)", s)) else 0 for s in steps]
        figures.add("records with Bước markers")
        if list(range(1, markers + 1)) in (firsts, firsts[1:]):  # one introduction may come first
            figures.add("records split at every Bước")
        else:
            figures.add("records not split at Bước", example=f"{code}: {markers} / {firsts}")
    for wrapped in wrapped_lines(text):
        figures.add("wrapped lines")
        if any(step.startswith(wrapped) for step in steps[1:]):
            figures.add("steps split at a wrapped line", example=f"{code}: {wrapped[:20]}")
    for step in steps:
        if not re.search(r"[^\W\d_]{2}", step):
            figures.add("steps without words", example=f"{code}: {step!r}")


def _compare_documents(code: str, source: dict[str, Any], entry: dict[str, Any], figures: Figures) -> None:
    table = " ".join(flat(source.get("thanh_phan_ho_so")).split())
    for document in entry.get("documents") or []:
        figures.add("documents")
        why = pseudo_document(document, table)
        if why:
            figures.add("pseudo-documents", example=f"{code}: {why}")
    counts, conditional = dossier_sets(source)
    if counts:
        figures.add("records stating dossier sets")
        if len(counts) == 1 and not conditional:
            if entry.get("dossier_sets") == next(iter(counts)):
                figures.add("dossier sets recovered")
            else:
                figures.add("dossier sets not recovered",
                            example=f"{code}: {sorted(counts)} / {entry.get('dossier_sets')}")
        else:
            figures.add("dossier sets conditional")
            if "dossier_sets" in entry and entry["dossier_sets"] not in counts:
                figures.add("dossier sets not recovered", example=f"{code}: {sorted(counts)}")
            elif "Số lượng hồ sơ" in entry.get("note", "") or "dossier_sets" in entry:
                figures.add("dossier sets recovered")
            else:
                figures.add("dossier sets not recovered", example=f"{code}: {sorted(counts)}")


@dataclass(frozen=True, slots=True)
class Target:
    what: str
    value: float
    goal: float
    at_least: bool = True  # False: at most

    @property
    def met(self) -> bool:
        return self.value >= self.goal if self.at_least else self.value <= self.goal


def targets(f: Figures) -> list[Target]:
    """The issue's targets, from the figures."""
    c = f.count
    return [
        Target("phí: mức thu đúng nguồn (tỷ lệ dòng nêu mức thu)",
               f.ratio("fee amounts equal", "fee rows stating an amount"), 0.995),
        Target("phí: thủ tục nêu số tiền mà ghi là miễn phí", c["records published free with an amount"], 0,
               at_least=False),
        Target("phí: dòng mâu thuẫn mà vẫn ghi mức thu", c["fee rows disagreeing but given an amount"], 0,
               at_least=False),
        Target("phí: dòng không khớp thứ tự cách thức", c["fee rows not matched"], 0, at_least=False),
        Target("căn cứ: số hiệu giữ đúng (tỷ lệ)",
               f.ratio("instrument numbers recovered", "instrument numbers"), 0.99),
        Target("căn cứ: số hiệu bị hỏng", c["instrument numbers corrupted"], 0, at_least=False),
        Target("căn cứ: ngày ban hành lấy từ tên (tỷ lệ tên ghi ngày của chính văn bản)",
               f.ratio("titles with their own date: date recovered", "titles with their own date"), 0.95),
        Target("căn cứ: ngày không phải của chính văn bản", c["dates not the instrument's own"], 0,
               at_least=False),
        Target("cấp thực hiện: bản ghi khác nguồn", c["levels different"] + c["level words lost"], 0,
               at_least=False),
        Target("cơ quan: tên bị mất", c["agency names lost"], 0, at_least=False),
        Target("cơ quan: nhiều cơ quan gộp làm một", c["records with agencies merged"], 0, at_least=False),
        Target("cơ quan: thủ tục cấp xã không giao cho cấp xã", c["commune level not implemented"], 0,
               at_least=False),
        Target("đối tượng: danh sách khác nguồn", c["applicant lists different"], 0, at_least=False),
        Target("giấy tờ: giấy tờ giả", c["pseudo-documents"], 0, at_least=False),
        Target("số bộ hồ sơ: lấy được ở mọi nơi có ghi (tỷ lệ)",
               f.ratio("dossier sets recovered", "records stating dossier sets"), 1.0),
        Target("trình tự: tách đúng ở mọi 'Bước N' (tỷ lệ)",
               f.ratio("records split at every Bước", "records with Bước markers"), 1.0),
        Target("trình tự: bước tách ở dòng ngắt giữa câu", c["steps split at a wrapped line"], 0,
               at_least=False),
        Target("trình tự: bước không có chữ", c["steps without words"], 0, at_least=False),
        Target("bản ghi không được ghi", c["records not written"], 0, at_least=False),
    ]
