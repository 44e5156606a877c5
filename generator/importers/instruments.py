"""The legal-basis table of the national portal: instrument numbers, titles and their dates.

The table reads `<title><number><title><number>…` with no separator: a row ends where its
number column does, and the next title starts right after it. A number is
`<n>[/<year>]/<type and issuer>`: `60/2014/QH13`, `123/2015/NĐ-CP`, `319/QĐ-TTg`; the issuer is
a run of capitals, so where the next title starts with capitals too (`…NĐ-CPLUẬT HÀNG KHÔNG…`,
`…TT-BCAQUY ĐỊNH…`) the run is cut before the word that opens the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from generator.importers.text import (
    DISAGREEING,
    LOWER,
    NOTE,
    PARSED,
    UPPER,
    Leftover,
    Parsed,
    glued,
    is_missing,
    normalise,
    one_line,
)
from generator.textnorm import fold

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"

_UPPER_RUN = rf"(?:[A-ZĐ&](?![{LOWER}]))+"
_QH = rf"(?:[A-ZĐ](?![{LOWER}]))*QH\d{{2}}"
# A number starts after neither '/' nor a digit, except right after a law's legislature
# ("…QH14" + "51/2019/QH14") or a date's year ("ngày 29/6/2024" + "43/2024/QH15");
# "66.7/2025/NQ-CP" is one number.
_INSTRUMENT = re.compile(
    rf"(?:(?<![/\d])|(?<=QH\d\d)|(?<=/(?:19|20)\d\d))\d+(?:\.\d+)?[a-z]?(?:/\d{{4}})?/(?:{_QH}|{_UPPER_RUN})(?:[-/_]\s?(?:TTg|{_QH}|{_UPPER_RUN}))*")
# Words that open an all-caps title of a legal instrument; an issuer never ends with one.
TITLE_OPENERS = frozenset({
    "LUẬT", "BỘ", "NGHỊ", "QUYẾT", "QUY", "THÔNG", "BAN", "SỬA", "HƯỚNG", "PHÁP", "HIẾN", "CHỈ",
    "VĂN", "VỀ", "KẾ", "DANH", "MỨC", "CÁC", "MỘT", "ĐIỀU", "QUẢN", "BÃI",
})
_CAPITALS = re.compile(rf"[{UPPER}]*")
_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")
_ONSETS = {"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"}


def clean_issuers(texts: Iterable[str]) -> frozenset[str]:
    """Type-and-issuer parts ("NĐ-CP", "TT-BTC") that `texts` write with a clear end, followed by
    a space, punctuation or nothing: evidence of where an issuer ends when elsewhere the next
    title is glued to it."""
    found: set[str] = set()
    for text in texts:
        found |= _clean(text, _INSTRUMENT.finditer(text))
    return frozenset(found)


def _clean(text: str, matches: Iterable[re.Match[str]]) -> set[str]:
    return {_issuer(m.group(0)) for m in matches if m.end() == len(text) or not text[m.end()].isalnum()}


def instrument_numbers(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of each legal instrument number in `text`; `known`: issuers written cleanly
    elsewhere in the same source (see `clean_issuers`)."""
    matches = list(_INSTRUMENT.finditer(text))
    clean = known | _clean(text, matches)
    spans: list[tuple[int, int]] = []
    for m in matches:
        start, end = m.span()
        cut = _title_in_capitals(text, m)
        if cut is not None:
            end = cut
        elif end < len(text) and text[end] in _ASCII_UPPER and _letter_is_issuer(text, m, clean):
            # The regex stops before a capital followed by a small letter ("NĐ-CPNghị định");
            # here that capital is the number's last letter after all ("TT-NHNNsố").
            end += 1
        cut = _type_glued_to_digits(text, start, end)
        if cut is not None:
            end = cut
        if spans and spans[-1][1] == start:
            previous = text[spans[-1][0]:spans[-1][1]]
            if end - start > len(previous) and text[start:end].startswith(previous):
                end = start + len(previous)  # "…TT-BCA22/2023/TT-BCA…": the repetition ends there
        spans.append((start, end))
    return spans


def _issuer(number: str) -> str:
    return number.split("/")[-1] if "/" in number else number


def _letter_is_issuer(text: str, m: re.Match[str], clean: frozenset[str] | set[str]) -> bool:
    """Whether the capital after the match ends the issuer: the text writes the longer issuer
    cleanly elsewhere ("…/NĐ-CP ngày…", so "NĐ-CPhướng dẫn" is "NĐ-CP" + "hướng dẫn"), or
    else the capital and the small letters after it cannot start a Vietnamese word."""
    issuer = _issuer(m.group(0))
    if issuer + text[m.end()] in clean:
        return True
    if issuer in clean:
        return False
    return not _starts_word(text[m.end():m.end() + 2])


def _title_in_capitals(text: str, m: re.Match[str]) -> int | None:
    """Where an all-caps title glued to the number starts ("…NĐ-CPLUẬT HÀNG…" -> before
    "LUẬT"), or None when the number is not followed by one."""
    run_start = max(m.group(0).rfind("-"), m.group(0).rfind("/")) + 1 + m.start()
    word_end = _CAPITALS.match(text, m.end()).end()  # type: ignore[union-attr]
    word = text[run_start:word_end]
    for k in range(1, len(word)):
        if word[k:] in TITLE_OPENERS and (word_end > m.end() or word_end == len(text)
                                         or not text[word_end].isalnum()):
            return run_start + k
    return None


# Instrument types (Nghị định 30/2020/NĐ-CP, Phụ lục III): "…BTCTT29/2025" is "…BTC" + "TT29/2025".
_TYPES = ("TTLT", "TT", "NĐ", "QĐ", "NQ", "CT", "PL")


def _type_glued_to_digits(text: str, start: int, end: int) -> int | None:
    """An issuer is never followed by digits, unless a number follows ("…TT-BCT05/2014/TT-BCT");
    when it seems to be, its last letters are the type of the next reference
    ("…/TT-BTCTT29/2025"): where the issuer really ends."""
    if end >= len(text) or not text[end].isdigit() or _INSTRUMENT.match(text, end):
        return None
    number = text[start:end]
    run = number[max(number.rfind("-"), number.rfind("/")) + 1:]
    if run.startswith("QH"):
        return None
    for kind in _TYPES:
        if run.endswith(kind) and len(run) > len(kind):
            return end - len(kind)
    return None


def _starts_word(pair: str) -> bool:
    if len(pair) < 2 or not pair[1].islower():
        return True
    return fold(pair[1]) in "aeiouy" or fold(pair).lower() in _ONSETS


def parse_legal_basis(text: str, known: frozenset[str] = frozenset()) -> Parsed:
    """The legal basis table: [{"number", "title", "date"?}], the number being the last column.

    A row ends with an instrument number directly followed by the next title or the end of the
    text; numbers quoted inside a title are followed by a space or punctuation, or directly by
    the same number again (the title ends with it). The date is the instrument's own date when
    the title gives it (see `own_date`).
    """
    text = normalise(text)
    if is_missing(text):
        return Parsed()
    result = Parsed()
    if LEGAL_HEADER not in text:
        result.leftovers.append(Leftover("Căn cứ pháp lý", text))
        result.count("legal_basis[].number", NOTE)
        return result
    before, body = text.split(LEGAL_HEADER, 1)
    if before.strip():
        result.leftovers.append(Leftover("Căn cứ pháp lý", before.strip()))
    raw_rows: list[tuple[str, str]] = []
    start = 0
    spans = instrument_numbers(body, known)
    for i, (s, e) in enumerate(spans):
        if _is_row_end(body, spans, i):
            e = _as_quoted(body, s, e, body[start:s])
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
        result.count("legal_basis[].number", NOTE)
    if any("title" not in row for row in rows):
        result.warnings.append("có văn bản chỉ có số hiệu, không có tên")
    result.count("legal_basis[].number", PARSED, len(rows))
    for row in rows:
        _date(row, result)
    result.value = rows or None
    return result


def _is_row_end(body: str, spans: list[tuple[int, int]], i: int) -> bool:
    start, end = spans[i]
    if end == len(body):
        return True
    if i and spans[i - 1][1] == start and body[spans[i - 1][0]:spans[i - 1][1]] == body[start:end]:
        return True  # "…số 27/2023/QH1527/2023/QH15 sửa đổi…": the column repeats the title's end
    nxt = spans[i + 1] if i + 1 < len(spans) else None
    if nxt is not None and nxt[0] == end:
        glued_on = body[nxt[0]:nxt[1]]
        if glued_on == body[start:end]:
            return False  # "Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP": the title ends with its number
        # A different number glued on starts the next title ("…QH1326/2005/PL-UBTVQH11 - Ưu
        # đãi…26/2005/PL-UBTVQH11") when it comes again later, as that row's number column;
        # otherwise it is this row's number and the title ended with a quoted one.
        return any(body[s:e] == glued_on for s, e in spans[i + 2:])
    if _DATE_AFTER.match(body, end):
        return False  # "…/TT-BCAngày 01/7/2025 của…": a missing space inside the title
    return not (body[end].isspace() or body[end] in ",;:.)]”\"'")


_DATE_AFTER = re.compile(r"ngày\s*\d")
# What the number column may say before the number: "Luật số 32/2024/QH15", "Số 73/2025/TT-NHNN".
_KINDS = r"(?:Luật|Nghị định|Thông tư(?: liên tịch)?|Quyết định|Nghị quyết|Pháp lệnh|Văn bản hợp nhất)"
_KIND_PREFIX = re.compile(rf"(?:(?<=[{LOWER})\d]){_KINDS}?\s*(?:[Ss]ố)?|^\s*[Ss]ố)\s*$")
_PREFIX_ONLY = re.compile(rf"^\s*{_KINDS}?\s*(?:[Ss]ố)?\s*$")
_YEAR_GLUE = re.compile(r"^(?:19|20)\d\d(?=\d)")


def _legal_rows(raw_rows: list[tuple[str, str]], result: Parsed) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    previous_title = ""
    for title_text, number in raw_rows:
        glued_year = _YEAR_GLUE.match(number)
        if glued_year and title_text and not title_text[-1].isdigit():
            # "… năm 201102/2011/QH13": the title ends with a year glued to the number.
            title_text += glued_year.group(0)
            number = number[glued_year.end():]
        title = one_line(_KIND_PREFIX.sub("", title_text))
        if (rows and rows[-1]["number"] == number and _PREFIX_ONLY.match(title_text)
                and _PREFIX_ONLY.match(previous_title)):
            # "73/2025/TT-NHNNSố 73/2025/TT-NHNN", "Nghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CP":
            # the title cell holds only the number, the number column repeats it.
            rows[-1]["title"] = one_line(previous_title + number)
            previous_title = ""
            continue
        previous_title = title_text
        row: dict[str, Any] = {"number": number}
        if title:
            row["title"] = title
            if glued(title):
                result.warnings.append("tên văn bản có chỗ hai ô bảng dính liền")
        rows.append(row)
    return rows


def _as_quoted(body: str, start: int, end: int, title: str) -> int:
    """Where the number at body[start:end] ends as its own title quotes it, when the two
    readings differ only by capitals at the end: a quote followed by a space is unambiguous
    ("…60/2023/TT-BTC ngày…" in the title, "60/2023/TT-BTChông tư…" in the column, where the
    next title lost its first letter)."""
    number = body[start:end]
    for s, e in instrument_numbers(title):
        quoted = title[s:e]
        if e < len(title) and title[e].isalnum():
            continue
        shorter, longer = sorted((quoted, number), key=len)
        extra = longer[len(shorter):]
        if (quoted != number and longer.startswith(shorter) and extra.isalpha() and extra.isupper()
                and body.startswith(quoted, start)):
            return start + len(quoted)
    return end


# --- dates ----------------------------------------------------------------------------------------

_DATE = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*(?:[/.-]\s*(?P<m>\d{1,2})\s*[/.-]|tháng\s*(?P<m2>\d{1,2})\s*năm)"
                   r"\s*(?P<y>\d{4})", re.IGNORECASE)
_OTHER_YEAR = "năm của ngày trong tên khác năm trong số hiệu"
_OWN_DATE_GAP = 40  # at most this many characters between a number and "ngày …"
# "có hiệu lực từ ngày …", "đến ngày …", "sau ngày …": a date that is not the signing date.
_NOT_SIGNED = re.compile(r"(?:hiệu lực|từ|đến|hết|sau|trước)\s*$", re.IGNORECASE)


def own_date(title: str, number: str) -> tuple[str | None, str]:
    """The instrument's own date in its title, as ISO, or (None, why not).

    "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 về …": the date right after the row's own number.
    "Luật Đất đai ngày 18/01/2024": the first date, when no other number stands before it (a
    date after another instrument's number is that instrument's). A date in another year than
    the number's is not taken.
    """
    dates = [(m, _iso(m)) for m in _DATE.finditer(title)]
    dates = [(m, d) for m, d in dates if d and not _NOT_SIGNED.search(title[:m.start()])]
    if not dates:
        return None, ""
    # The title may quote its number with "-" where the column has "_" or a space ("TT_BCA").
    quoted = re.search("[-_]\\s?".join(map(re.escape, re.split(r"[-_]\s?", number))), title)
    if quoted:
        chosen = next((d for m, d in dates if 0 <= m.start() - quoted.end() <= _OWN_DATE_GAP), None)
    else:
        first, iso = dates[0]
        chosen = iso if not instrument_numbers(title[:first.start()]) else None
    if chosen is None:
        return None, "ngày trong tên là ngày của văn bản khác"
    year = re.search(r"/(\d{4})/", number)
    if year and year.group(1) != chosen[:4]:
        return None, _OTHER_YEAR
    return chosen, ""


def _iso(m: re.Match[str]) -> str | None:
    try:
        return date(int(m.group("y")), int(m.group("m") or m.group("m2")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


def _date(row: dict[str, Any], result: Parsed) -> None:
    if "title" not in row:
        return
    found, why = own_date(row["title"], row["number"])
    if found:
        row["date"] = found
        result.count("legal_basis[].date", PARSED)
    elif why == _OTHER_YEAR:
        result.count("legal_basis[].date", DISAGREEING)
        result.warnings.append(f"ngày ban hành không lấy: {why}")
