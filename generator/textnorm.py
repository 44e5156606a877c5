"""Vietnamese text normalisation: NFC, invisible characters, folding and URL slugs."""

from __future__ import annotations

import re
import unicodedata

# Every string of a record: zero-width and direction marks and the BOM are removed, NBSP becomes a
# space (they are invisible, and would make equal texts differ).
_CLEAN = {cp: None for cp in range(0x200B, 0x2010)} | {0xFEFF: None, 0x00A0: " "}
_UNCLEAN = re.compile("[\u00a0\u200b-\u200f\ufeff]")
# đ/Đ carry no combining mark, so NFD alone does not fold them.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# A folded syllable whose only vowel is a y after its initial consonant, where Vietnamese writes
# i as well: "kỳ"/"kì", "lý"/"lí", "mỹ"/"mĩ", "công ty"/"công ti", "hy"/"hi", "sỹ"/"sĩ", "quy"/"qui",
# "Vy"/"Vi". Other initials never take a lone y ("chi", "nghi", "thi"), and a y after a vowel is
# another vowel ("tay", "tuy", "quyết"), as is y alone ("y tế").
_Y_SYLLABLE = re.compile(r"\b(h|k|l|m|qu|s|t|v)y\b")


def clean(text: str) -> str:
    """The loader's normalisation of every string: invisible characters out, then NFC."""
    if text.isascii():
        return text
    if _UNCLEAN.search(text):  # a scan is much cheaper than translating every string
        text = text.translate(_CLEAN)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form for comparisons: "Đăng ký" -> "dang ky"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_fold(text: str) -> str:
    """`fold`, then i for a syllable's lone y (the search index and the search box, search.js
    `foldQuery`, fold alike): "Đăng KÝ" -> "dang ki"."""
    return _Y_SYLLABLE.sub(r"\1i", fold(text))


def slugify(text: str, max_length: int = 80) -> str:
    """URL slug: "Đăng ký khai sinh" -> "dang-ky-khai-sinh"."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug
