"""Fees in the national portal's submission-methods table: the fee cell and its remark.

The portal lays a fee out as a cell, `Miễn phí` or an amount with its currency (`50,000 VNĐ`,
`25,000 Việt Nam Đồng`, `10 USD`), followed by a remark in parentheses that often restates the
amount in words a clerk wrote (`(50.000 đồng/lần)`). What the cell and the remark say together:

* they agree (the cell's amount is among the remark's, or the remark names no sum): the amount;
* the cell, under a thousand, is a thousandth of a sum in the remark (`150 VNĐ(150.000 đồng/
  thẻ)`: the cell was typed in thousands): that sum, and the report counts the correction;
* they disagree (`Miễn phí(… 50.000.000 đồng …)`, `50 VNĐ(áp dụng mức phí 25.000 đồng …)`,
  `145 VNĐ(145 USD/thẻ)`, a mistyped sum such as `15.000.0000 đồng`), or the cell alone names
  less than a thousand đồng, which no fee is: no amount is guessed; the cell and remark are
  kept verbatim as the fee's note and the report lists the row as disagreeing, for a clerk;
* `Miễn phí` with a remark that names no sum: free (amount 0), the remark kept as the fee's
  note; without a remark, or one that only repeats "none": `Không`.
* an amount in USD: the amount with `currency: USD`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.importers.text import DISAGREEING, PARSED
from generator.textnorm import fold

FEE_NAME = "Phí, lệ phí"
# Below this many đồng an amount is not a fee: the portal's cell was typed in thousands.
SMALLEST_FEE = 1_000
THOUSANDS = 1_000

# The cell: "50,000 VNĐ", "25,000 Việt Nam Đồng", "10 USD" (thousands grouped by ',').
CELL_CURRENCY = r"Việt Nam Đồng|VNĐ|VND|USD"
# A remark's sum of money: "150.000 đồng", "20.000Đ", "200.000 vnđ", "10 triệu đồng", "2,1 tỷ
# đồng"; the number is taken whole, so that a mistyped one ("15.000.0000 đồng") is seen too.
_REMARK_VND = re.compile(
    r"(?<![\d.,])(?P<number>\d(?:[\d.,]*\d)?)\s*(?P<multiplier>triệu|tỷ)?\s*"
    r"(?:đồng|Đồng|đ(?![a-zà-ỹ])|Đ(?![a-zà-ỹ])|vnđ|VNĐ|VND)")
_REMARK_USD = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*USD")
_MULTIPLIERS = {"triệu": 1_000_000, "tỷ": 1_000_000_000}
_REMARK_NUMBER = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+")
_DECIMAL = re.compile(r"\d+(?:[.,]\d{1,2})?")
_CELL_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# A remark that only repeats "none" ("Miễn phí (Không)") says nothing more than the cell.
_SAME_AS_NONE = {"khong", "khong co", "mien phi", "khong thu", "khong thu phi"}


@dataclass(frozen=True, slots=True)
class FeeReading:
    """What one fee cell and its remark give: `fees` for the channel (None: no fee written),
    and the report's verdict: parsed, disagreeing, or corrected (the thousands case)."""

    fees: Any
    outcome: str  # PARSED, DISAGREEING
    corrected: bool = False
    reason: str = ""  # why a row disagrees (Vietnamese, for the report)


def remark_sums(remark: str) -> tuple[set[int], set[str], bool]:
    """Sums of money a remark names: đồng amounts, USD amounts as written, and whether some
    sum is written in a way that cannot be read ("15.000.0000 đồng", "3000.000 đồng")."""
    vnd, unreadable = set(), False
    for m in _REMARK_VND.finditer(remark):
        value = _sum(m.group("number"), m.group("multiplier"))
        if value is None:
            unreadable = True
        else:
            vnd.add(value)
    usd = {m.group(1) for m in _REMARK_USD.finditer(remark)}
    return vnd, usd, unreadable


def _sum(number: str, multiplier: str | None) -> int | None:
    if multiplier and _DECIMAL.fullmatch(number):
        return round(float(number.replace(",", ".")) * _MULTIPLIERS[multiplier])
    if not _REMARK_NUMBER.fullmatch(number):
        return None
    return int(re.sub(r"[.,]", "", number)) * _MULTIPLIERS.get(multiplier or "", 1)


def amount_of(digits: str) -> int | None:
    """The cell's amount: "50,000" -> 50000; None when the digits are not one grouped number
    (a leading zero, or groups of other than three digits)."""
    if not _CELL_NUMBER.fullmatch(digits) or (len(digits) > 1 and digits[0] == "0"):
        return None
    return int(digits.replace(",", ""))


def glued_splits(digits: str, remark: str) -> list[tuple[str, int]]:
    """A time without a unit glued to the amount ("120 VNĐ": 1 and 20, or 12 and 0?): the
    (time, amount) readings left after the remark is heard. The time cell is never empty (the
    portal writes a placeholder), and an amount never starts with 0."""
    readings = [(digits[:i], amount_of(digits[i:])) for i in range(1, len(digits))
                if digits[i - 1].isdigit()]
    readings_ok = [(t, a) for t, a in readings if a]
    if len(readings_ok) <= 1:
        return readings_ok
    vnd = remark_sums(remark)[0]
    heard = [(t, a) for t, a in readings_ok if a in vnd or a * THOUSANDS in vnd]
    return heard if heard else readings_ok


def read_free(remark: str) -> FeeReading:
    """`Miễn phí`, with its remark (may be empty)."""
    vnd, usd, unreadable = remark_sums(remark)
    if vnd or usd or unreadable:
        return FeeReading([_unread("Miễn phí", remark)], DISAGREEING,
                          reason="ghi 'Miễn phí' nhưng ghi chú nêu số tiền")
    if not remark or fold(remark).strip(" .;") in _SAME_AS_NONE:
        return FeeReading("Không", PARSED)
    return FeeReading([{"name": FEE_NAME, "amount": 0, "note": remark}], PARSED)


def read_amount(cell: str, amount: int, currency: str, remark: str) -> FeeReading:
    """An amount cell (`cell` as written, e.g. "150 VNĐ"), read against its remark."""
    vnd, usd, unreadable = remark_sums(remark)
    if currency == "USD":
        fee = {"name": FEE_NAME, "amount": amount, "currency": "USD"}
        return FeeReading([_with_note(fee, remark)], PARSED)
    if amount in vnd or (not vnd and not usd and not unreadable and amount >= SMALLEST_FEE):
        return FeeReading([_with_note({"name": FEE_NAME, "amount": amount}, remark)], PARSED)
    if amount < SMALLEST_FEE and amount * THOUSANDS in vnd:
        fee = {"name": FEE_NAME, "amount": amount * THOUSANDS}
        return FeeReading([_with_note(fee, remark)], PARSED, corrected=True)
    if usd and not vnd:
        reason = "ô phí ghi VNĐ nhưng ghi chú ghi USD"
    elif unreadable and not vnd:
        reason = "ghi chú có số tiền viết sai, không đọc được"
    elif vnd:
        reason = "mức thu khác số tiền trong ghi chú"
    else:
        reason = f"mức thu dưới {SMALLEST_FEE:,} đồng mà không có ghi chú xác nhận".replace(",", ".", 1)
    return FeeReading([_unread(cell, remark)], DISAGREEING, reason=reason)


def _with_note(fee: dict[str, Any], remark: str) -> dict[str, Any]:
    if remark:
        fee["note"] = remark
    return fee


def _unread(cell: str, remark: str) -> dict[str, Any]:
    """A fee whose amount is not written: the source kept verbatim, for a clerk to settle."""
    return {"name": FEE_NAME, "note": f"{cell} ({remark})" if remark else cell}
