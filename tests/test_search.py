"""Search index data (folding, synonyms, weights), the Pagefind step of the build, counter sheets.

The browser tests (tests/browser) search the built site for real; these check the pieces.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import segno
import yaml
import zxingcpp
from conftest import REPO, VALID, Built
from PIL import Image

from generator.check import check_repository
from generator.check.corpus import Corpus
from generator.check.places import publishable
from generator.check.timeliness import Settings
from generator.load import load_repository
from generator.prepare import prepare
from generator.prepare.search import (
    IndexEntry,
    citizen_phrases,
    filter_options,
    index_data,
    phrase_token,
    synonyms,
    synonyms_for,
    title_pairs,
    variant_words,
)
from generator.prepare.views import channel
from generator.publish import SITE_MARK, PublishError, build_site, pagefind
from generator.publish.mkdocs import DEFAULT_SITE_URL
from generator.render import counter, render_docs
from generator.render.counter import qr_svg, short
from generator.render.site import Site
from generator.textnorm import fold, search_fold

LAND = ("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu "
        "tài sản gắn liền với đất lần đầu")


def test_variant_words_are_folded_once_each() -> None:
    """The words a folded query would miss in Pagefind's own index: đ-words and y-syllables."""
    assert variant_words("Đăng ký đất đai; ĐIỀU kiện, đăng ký lại") == ["dang", "ki", "dat", "dai", "dieu"]
    assert variant_words("Công ty, Mỹ, kỳ hạn, hy vọng, quý, bác sỹ") == ["ti", "mi", "ki", "hi", "qui", "si"]
    # y that is another vowel (ay, uy, uyê, y alone) is written only one way: no copy
    assert variant_words("Không có chữ nào như vậy; máy, tuy, thủy, quyết, y tế, yêu cầu") == []


@pytest.mark.parametrize(("text", "folded"), [
    ("Đăng ký khai tử", "dang ki khai tu"), ("đăng kí khai tử", "dang ki khai tu"),
    ("Lý lịch tư pháp", "li lich tu phap"), ("lí lịch", "li lich"), ("Mỹ", "mi"), ("công ty", "cong ti"),
    ("hy sinh", "hi sinh"), ("bác sỹ", "bac si"), ("Quy định", "qui dinh"), ("Tường Vy", "tuong vi"),
    ("Giấy tay", "giay tay"), ("Thủy lợi", "thuy loi"), ("y tế", "y te"), ("quyết định", "quyet dinh"),
    ("chi tiết", "chi tiet"), ("kỹ thuật 1.001193", "ki thuat 1.001193"),
])
def test_search_fold_writes_one_form_of_the_i_y_variants(text: str, folded: str) -> None:
    assert search_fold(text) == folded


def test_title_pairs_are_adjacent_words_within_a_clause() -> None:
    assert title_pairs("Đăng ký khai tử") == ["dangki", "kikhai", "khaitu"]
    # no pair across punctuation: "sinh, cấp" are not a phrase of the title
    pairs = ["dangki", "kikhai", "khaisinh", "capban", "bansao"]
    assert title_pairs("Đăng ký khai sinh, cấp bản sao") == pairs
    assert title_pairs("Hộ tịch") == ["hotich"] and title_pairs("Khác") == []


def test_synonyms_by_official_phrase_and_by_literal_citizen_phrase() -> None:
    assert {"so do", "so hong", "bia do"} <= set(synonyms_for(LAND))
    assert "giay phep kinh doanh" in synonyms_for("Đăng ký thành lập hộ kinh doanh")
    assert "lam giay khai sinh" in synonyms_for("Đăng ký khai sinh")
    # a title holding a citizens' phrase itself is found by it too
    assert "giay khai sinh" in synonyms_for("Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh")
    assert synonyms_for("Đăng ký kết hôn") == ["lam giay ket hon", "giay dang ki ket hon", "dang ki cuoi"]
    assert synonyms_for("Cấp thẻ công chứng viên") == []


def test_synonyms_match_whole_words_only() -> None:
    assert synonyms_for("Đăng ký khai sinh tử") != []  # "khai sinh" then another word: still whole
    assert synonyms_for("Đăng ký khai sinhx") == []


def test_synonym_file_is_well_formed_and_used_by_the_sample() -> None:
    data = yaml.safe_load((REPO / "generator" / "data" / "synonyms.yaml").read_text(encoding="utf-8"))
    files = [*(REPO / "catalogue").glob("*.yaml"), *(REPO / "procedures").rglob("*.yaml")]
    titles = [t for t in (yaml.safe_load(p.read_text(encoding="utf-8")).get("name") for p in files) if t]
    assert len(data["entries"]) == len(synonyms())
    for entry in data["entries"]:
        assert set(entry) == {"official", "citizen"}
        assert all(isinstance(p, str) and fold(p) for p in entry["official"] + entry["citizen"])
    words = [" " + " ".join(re.sub(r"[\W_]+", " ", fold(t)).split()) + " " for t in titles]
    unused = [e["official"] for e in data["entries"]
              if not any(f" {fold(o).replace(',', '')} " in w for w in words for o in e["official"])]
    assert unused == [], "entries whose official phrase no sample procedure has"


def test_phrases_are_joined_into_one_word_longest_first() -> None:
    assert phrase_token("so do") == "sodo"
    phrases = citizen_phrases()
    assert phrases == sorted(phrases, key=lambda p: (-len(p), p))
    assert all(p == search_fold(p) and "|" not in p for p in phrases)


def test_index_data_of_a_procedure() -> None:
    entry = IndexEntry("procedure", "Đăng ký khai sinh", "Ủy ban nhân dân phường Nha Trang", "Cấp xã",
                       "Hộ tịch", "1.001193")
    data = index_data(entry, "<p>Đăng ký khai sinh tại Bộ phận Một cửa; Giấy đề nghị.</p>")
    assert data["title"] == {"text": "dang ki khai sinh 1.001193", "weight": 10.0}
    assert data["pairs"] == {"text": "dangki kikhai khaisinh", "weight": 10.0}
    tokens = ["lamgiaykhaisinh", "lamkhaisinh", "khaisinhchocon", "giaykhaisinh"]
    assert data["synonyms"]["text"].split() == tokens
    assert data["variants"] == "dang ki de"
    assert data["filters"] == [("kind", "Thủ tục hành chính"), ("agency", "Ủy ban nhân dân phường Nha Trang"),
                               ("field", "Hộ tịch"), ("level", "Cấp xã"), ("current", "yes")]
    assert ("code", "1.001193") in data["meta"]


def test_records_no_longer_in_force_are_marked_for_the_search_page() -> None:
    """The status shown in each result, and the hidden filter search.js lists old records last by."""
    old = index_data(IndexEntry("regulation", "Bảng giá đất", "Sở", status="Bị thay thế", current=False), "")
    assert ("current", "no") in old["filters"]
    assert ("status", "Bị thay thế") in old["meta"] and ("current", "no") in old["meta"]
    new = index_data(IndexEntry("regulation", "Bảng giá đất", "Sở", status="Còn hiệu lực"), "")
    assert ("current", "yes") in new["filters"]
    assert ("status", "Còn hiệu lực") in new["meta"] and not [v for k, v in new["meta"] if k == "current"]


def test_procedures_weigh_more_than_agencies_more_than_plans() -> None:
    def weight(kind: str, current: bool = True) -> float:
        return index_data(IndexEntry(kind, "x", "y", current=current), "")["title"]["weight"]

    assert weight("procedure") > weight("agency") > weight("plan") == weight("policy")
    assert weight("procedure", current=False) == weight("plan")  # a repealed procedure loses its boost


def test_filter_options_are_in_vietnamese_order() -> None:
    entries = [IndexEntry("plan", "a", "Sở Y tế", "Cấp tỉnh"),
               IndexEntry("procedure", "b", "Ủy ban", "Cấp xã", "Đất đai"),
               IndexEntry("procedure", "c", "Sở Tư pháp", "Cấp tỉnh", "Chứng thực")]
    menus = {m["key"]: m["options"] for m in filter_options(entries)}
    assert menus["kind"] == ["Thủ tục hành chính", "Kế hoạch"]
    assert menus["agency"] == ["Sở Tư pháp", "Sở Y tế", "Ủy ban"]
    assert menus["field"] == ["Chứng thực", "Đất đai"]


def test_short_steps() -> None:
    assert short("Nộp hồ sơ. Sau đó chờ kết quả.") == "Nộp hồ sơ."
    long = "Cán bộ " + "kiểm tra hồ sơ " * 30
    cut = short(long, 60)
    assert cut.endswith("…") and len(cut) <= 61 and long.startswith(cut[:-1])


def _modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an SVG from qr_svg draws (its path: relative moves, horizontal runs)."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for move, dx, dy, run in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", path.group(1)):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        dark.update((int(x) + i, int(y)) for i in range(int(run)))
        x += int(run)
    return dark


def test_channels_with_the_same_time_and_fees_share_a_row() -> None:
    fees = [{"name": "Lệ phí", "amount": 25000}]
    time = {"value": 7, "unit": "working_days"}
    rows = counter.channel_rows(tuple(map(channel, [
        {"method": "direct", "processing_time": time, "fees": fees},
        # Notes the sheet does not show do not split a row.
        {"method": "online", "url": "https://dichvucong.gov.vn/x",
         "fees": [{**fees[0], "note": "Trả trực tuyến"}],
         "processing_time": {**time, "note": "Tính từ khi nhận đủ hồ sơ"}},
        {"method": "postal", "processing_time": {"value": 10, "unit": "working_days"}, "fees": fees},
    ])))
    assert [(r["method"], r["where"], r["time"].text) for r in rows] == [
        ("Trực tiếp, trực tuyến", "dichvucong.gov.vn", "7 ngày làm việc"),
        ("Dịch vụ bưu chính", "", "10 ngày làm việc"),
    ]


def test_qr_code_is_segnos_matrix_and_decodes_to_the_url() -> None:
    url = "https://congkhai.khanhhoa.gov.vn/thu-tuc/phuong-nha-trang/1.001193-dang-ky-khai-sinh/"
    svg = qr_svg(url)
    assert svg.startswith('<svg viewBox="0 0 49 49" class="ck-qr">') and url not in svg
    code = segno.make_qr(url, error="m", mask=0)
    expected = {(x + 4, y + 4) for y, row in enumerate(code.matrix) for x, dark in enumerate(row) if dark}
    assert _modules(svg) == expected
    out = io.BytesIO()
    code.save(out, kind="png", scale=6)
    out.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(out).convert("L"))] == [url]


@pytest.mark.slow
def test_pages_rendered_by_several_workers_are_the_same(tmp_path: Path) -> None:
    """render_docs shares pages out between processes on a large site: same files, same bytes."""
    site = Site(prepare(publishable(check_repository(REPO, Settings(date(2026, 11, 26))))), DEFAULT_SITE_URL)
    one, two = tmp_path / "one", tmp_path / "two"
    render_docs(site, one, workers=1)
    render_docs(site, two, workers=2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert len(files) > 200 and any(f.name == "index.html" for f in files)  # counter sheets
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


# --- the build ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(small_site: Built) -> tuple[Corpus, Path]:
    """The valid fixtures and their site (conftest.small_site)."""
    return Corpus(load_repository(VALID)[0]), small_site.root


def test_every_record_page_and_nothing_else_is_indexed(built: tuple[Corpus, Path]) -> None:
    corpus, out = built
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["vi"]["page_count"] == len(corpus.records)
    bodies = {f.parent.relative_to(out).as_posix() for f in out.rglob("index.html")
              if "data-pagefind-body" in f.read_text(encoding="utf-8")}
    assert len(bodies) == len(corpus.records)
    assert not [b for b in bodies if b.endswith("niem-yet") or b == "tim-kiem" or b == "."]


def test_only_the_search_engine_is_published(built: tuple[Corpus, Path]) -> None:
    _, out = built
    names = {p.name for p in (out / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "index", "fragment", "filter"} <= names
    assert not names & set(pagefind.UNUSED_BUNDLE_FILES)
    assert not (out / "search" / "search_index.json").exists()  # Material's lunr index is gone


def test_counter_sheet_for_each_current_procedure(built: tuple[Corpus, Path]) -> None:
    corpus, out = built
    sheets = list(out.glob("thu-tuc/*/*/niem-yet/index.html"))
    current = [r for r in corpus.of_kind("procedure") if r.data.get("status") != "repealed"]
    assert len(sheets) == len(current)
    text = sheets[0].read_text(encoding="utf-8")
    assert '<svg viewBox="0 0' in text and "In trang này" in text
    procedure = sheets[0].parent.parent / "index.html"
    assert 'href="niem-yet/">In để niêm yết</a>' in procedure.read_text(encoding="utf-8")


@pytest.mark.slow
def test_failed_indexing_keeps_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "marker.txt").write_text("cũ", encoding="utf-8")
    (out / SITE_MARK).write_text("", encoding="utf-8")  # a site built before
    monkeypatch.setattr(pagefind, "pagefind_executable", lambda: tmp_path / "no-such-pagefind")
    with pytest.raises(PublishError, match="chỉ mục tìm kiếm"):
        build_site(prepare(Corpus(load_repository(VALID)[0])), out)
    assert sorted(p.name for p in out.iterdir()) == [SITE_MARK, "marker.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
