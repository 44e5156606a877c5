"""Vietnamese labels and value formatting for everything a citizen reads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from generator.textnorm import fold

LEVELS = {"central": "Trung ương", "province": "Cấp tỉnh", "commune": "Cấp xã"}
LEVEL_PHRASES = {"central": "cấp trung ương", "province": "cấp tỉnh", "commune": "cấp xã"}
LEVEL_SLUGS = {"central": "trung-uong", "province": "tinh", "commune": "xa"}
UNITS = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "months": "tháng"}
METHODS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}
ONLINE_LEVELS = {"full": "Toàn trình", "partial": "Một phần"}
PROCEDURE_STATUS = {
    "active": "Đang thực hiện",
    "suspended": "Tạm ngừng thực hiện",
    "repealed": "Đã bãi bỏ",
}
PLAN_KINDS = {
    "planning": "Quy hoạch",
    "plan": "Kế hoạch",
    "policy": "Chính sách",
    "regulation": "Quy định",
}
PLAN_STATUS = {
    "draft": "Dự thảo",
    "in_force": "Còn hiệu lực",
    "expired": "Hết hiệu lực",
    "superseded": "Bị thay thế",
}
DISCLOSURE = {
    "portal": "Đăng trên cổng/trang thông tin điện tử",
    "office_posting": "Niêm yết tại trụ sở cơ quan",
    "media": "Phương tiện thông tin đại chúng",
    "conference": "Hội nghị",
    "print": "Ấn phẩm, tài liệu in",
}
NO_FEES = "Không thu phí, lệ phí"
FREE = "Miễn phí"

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[^@\s<>\"'()]+$")
_PHONE_HEAD = re.compile(r"^\+?[\d .()\-]+")
_SAFE_SCHEMES = ("http", "https")
_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


def label(table: dict[str, str], value: Any) -> str:
    """The Vietnamese label of an enumerated value; unknown values are shown as they are."""
    return table.get(value, text(value)) if isinstance(value, str) else text(value)


def text(value: Any) -> str:
    """A scalar as one line of text ("" for missing values)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, float):
        return number(value)
    return " ".join(str(value).split())


def paragraphs(value: Any) -> list[list[str]]:
    """Multi-line text as paragraphs of lines, so templates never emit blank lines."""
    if value is None:
        return []
    out: list[list[str]] = []
    for block in re.split(r"\n\s*\n", str(value)):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            out.append(lines)
    return out


def is_none(value: Any) -> bool:
    """The explicit answer "Không" (none) of RECORDS.md."""
    # Folding is per character: a long text (requirements run to pages) cannot be "Không".
    return isinstance(value, str) and len(value) <= 32 and fold(value) == "khong"


def number(value: int | float) -> str:
    """Vietnamese number: thousands with ".", decimals with ","."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:,.2f}".rstrip("0").partition(".")
        return whole.replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


def money(amount: Any) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return text(amount)
    return FREE if amount == 0 else f"{number(amount)} đồng"


def duration(value: Any, unit: Any) -> str:
    shown = number(value) if isinstance(value, int | float) and not isinstance(value, bool) else text(value)
    return f"{shown} {label(UNITS, unit)}".strip()


def iso(value: Any) -> str:
    """Sortable ISO form of a date value ("" when unknown)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return value if isinstance(value, str) and _ISO_DATE.match(value) else ""


def date(value: Any) -> str:
    """dd/mm/yyyy from a date or an ISO string; anything else as text."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if match:
        year, month, day = match.groups()
        return f"{day}/{month}/{year}"
    return text(value)


def safe_href(url: Any) -> str | None:
    """The URL if it may become a link (http, https, mailto, tel), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or _UNSAFE_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in _SAFE_SCHEMES:
        return url if parts.netloc else None
    if scheme == "mailto":
        return url if _EMAIL.match(url[7:].split("?", 1)[0]) else None
    if scheme == "tel":
        return url if re.fullmatch(r"\+?[\d\-.()]+", url[4:]) else None
    return None


def link(title: Any, url: Any) -> dict[str, Any]:
    """A prepared link: `href` is None when the URL is not safe; `raw` then shows it as text."""
    href = safe_href(url)
    shown = text(title) or text(url)
    return {"text": shown, "href": href, "raw": "" if href or url is None else text(url)}


def tel(number: Any) -> str | None:
    """tel: URL of a Vietnamese phone number ("0258 3822 111" -> "tel:02583822111")."""
    match = _PHONE_HEAD.match(number.strip()) if isinstance(number, str) else None
    digits = re.sub(r"[^\d+]", "", match.group(0)) if match else ""
    return f"tel:{digits}" if len(digits.lstrip("+")) >= 3 else None


def mailto(email: Any) -> str | None:
    return f"mailto:{email.strip()}" if isinstance(email, str) and _EMAIL.match(email.strip()) else None
