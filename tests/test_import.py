"""`congkhai import national-portal`: table parsers, conversion to catalogue entries, safe
writing, the command.

Every string below is written for these tests in the portal's flattened shape; none is taken
from the national data (tests/test_import_realdata.py reads that, when it is there).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Ran, run_cli
from jsonschema import Draft202012Validator, FormatChecker

from generator.importers.instruments import LEGAL_HEADER, instrument_numbers, own_date, parse_legal_basis
from generator.importers.money import remark_sums
from generator.importers.national_portal import AgencyMap, AgencyMapError, Conversion, Options, Skip, convert
from generator.importers.tables import (
    CHANNEL_HEADER,
    DOCUMENT_HEADER,
    dossier_sets,
    parse_applicants,
    parse_channels,
    parse_documents,
    parse_levels,
    parse_results,
    parse_steps,
    split_form_names,
)
from generator.importers.text import normalise
from generator.importers.writer import check_roundtrip, edited_since_import, render

SHARED = REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl"
URL = "https://dichvucong.gov.vn/thu-tuc/ma-vi-du"
FEE = "Phí, lệ phí"


def run_import(*args: str | Path) -> Ran:
    return run_cli("import", "national-portal", *args)


@cache
def catalogue_validator() -> Draft202012Validator:
    schema = json.loads((REPO / "schemas" / "catalogue.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker(["date"]))


def schema_errors(data: dict[str, Any]) -> set[tuple[str, str]]:
    """(path, keyword) of each way `data` fails the catalogue schema."""
    return {(".".join(map(str, e.absolute_path)), e.message if e.validator == "required" else e.validator)
            for e in catalogue_validator().iter_errors(data)}


def channels(rows: str, url: str | None = None) -> Any:
    return parse_channels(CHANNEL_HEADER + rows, url)


# --- submission methods: times -------------------------------------------------------------------

def test_channels_three_rows_with_units_fees_and_descriptions() -> None:
    parsed = channels("Trực tiếp10 Ngày làm việcMiễn phíNộp tại Bộ phận Một cửa xã"
                      "Trực tuyến10 Ngày làm việcMiễn phíNộp trên cổng, dịch vụ toàn trình"
                      "Dịch vụ bưu chính12 NgàyMiễn phí", URL)
    assert parsed.value == [
        {"method": "direct", "processing_time": {"value": 10, "unit": "working_days",
                                                 "note": "Nộp tại Bộ phận Một cửa xã"}, "fees": "Không"},
        {"method": "online", "url": URL, "online_level": "full",
         "processing_time": {"value": 10, "unit": "working_days",
                             "note": "Nộp trên cổng, dịch vụ toàn trình"}, "fees": "Không"},
        {"method": "postal", "processing_time": {"value": 12, "unit": "days"}, "fees": "Không"},
    ]
    assert not parsed.partial
    assert parsed.tally == {("channels[].processing_time", "parsed"): 3, ("channels[].fees", "parsed"): 3}


def test_channel_time_without_unit_keeps_the_value_and_leaves_the_unit_missing() -> None:
    assert channels("Trực tiếp4Miễn phí").value == [
        {"method": "direct", "processing_time": {"value": 4}, "fees": "Không"}]
    assert channels("Trực tiếp1,5 GiờMiễn phí").value[0]["processing_time"] == {"value": 1.5, "unit": "hours"}


def test_channel_placeholders_are_missing_and_an_orphan_description_goes_to_the_note() -> None:
    parsed = channels("Trực tiếpKhông có thông tinKhông có thông tin(Thu theo biểu phí)Gửi văn bản giấy")
    assert parsed.value == [{"method": "direct"}]
    assert [x.text for x in parsed.leftovers] == ["(Thu theo biểu phí)", "Gửi văn bản giấy"]
    assert parsed.tally == {("channels[].processing_time", "missing"): 1, ("channels[].fees", "missing"): 1}


def test_channel_time_in_words_is_kept_and_the_fee_still_read() -> None:
    parsed = channels("Trực tiếpKhông quy định thời hạnMiễn phíNộp tại trụ sở")
    assert parsed.value == [{"method": "direct", "fees": "Không"}]
    assert [(x.label, x.text) for x in parsed.leftovers] == [
        ("Thời hạn giải quyết (Trực tiếp)", "Không quy định thời hạn"),
        ("Mô tả cách thức (Trực tiếp)", "Nộp tại trụ sở")]


def test_method_words_inside_a_description_do_not_start_a_row() -> None:
    parsed = channels("Trực tiếp7 NgàyMiễn phíCó thể nộp Trực tuyến: qua cổng, hoặc Trực tiếp tại xã")
    assert len(parsed.value) == 1
    assert parsed.value[0]["processing_time"]["note"] == (
        "Có thể nộp Trực tuyến: qua cổng, hoặc Trực tiếp tại xã")


def test_online_channel_url_only_when_given_and_level_from_text() -> None:
    parsed = channels("Trực tuyến1 Ngày làm việcMiễn phíDịch vụ công một phần")
    assert parsed.value == [{"method": "online", "online_level": "partial",
                             "processing_time": {"value": 1, "unit": "working_days",
                                                 "note": "Dịch vụ công một phần"}, "fees": "Không"}]


# --- submission methods: fees against their remarks ------------------------------------------------

def test_fee_amount_agreeing_with_its_remark_keeps_the_remark() -> None:
    parsed = channels("Dịch vụ bưu chính2 Giờ25,000 Việt Nam Đồng"
                      "(Lệ phí cấp bản sao (tính cho mỗi bản): 25.000 đồng)Trả ngay trong buổi làm việc")
    assert parsed.value == [{
        "method": "postal",
        "processing_time": {"value": 2, "unit": "hours", "note": "Trả ngay trong buổi làm việc"},
        "fees": [{"name": FEE, "amount": 25000,
                  "note": "Lệ phí cấp bản sao (tính cho mỗi bản): 25.000 đồng"}],
    }]
    assert not parsed.disagreements


def test_fee_free_with_a_remark_naming_no_sum_is_free_with_that_remark() -> None:
    parsed = channels("Trực tiếp3 ThángMiễn phí(Miễn đối với hộ nghèo theo quy định)")
    assert parsed.value[0]["fees"] == [
        {"name": FEE, "amount": 0, "note": "Miễn đối với hộ nghèo theo quy định"}]
    assert channels("Trực tiếp3 ThángMiễn phí(Không)").value[0]["fees"] == "Không"
    assert not parsed.leftovers and not parsed.disagreements


def test_fee_free_whose_remark_names_sums_is_never_published_free() -> None:
    remark = "- Cấp mới: 40.000.000 đồng - Cấp lại: 12.000.000 đồng"
    parsed = channels(f"Trực tiếp12 Ngày làm việcMiễn phí({remark})Trong 12 ngày")
    fees = parsed.value[0]["fees"]
    assert fees == [{"name": FEE, "note": f"Miễn phí ({remark})"}]  # no amount: a clerk settles it
    assert parsed.tally[("channels[].fees", "disagreeing")] == 1
    assert parsed.disagreements == ["phí, dòng 1 (Trực tiếp): ghi 'Miễn phí' nhưng ghi chú nêu số tiền"]


def test_fee_cell_a_thousand_times_smaller_than_its_remark_takes_the_remark() -> None:
    parsed = channels("Trực tiếp7 Ngày làm việc150 VNĐ(150.000 đồng/lần/thẻ.)")
    assert parsed.value[0]["fees"] == [{"name": FEE, "amount": 150000, "note": "150.000 đồng/lần/thẻ."}]
    assert parsed.warnings == ["mức thu ghi theo nghìn đồng: lấy số tiền trong ghi chú"]
    assert parsed.tally[("channels[].fees", "parsed")] == 1


@pytest.mark.parametrize(("cell", "reason"), [
    ("50 VNĐ((áp dụng mức 25.000 đồng/hồ sơ đến hết năm))", "mức thu khác số tiền trong ghi chú"),
    ("145 VNĐ(Thẻ có thời hạn 2 năm: 145 USD/thẻ)", "ô phí ghi VNĐ nhưng ghi chú ghi USD"),
    ("850 VNĐ", "mức thu dưới 1.000 đồng mà không có ghi chú xác nhận"),
    ("15,000,000 VNĐ(Phí thẩm định 15.000.0000 đồng/lần)", "ghi chú có số tiền viết sai, không đọc được"),
])
def test_fee_whose_amount_and_remark_disagree_is_reported_not_guessed(cell: str, reason: str) -> None:
    parsed = channels(f"Dịch vụ bưu chính5 Ngày làm việc{cell}Trực tiếp5 Ngày làm việc30,000 VNĐ")
    fee = parsed.value[0]["fees"][0]
    assert "amount" not in fee and fee["note"].startswith(cell.split("(")[0])
    assert parsed.disagreements == [f"phí, dòng 1 (Dịch vụ bưu chính): {reason}"]
    assert parsed.value[1]["fees"] == [{"name": FEE, "amount": 30000}]


def test_fee_glued_to_a_time_without_unit_is_split_by_the_remark() -> None:
    parsed = channels("Trực tuyến120 VNĐ(20.000 đồng/tờ khai)Trực tiếp220 VNĐ(lệ phí 20.000 đồng/tờ khai.)")
    assert [c["processing_time"] for c in parsed.value] == [{"value": 1}, {"value": 2}]
    assert [c["fees"][0]["amount"] for c in parsed.value] == [20000, 20000]
    # Thousands grouping leaves one reading even without a remark: 1 and 100,000.
    assert channels("Trực tiếp1100,000 VNĐ").value == [
        {"method": "direct", "processing_time": {"value": 1}, "fees": [{"name": FEE, "amount": 100000}]}]


def test_fee_glued_to_a_time_with_two_readings_stays_as_written() -> None:
    parsed = channels("Trực tiếp1250 VNĐ")  # 1 and 250, or 12 and 50: not guessed
    assert parsed.value == [{"method": "direct"}]
    assert [(x.label, x.text) for x in parsed.leftovers] == [("Cách thức thực hiện (Trực tiếp)", "1250 VNĐ")]
    assert parsed.tally == {("channels[].processing_time", "note"): 1, ("channels[].fees", "note"): 1}


def test_fee_in_usd_keeps_its_amount_and_currency() -> None:
    parsed = channels("Trực tiếp5 Ngày làm việc40 USD(Mỗi thị thực)")
    assert parsed.value[0]["fees"] == [{"name": FEE, "amount": 40, "currency": "USD", "note": "Mỗi thị thực"}]
    assert not parsed.disagreements


def test_remark_sums_read_grouped_decimal_and_mistyped_amounts() -> None:
    assert remark_sums("20.000Đ/tờ, 10 triệu đồng, dưới 2,1 tỷ đồng; 5 USD") == (
        {20000, 10_000_000, 2_100_000_000}, {"5"}, False)
    assert remark_sums("3000.000 đồng (cấp lại)")[2] is True
    assert remark_sums("Thông tư 64/2025/TT-BTC ngày 30/6/2025, điểm 1.2") == (set(), set(), False)


# --- dossier documents -------------------------------------------------------------------------

def documents(text: str) -> Any:
    return parse_documents("--" + DOCUMENT_HEADER + text)


def test_documents_counts_and_empty_section_title() -> None:
    parsed = documents("Tờ khai đề nghị cấp giấy phép1 bản chính"
                       "Giấy tờ chứng minh nơi cư trú0 bản chính,1 bản sao- Ảnh chân dung cỡ 4x61 bản chính")
    assert parsed.value == [
        {"name": "Tờ khai đề nghị cấp giấy phép", "originals": 1, "copies": 0},
        {"name": "Giấy tờ chứng minh nơi cư trú", "originals": 0, "copies": 1},
        {"name": "Ảnh chân dung cỡ 4x6", "originals": 1, "copies": 0},
    ]
    # "4x61 bản chính": the split between name and count is a guess, so it is counted.
    assert not parsed.leftovers and parsed.warnings == ["số lượng bản dính liền với chữ số cuối tên giấy tờ"]
    assert parsed.tally == {("documents[]", "parsed"): 3}


def test_documents_section_titles_and_heading_items_become_notes() -> None:
    text = ("* Giấy tờ phải nộp:" + DOCUMENT_HEADER + "Đơn đề nghị1 bản chính"
            "Trường hợp thuê đất, nộp thêm các giấy tờ sau:0 bản chính+ Hợp đồng thuê0 bản chính,1 bản sao"
            "* Giấy tờ phải xuất trình:" + DOCUMENT_HEADER + "Thẻ căn cước0 bản chính,1 bản sao")
    docs = parse_documents(text).value
    assert [(d["name"], d["note"]) for d in docs] == [
        ("Đơn đề nghị", "Nhóm giấy tờ: * Giấy tờ phải nộp:"),
        ("Hợp đồng thuê", "Nhóm giấy tờ: * Giấy tờ phải nộp:\n"
                          "Nhóm giấy tờ: Trường hợp thuê đất, nộp thêm các giấy tờ sau:"),
        ("Thẻ căn cước", "Nhóm giấy tờ: * Giấy tờ phải xuất trình:")]


def test_document_title_ending_in_a_date_glued_to_its_count() -> None:
    parsed = documents("Báo cáo theo mẫu ban hành kèm Thông tư 07/2024/TT-BXX ngày 05/3/20241 bản chính")
    assert parsed.value == [
        {"name": "Báo cáo theo mẫu ban hành kèm Thông tư 07/2024/TT-BXX ngày 05/3/2024",
         "originals": 1, "copies": 0}]
    assert parsed.warnings  # the split was a guess: counted in the report


@pytest.mark.parametrize("name", [
    "Văn bản cam kết (01 bản chính) của chủ hộ",
    "Tờ khai hải quan: 02 bản chính",
    "Tờ khai hải quan: 02 bản chính.",
    "Hoá đơn thương mại: 01 bản chính, và 01 bản sao;",
    "Tờ khai nhập khẩu: 02 bản chính. Tại ô ghi chú, ghi rõ số tờ khai tạm nhập;",
])
def test_document_name_quoting_a_count_is_one_document(name: str) -> None:
    parsed = documents(f"{name}1 bản chínhBiên bản họp0 bản chính,2 bản sao")
    assert [(d["name"], d["originals"], d["copies"]) for d in parsed.value] == [
        (name, 1, 0), ("Biên bản họp", 0, 2)]


def test_document_without_words_is_kept_in_the_note_not_as_a_document() -> None:
    parsed = documents("Đơn đề nghị1 bản chính.1 bản chính+ Tờ khai: 01 bản chính;1 bản chính--")
    assert [d["name"] for d in parsed.value] == ["Đơn đề nghị", "Tờ khai: 01 bản chính;"]
    assert [x.text for x in parsed.leftovers] == [".1 bản chính"]
    assert parsed.tally == {("documents[]", "parsed"): 2, ("documents[]", "note"): 1}


def test_document_bullets_are_signs_not_names() -> None:
    parsed = documents("+) Khi nộp tại xã, giấy xác nhận nơi cư trú0 bản chính,1 bản sao")
    assert parsed.value[0]["name"] == "Khi nộp tại xã, giấy xác nhận nơi cư trú"


def test_document_form_file_name_goes_to_the_note() -> None:
    docs = documents("Tờ khai theo Mẫu số 03;Mau so 03 - to khai.docx1 bản chính").value
    assert docs == [{"name": "Tờ khai theo Mẫu số 03;", "originals": 1, "copies": 0,
                     "note": "Mẫu đơn, tờ khai: Mau so 03 - to khai.docx"}]
    assert split_form_names("Đơn xin cấp lạiDon-cap-lai.docMau-phu.pdf") == (
        "Đơn xin cấp lại", ["Don-cap-lai.doc", "Mau-phu.pdf"])
    assert split_form_names("Bản sao hợp đồng.") == ("Bản sao hợp đồng.", [])


def test_dossier_sets_item_is_no_document_and_unparsed_text_is_kept() -> None:
    parsed = documents("Đơn đăng ký1 bản chính* Số lượng hồ sơ: 01 (một) bộ0 bản chính"
                       "Ghi chú cuối bảng không có số lượng")
    assert [d["name"] for d in parsed.value] == ["Đơn đăng ký"]
    assert [x.text for x in parsed.leftovers] == ["Ghi chú cuối bảng không có số lượng"]
    # A section title heading no document (its only item was the number of sets) goes to the note.
    titled = parse_documents("--" + DOCUMENT_HEADER + "Đơn đăng ký1 bản chính2) Số lượng hồ sơ:"
                             + DOCUMENT_HEADER + "2) Số lượng hồ sơ: 01 (bộ)0 bản chính")
    assert [d["name"] for d in titled.value] == ["Đơn đăng ký"]
    assert [x.text for x in titled.leftovers] == ["2) Số lượng hồ sơ:"]
    no_table = parse_documents("Hồ sơ gồm đơn và bản sao giấy tờ")
    assert no_table.value is None and no_table.leftovers[0].text == "Hồ sơ gồm đơn và bản sao giấy tờ"


@pytest.mark.parametrize(("texts", "expected"), [
    (["Số lượng hồ sơ: 01 (một) bộ."], (1, "")),
    (["2/ Số lượng hồ sơ: 02 (bộ)0 bản chính"], (2, "")),
    (["* Số lượng hồ sơ: 01 bộTên giấy tờ"], (1, "")),
    (["Đơn1 bản chính", "Bước 1: nộp hồ sơ.\n- Số lượng hồ sơ: 03 bộ."], (3, "")),
    (["Số lượng hồ sơ: 02 bộ (01 bộ bản tiếng Việt và 01 bộ bản tiếng Anh)"], (2, "")),
    (["Số lượng hồ sơ: 01 bộ đối với nộp trực tuyến (02 bộ đối với nộp trực tiếp)"],
     (None, "Số lượng hồ sơ: 01 bộ đối với nộp trực tuyến (02 bộ đối với nộp trực tiếp)")),
    (["Số lượng hồ sơ: 01 bộ.", "Số lượng hồ sơ: 02 bộ."],
     (None, "Số lượng hồ sơ: 01 bộ.; Số lượng hồ sơ: 02 bộ.")),
    (["Số lượng hồ sơ: 01 bản chụp."], (None, "")),
])
def test_dossier_sets_wherever_stated(texts: list[str], expected: tuple[int | None, str]) -> None:
    assert dossier_sets(*texts) == expected


# --- legal basis -------------------------------------------------------------------------------

def legal(text: str, known: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    return parse_legal_basis(LEGAL_HEADER + text, known).value


def test_legal_basis_title_followed_by_number() -> None:
    assert legal("Luật Hộ tịch60/2014/QH13Nghị định quy định chi tiết một số điều của Luật"
                 "123/2015/NĐ-CPQuyết định phê duyệt đề án319/QĐ-TTg") == [
        {"number": "60/2014/QH13", "title": "Luật Hộ tịch"},
        {"number": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết một số điều của Luật"},
        {"number": "319/QĐ-TTg", "title": "Quyết định phê duyệt đề án"},
    ]


def test_legal_title_ending_in_its_number_or_a_year() -> None:
    parsed = parse_legal_basis(LEGAL_HEADER + "Nghị định 45/2020/NĐ-CP về thủ tục điện tử45/2020/NĐ-CP"
                               "Thông tư 08/2023/TT-BXX08/2023/TT-BXX"
                               "Luật Trồng trọt năm 201831/2018/QH14"
                               "Luật sửa đổi luật đất đaiLuật số 43/2024/QH15")
    assert parsed.value == [
        {"number": "45/2020/NĐ-CP", "title": "Nghị định 45/2020/NĐ-CP về thủ tục điện tử"},
        {"number": "08/2023/TT-BXX", "title": "Thông tư 08/2023/TT-BXX"},
        {"number": "31/2018/QH14", "title": "Luật Trồng trọt năm 2018"},
        {"number": "43/2024/QH15", "title": "Luật sửa đổi luật đất đai"},
    ]
    assert not parsed.leftovers


def test_legal_number_followed_by_a_lower_case_title() -> None:
    rows = legal("Thông tư hướng dẫn12/2025/TT-NHNNsửa đổi quy định về hồ sơ07/2026/TT-NHNN")
    assert [r["number"] for r in rows] == ["12/2025/TT-NHNN", "07/2026/TT-NHNN"]


def test_legal_number_followed_by_an_all_caps_title_with_accented_capitals() -> None:
    rows = legal("Nghị định mẫu30/2013/NĐ-CPLUẬT HÀNG KHÔNG MẪU66/2006/QH11"
                 "Thông tư mẫu04/2015/TT-BCAQUY ĐỊNH MỨC THU PHÍ MẪU25/2021/TT-BTC"
                 "Quyết định mẫu12/2020/QĐ-TTgTHÔNG TƯ MẪU09/2019/TT-BXX")
    assert [(r["number"], r["title"]) for r in rows] == [
        ("30/2013/NĐ-CP", "Nghị định mẫu"), ("66/2006/QH11", "LUẬT HÀNG KHÔNG MẪU"),
        ("04/2015/TT-BCA", "Thông tư mẫu"), ("25/2021/TT-BTC", "QUY ĐỊNH MỨC THU PHÍ MẪU"),
        ("12/2020/QĐ-TTg", "Quyết định mẫu"), ("09/2019/TT-BXX", "THÔNG TƯ MẪU")]


def test_legal_numbers_glued_to_years_repetitions_and_the_next_title() -> None:
    rows = legal("Luật số 43/2024/QH15 ngày 29/6/202443/2024/QH15"
                 "Sửa đổi pháp lệnh mẫu04/2012/UBTVQH1326/2005/PL-UBTVQH11 - Pháp lệnh mẫu26/2005/PL-UBTVQH11"
                 "Luật Nhà ở số 27/2023/QH1527/2023/QH15 sửa đổi nghị định mẫu.54/2026/NĐ-CP"
                 "Nghị quyết mẫu66.7/2025/NQ-CP")
    assert [r["number"] for r in rows] == [
        "43/2024/QH15", "04/2012/UBTVQH13", "26/2005/PL-UBTVQH11", "27/2023/QH15", "54/2026/NĐ-CP",
        "66.7/2025/NQ-CP"]
    assert rows[2]["title"] == "26/2005/PL-UBTVQH11 - Pháp lệnh mẫu"


def test_legal_title_cell_holding_only_the_number_is_one_row() -> None:
    rows = legal("Nghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CPThủ tục mẫu118/2025/NĐ-CP"
                 "73/2025/TT-NHNNSố 73/2025/TT-NHNNThông tư mẫu31/2025/TT_BCAVề an ninh mẫu92/2015/NĐ-CP")
    assert rows == [
        {"number": "101/2024/NĐ-CP", "title": "Nghị định 101/2024/NĐ-CP"},
        {"number": "118/2025/NĐ-CP", "title": "Thủ tục mẫu"},
        {"number": "73/2025/TT-NHNN", "title": "73/2025/TT-NHNN"},
        {"number": "31/2025/TT_BCA", "title": "Thông tư mẫu"},  # as written, not cut at "_"
        {"number": "92/2015/NĐ-CP", "title": "Về an ninh mẫu"}]


def test_legal_number_as_its_title_quotes_it_when_the_next_title_lost_a_letter() -> None:
    rows = legal("Thông tư số 60/2023/TT-BTC ngày 07/9/2023 về lệ phí mẫu60/2023/TT-BTChông tư mẫu"
                 "06/2025/TT-BTCThông tư số 29/2025/TT-BTCTT29/2025Thông tư mẫu191/2015/TT-BTC")
    assert [r["number"] for r in rows] == [
        "60/2023/TT-BTC", "06/2025/TT-BTC", "29/2025/TT-BTC", "191/2015/TT-BTC"]
    # ("số" before a number is the number column's: "Thông tư số" + "29/…" keeps the number.)
    assert [r["title"] for r in rows[1:]] == ["hông tư mẫu", "Thông tư", "TT29/2025Thông tư mẫu"]


def test_legal_issuer_end_read_from_where_the_source_writes_it_cleanly() -> None:
    text = "Nghị định mẫu35/2023/NĐ-CPhướng dẫn mẫu48/VBHN-VPQH"
    assert legal(text)[0]["number"] == "35/2023/NĐ-C"  # "Ph…" may start a word
    assert [r["number"] for r in legal(text, frozenset({"NĐ-CP"}))] == ["35/2023/NĐ-CP", "48/VBHN-VPQH"]
    assert [r["number"] for r in legal("Luật mẫu 12/2020/NĐ-CP ngày 01/01/2020; " + text)] == [
        "35/2023/NĐ-CP", "48/VBHN-VPQH"]
    assert instrument_numbers("Thông tư 07/2021/TT-NHNNsố") == [(9, 24)]


def test_legal_dates_are_the_instruments_own() -> None:
    rows = legal("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ45/2020/NĐ-CP"
                 "Luật Mẫu ngày 18 tháng 01 năm 202431/2024/QH15"
                 "Sửa đổi Nghị định số 06/2022/NĐ-CP ngày 07/01/2022 về mẫu119/2025/NĐ-CP"
                 "Nghị định mẫu (có hiệu lực từ ngày 11/10/2023)74/2023/NĐ-CP")
    assert [r.get("date") for r in rows] == ["2020-04-08", "2024-01-18", None, None]
    assert own_date("Thông tư số 12/2020/TT-BXX ngày 05/02/2021", "12/2020/TT-BXX") == (
        None, "năm của ngày trong tên khác năm trong số hiệu")
    assert own_date("Thông tư số 31/2025/TT-BXX ngày 21/4/2025", "31/2025/TT_BXX") == ("2025-04-21", "")


def test_legal_basis_missing_and_unparsed() -> None:
    assert parse_legal_basis("Không có thông tin").value is None
    parsed = parse_legal_basis(LEGAL_HEADER + "Luật Hộ tịch60/2014/QH13Hiến pháp năm hai nghìn")
    assert parsed.value == [{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}]
    assert [x.text for x in parsed.leftovers] == ["Hiến pháp năm hai nghìn"]


# --- results, steps, levels, applicants --------------------------------------------------------

def test_results_without_page_chrome_and_codes_kept_in_note() -> None:
    parsed = parse_results("Giấy phép hoạt độngMã: KQ.G99.000001Văn bản trả lời nêu rõ lý doMã: KQ.G99.000002"
                           "Từ khóaKhông có thông tinMô tảKhông có thông tin"
                           "Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ")
    assert parsed.value == "Giấy phép hoạt động\nVăn bản trả lời nêu rõ lý do"
    assert [(x.label, x.text) for x in parsed.leftovers] == [("Mã kết quả", "KQ.G99.000001, KQ.G99.000002")]
    assert parse_results("").value is None
    described = parse_results("Quyết định công nhậnMã: KQ.G99.000003"
                              "Từ khóaKhông có thông tinMô tảCó hiệu lực 5 năm")
    assert ("Mô tả kết quả", "Có hiệu lực 5 năm") in [(x.label, x.text) for x in described.leftovers]


def test_steps_split_on_step_headings_and_bullets() -> None:
    assert parse_steps("Bước 1: Nộp hồ sơ\n\nGhi rõ số điện thoại\nBước 2: Nhận kết quả").value == [
        "Bước 1: Nộp hồ sơ\nGhi rõ số điện thoại", "Bước 2: Nhận kết quả"]
    bullets = "- Tổ chức nộp hồ sơ\n+ nộp trực tiếp\n+ nộp qua bưu chính\n- Cơ quan trả kết quả"
    assert parse_steps(bullets).value == ["Tổ chức nộp hồ sơ\n+ nộp trực tiếp\n+ nộp qua bưu chính",
                                          "Cơ quan trả kết quả"]
    assert parse_steps("Bước 1. Chuẩn bị hồ sơ theo Bước 3. Bước 2. Nộp hồ sơ").value == [
        "Bước 1. Chuẩn bị hồ sơ theo Bước 3.", "Bước 2. Nộp hồ sơ"]
    assert parse_steps("Cá nhân gửi đơn đến cơ quan có thẩm quyền.").value == [
        "Cá nhân gửi đơn đến cơ quan có thẩm quyền."]
    assert parse_steps("Không có thông tin").value is None


def test_steps_split_at_every_inline_step_marker() -> None:
    text = ("Bước 1 Tiếp nhận hồ sơ.\nBước 2 Chuyển phòng chuyên môn.Bước 3 Thẩm định hồ sơ và ký\n"
            "nháyBước 4 Ký duyệt kết quả tại bước B3. Bước 5 Trả kết quả.")
    assert parse_steps(text).value == [
        "Bước 1 Tiếp nhận hồ sơ.", "Bước 2 Chuyển phòng chuyên môn.", "Bước 3 Thẩm định hồ sơ và ký nháy",
        "Bước 4 Ký duyệt kết quả tại bước B3.", "Bước 5 Trả kết quả."]
    enumerated = parse_steps("a) Bước 1: Nộp hồ sơ.\nb) Bước 2: Nhận kết quả.").value
    assert enumerated == ["a) Bước 1: Nộp hồ sơ.", "b) Bước 2: Nhận kết quả."]
    outlined = parse_steps("6.1.1. Bước 1 nộp hồ sơ.\n6.1.2. Bước 2 thẩm định.").value
    assert outlined == ["6.1.1. Bước 1 nộp hồ sơ.", "6.1.2. Bước 2 thẩm định."]


def test_steps_introduction_before_the_first_marker() -> None:
    assert parse_steps("Trình tự thực hiện:\nBước 1: Nộp.\nBước 2: Nhận.").value == [
        "Trình tự thực hiện:\nBước 1: Nộp.", "Bước 2: Nhận."]
    assert parse_steps(". Bước 1. Nộp.\nBước 2. Nhận.").value == [". Bước 1. Nộp.", "Bước 2. Nhận."]
    assert parse_steps("Thủ tục áp dụng cho xe mẫu.\nBước 1: Nộp.\nBước 2: Nhận.").value == [
        "Thủ tục áp dụng cho xe mẫu.", "Bước 1: Nộp.", "Bước 2: Nhận."]


def test_steps_never_split_at_a_line_wrapped_in_mid_sentence() -> None:
    text = ("a) Nộp hồ sơ: Tổ chức gửi văn bản đề nghị đến\nBộ Mẫu.\n"
            "b) Giải quyết: Căn cứ kế hoạch,\nquy hoạch, Bộ Mẫu xem\nxét hồ sơ trong 05 ngày.\n-\n"
            "Trường hợp không chấp\nthuận, Bộ Mẫu trả lời bằng văn bản.\n6.1.1.\nThông báo kết quả.")
    assert parse_steps(text).value == [
        "a) Nộp hồ sơ: Tổ chức gửi văn bản đề nghị đến\nBộ Mẫu.",
        "b) Giải quyết: Căn cứ kế hoạch, quy hoạch, Bộ Mẫu xem xét hồ sơ trong 05 ngày.",
        "Trường hợp không chấp thuận, Bộ Mẫu trả lời bằng văn bản.",
        "6.1.1. Thông báo kết quả."]
    inside = parse_steps("Bước 1: Nộp hồ sơ tại\nxã.\nBước 2: Nhận.").value
    assert inside == ["Bước 1: Nộp hồ sơ tại xã.", "Bước 2: Nhận."]


def test_levels_keep_every_level_and_other_words_in_the_note() -> None:
    parsed = parse_levels("Cấp tỉnh, Cấp xã, Cơ quan khác")
    assert parsed.value == ["province", "commune"]
    assert [(x.label, x.text) for x in parsed.leftovers] == [("Cấp thực hiện (khác)", "Cơ quan khác")]
    assert parse_levels("Cấp xã, Cấp bộ").value == ["commune", "central"]
    assert parse_levels("Cơ quan khác").value is None


def test_applicants_categories_may_contain_commas() -> None:
    assert parse_applicants("Tổ chức (trừ doanh nghiệp, hợp tác xã), Cán bộ, công chức, viên chức, "
                            "Công dân Việt Nam").value == [
        "Tổ chức (trừ doanh nghiệp, hợp tác xã)", "Cán bộ, công chức, viên chức", "Công dân Việt Nam"]


def test_normalise_keeps_every_character_of_content() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert normalise(f"\ufeff{decomposed}\u00a0lần\u200b đầu\u200e\r\n") == "Đăng ký khai sinh lần đầu"


# --- the agency map ---------------------------------------------------------------------------------

def test_agency_names_split_at_commas_that_start_a_name() -> None:
    names = AgencyMap().split("Sở Mẫu, Cục Cảnh sát quản lý hành chính về trật tự, xã hội, "
                              "Ủy ban Nhân dân xã,\u00a0phường,\u00a0thị trấn.")
    assert names == ["Sở Mẫu", "Cục Cảnh sát quản lý hành chính về trật tự, xã hội",
                     "Ủy ban Nhân dân xã, phường, thị trấn."]
    known = AgencyMap({AgencyMap.key("Bộ Văn hóa, Thể thao và Du lịch"): ("bo-vhttdl",)})
    assert known.split("Bộ Văn hóa, Thể thao và Du lịch, Sở Mẫu") == [
        "Bộ Văn hóa, Thể thao và Du lịch", "Sở Mẫu"]
    assert AgencyMap().split("Bộ Văn hóa, Thể thao và Du lịch") == ["Bộ Văn hóa", "Thể thao và Du lịch"]


def test_agency_map_file_names_to_ids(tmp_path: Path) -> None:
    path = tmp_path / "co-quan.yaml"
    path.write_text("Sở Mẫu: so-mau\n'Uỷ ban nhân dân cấp tỉnh.': [ubnd-tinh, van-phong-ubnd]\n"
                    "Bộ Mẫu: []\n", encoding="utf-8")
    agency_map = AgencyMap.load(path)
    assert agency_map.ids[AgencyMap.key("ỦY BAN NHÂN DÂN CẤP TỈNH")] == ("ubnd-tinh", "van-phong-ubnd")
    assert agency_map.ids[AgencyMap.key("Bộ Mẫu")] == ()


@pytest.mark.parametrize(("text", "message"), [
    ("Sở Mẫu: Sở Mẫu\n", "dòng 1: 'Sở Mẫu' phải ứng với một mã cơ quan"),
    ("Sở Mẫu: so-mau\nBộ Mẫu: [bo-mau, 3]\n", "dòng 2: 'Bộ Mẫu' phải ứng với"),
    ("Sở Mẫu: " + "a" * 101 + "\n", "dòng 1: 'Sở Mẫu' phải ứng với"),
    ("- so-mau\n", "cần một bảng 'tên cơ quan: mã cơ quan'"),
    ("Sở Mẫu: so-mau\nSở Mẫu: so-khac\n", "dòng 2"),
    ("Sở Mẫu: [so-mau\n", "dòng"),
])
def test_agency_map_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "co-quan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AgencyMapError, match=message.replace("[", r"\[")):
        AgencyMap.load(path)


# --- one record --------------------------------------------------------------------------------

def source(**overrides: str) -> dict[str, str]:
    record = {
        "ma_thu_tuc": "9.000001", "detail_url": URL, "ten_thu_tuc": "Cấp giấy phép thử  nghiệm",
        "so_quyet_dinh": "12/QĐ-UBND", "cap_thuc_hien": "Cấp tỉnh, Cấp xã", "loai_thu_tuc": "Thủ tục mẫu",
        "linh_vuc": "Thử nghiệm", "doi_tuong_thuc_hien": "Công dân Việt Nam, Cán bộ, công chức, viên chức",
        "co_quan_co_tham_quyen": "", "co_quan_thuc_hien": "Sở Thử nghiệm, Ủy ban nhân dân cấp xã",
        "dia_chi_tiep_nhan": "", "trinh_tu_thuc_hien": "Bước 1: Nộp\nBước 2: Nhận",
        "cach_thuc_thuc_hien": CHANNEL_HEADER + "Trực tiếp2 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": ("--" + DOCUMENT_HEADER
                             + "Đơn đề nghị1 bản chính* Số lượng hồ sơ: 01 bộ0 bản chính"),
        "can_cu_phap_ly": LEGAL_HEADER + "Luật Thử nghiệm ngày 01/02/202410/2024/QH15",
        "yeu_cau_dieu_kien": "Không có thông tin", "ket_qua_xu_ly": "Giấy phépMã: KQ.G99.000009",
        "ministry_folder": "bo-thu-nghiem", "co_quan_phoi_hop": "", "co_quan_duoc_uy_quyen": "",
        "thu_tuc_lien_quan": "Không có thông tin", "formality_id": "",
    }
    return record | overrides


MAP = AgencyMap({AgencyMap.key("Sở Thử nghiệm"): ("so-thu-nghiem",)})


def test_convert_writes_a_catalogue_entry() -> None:
    converted = convert(source(), Options(updated="2026-01-02", agency_map=MAP))
    assert isinstance(converted, Conversion)
    data = converted.data
    assert list(data) == ["code", "name", "levels", "implemented_by", "agency_names", "field", "announcement",
                          "applicants", "steps", "channels", "documents", "dossier_sets", "result",
                          "legal_basis", "source_url", "note", "updated"]
    assert data["levels"] == ["province", "commune"]
    assert data["implemented_by"] == {"level": "commune", "agencies": ["so-thu-nghiem"]}
    assert data["agency_names"] == ["Sở Thử nghiệm", "Ủy ban nhân dân cấp xã"]
    assert converted.unmapped == ["Ủy ban nhân dân cấp xã"]
    assert data["applicants"] == ["Công dân Việt Nam", "Cán bộ, công chức, viên chức"]
    assert data["dossier_sets"] == 1 and [d["name"] for d in data["documents"]] == ["Đơn đề nghị"]
    assert data["legal_basis"] == [{"number": "10/2024/QH15", "title": "Luật Thử nghiệm ngày 01/02/2024",
                                    "date": "2024-02-01"}]
    assert data["source_url"] == URL and data["updated"] == "2026-01-02"
    assert "Loại thủ tục: Thủ tục mẫu" in data["note"] and "Mã kết quả: KQ.G99.000009" in data["note"]
    # Only what the national data lacks is missing: the announcement's date and the requirements.
    assert schema_errors(data) == {("announcement", "'date' is a required property"),
                                   ("", "'requirements' is a required property")}


def test_convert_tally_per_field() -> None:
    converted = convert(source(), Options(updated="2026-01-02"))
    assert isinstance(converted, Conversion)
    tally = converted.tally
    assert tally[("levels", "parsed")] == tally[("implemented_by", "parsed")] == 1
    assert tally[("requirements", "missing")] == tally[("announcement.date", "missing")] == 1
    assert tally[("legal_basis[].date", "parsed")] == tally[("dossier_sets", "parsed")] == 1
    assert converted.unmapped == ["Sở Thử nghiệm", "Ủy ban nhân dân cấp xã"]


def test_convert_central_procedure_without_a_mapped_agency_has_no_implementer() -> None:
    converted = convert(source(cap_thuc_hien="Cấp bộ, Cơ quan khác", co_quan_thuc_hien="Không có thông tin"),
                        Options(updated="2026-01-02", agency_map=MAP))
    assert isinstance(converted, Conversion)
    assert "implemented_by" not in converted.data and "agency_names" not in converted.data
    assert "Cấp thực hiện (khác): Cơ quan khác" in converted.data["note"]
    assert converted.tally[("levels", "note")] == converted.tally[("implemented_by", "missing")] == 1


def test_convert_level_filter_and_refusals() -> None:
    options = Options(updated="2026-01-02", levels=frozenset({"commune"}))
    assert isinstance(convert(source(), options), Conversion)
    assert isinstance(convert(source(cap_thuc_hien="Cấp bộ"), options), Skip)
    assert isinstance(convert(source(ma_thu_tuc="../../etc/passwd"), options), Skip)
    assert isinstance(convert(source(ma_thu_tuc="9.000001/../x"), options), Skip)


def test_rendered_file_loads_back_and_records_its_hash() -> None:
    data = convert(source(), Options(updated="2026-01-02")).data  # type: ignore[union-attr]
    text = render(data)
    assert text.startswith("# Nhập từ Cổng Dịch vụ công quốc gia\n# congkhai-import: sha256=")
    assert check_roundtrip(text, data) is None
    assert "code: '9.000001'" in text  # a code that looks like a number stays a string
    assert not edited_since_import(text)
    assert edited_since_import(text.replace("Thử nghiệm", "Thử nghiệm đã sửa"))
    assert edited_since_import("code: '9.000001'\n")


# --- the command -------------------------------------------------------------------------------

def write_source(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_source(tmp_path / "nguon.jsonl", [
        source(),
        source(ma_thu_tuc="9.000002", co_quan_thuc_hien="Không có thông tin", cap_thuc_hien="Cấp bộ"),
        source(ma_thu_tuc="9.000003", yeu_cau_dieu_kien="Có đủ năng lực hành vi dân sự",
               cach_thuc_thuc_hien=CHANNEL_HEADER
               + "Trực tiếp5 Ngày làm việcMiễn phí(Mức thu 50.000 đồng/lần)"),
        source(ma_thu_tuc="../9.000004"),
    ])


@pytest.fixture
def agency_map(tmp_path: Path) -> Path:
    path = tmp_path / "bang-ma-co-quan.yaml"
    path.write_text("Sở Thử nghiệm: so-thu-nghiem\n", encoding="utf-8")
    return path


def test_import_writes_catalogue_entries_and_a_report(small: Path, agency_map: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    done = run_import(small, "--root", out, "--agency-map", agency_map, "--updated", "2026-01-02",
                      "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["records_read"], report["written"]) == (4, 3)
    assert report["skipped"] == {"mã thủ tục không hợp lệ": 1}
    assert report["fields"]["requirements"] == {"label": "Yêu cầu, điều kiện", "unit": "bản ghi",
                                                "parsed": 1, "note": 0, "disagreeing": 0, "missing": 2}
    assert report["fields"]["channels[].fees"] | {"label": "", "unit": ""} == {
        "label": "", "unit": "", "parsed": 2, "note": 0, "disagreeing": 1, "missing": 0}
    assert report["disagreements"] == [
        "9.000003: phí, dòng 1 (Trực tiếp): ghi 'Miễn phí' nhưng ghi chú nêu số tiền"]
    assert report["unmapped_agency_names"] == {"Ủy ban nhân dân cấp xã": 2}
    assert report["agencies"] == report["agencies_without_hotline"] == ["so-thu-nghiem"]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml"))
    assert written == ["catalogue/9.000001.yaml", "catalogue/9.000002.yaml", "catalogue/9.000003.yaml"]
    entries = {p.stem: load(p) for p in (out / "catalogue").iterdir()}
    assert entries["9.000002"]["levels"] == ["central"] and "implemented_by" not in entries["9.000002"]
    # What validation will ask a clerk for: the national data's gaps and the unsettled fee.
    assert schema_errors(entries["9.000001"]) == {
        ("announcement", "'date' is a required property"), ("", "'requirements' is a required property")}
    assert schema_errors(entries["9.000002"]) == {
        ("announcement", "'date' is a required property"), ("", "'requirements' is a required property"),
        ("", "'implemented_by' is a required property")}
    assert schema_errors(entries["9.000003"]) == {
        ("announcement", "'date' is a required property"),
        ("channels.0.fees.0", "'amount' is a required property")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang-ma-co-quan.yaml", "kho", "nguon.jsonl"]


def load(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_import_text_report_is_vietnamese(small: Path, tmp_path: Path) -> None:
    done = run_import(small, "--out", tmp_path / "kho", "--updated", "2026-01-02")
    assert done.returncode == 0
    for said in ("Đã đọc 4 bản ghi", "Bỏ qua 1 bản ghi: mã thủ tục không hợp lệ", "giữ trong note",
                 "1 giá trị mâu thuẫn, không đoán, cần cán bộ xem lại",
                 "2 tên cơ quan thực hiện chưa có trong bảng mã cơ quan"):
        assert said in done.stdout


def test_import_is_deterministic_and_refuses_to_clobber_edits(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    assert run_import(small, "--root", out, "--updated", "2026-01-02").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.yaml")}
    again = run_import(small, "--root", out, "--updated", "2026-01-02", "--format", "json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["outcomes"]["unchanged"] == 3
    assert {p: p.read_bytes() for p in out.rglob("*.yaml")} == before

    edited = out / "catalogue" / "9.000001.yaml"
    edited.write_text(edited.read_text("utf-8").replace("Thử nghiệm", "Thử nghiệm (đã rà soát)"), "utf-8")
    kept = edited.read_bytes()
    refused = run_import(small, "--root", out, "--updated", "2026-01-03", "--format", "json")
    assert refused.returncode == 1
    report = json.loads(refused.stdout)
    assert report["outcomes"]["refused"] == 1 and report["outcomes"]["updated"] == 2
    assert edited.read_bytes() == kept
    assert any("--force" in m for m in report["messages"])

    forced = run_import(small, "--root", out, "--updated", "2026-01-03", "--force")
    assert forced.returncode == 0
    assert edited.read_bytes() != kept and not edited_since_import(edited.read_text("utf-8"))


def test_import_filters_by_code_and_level(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    done = run_import(small, "--root", out, "--updated", "2026-01-02", "--code", "9.000003", "9.000002",
                      "--level", "commune", "--level", "province", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "catalogue").iterdir()) == ["9.000003.yaml"]
    assert json.loads(done.stdout)["skipped"] == {"không thuộc cấp đã chọn (--level)": 1}
    unknown = run_import(small, "--root", out, "--updated", "2026-01-02", "--code", "9.999999")
    assert unknown.returncode == 0 and "Không tìm thấy mã thủ tục 9.999999" in unknown.stdout


@pytest.mark.parametrize("args", [
    ["--code", "12345"], ["--updated", "02/01/2026"], ["--level", "district"],
    ["--agency-map", "khong-co.yaml"], ["--agency", "xa-mau"]])
def test_import_usage_errors_exit_2(small: Path, tmp_path: Path, args: list[str]) -> None:
    done = run_import(small, "--root", tmp_path, *args)
    assert done.returncode == 2 and done.stderr and not done.stdout


def test_import_bad_agency_map_is_a_located_usage_error(small: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bang-ma.yaml"
    bad.write_text("Sở Thử nghiệm: so-thu-nghiem\nSở Khác: Sở Khác\n", encoding="utf-8")
    done = run_import(small, "--root", tmp_path / "kho", "--agency-map", bad)
    assert done.returncode == 2
    assert f"{bad}, dòng 2: 'Sở Khác' phải ứng với một mã cơ quan" in done.stderr
    assert not (tmp_path / "kho" / "catalogue").exists()


def test_import_missing_file_and_bad_lines(tmp_path: Path) -> None:
    missing = run_import(tmp_path / "khong-co.jsonl", "--root", tmp_path)
    assert missing.returncode == 2 and "không tìm thấy" in missing.stderr
    bad = tmp_path / "hong.jsonl"
    bad.write_text(json.dumps(source(), ensure_ascii=False) + "\n{không phải json\n[1, 2]\n",
                   encoding="utf-8")
    done = run_import(bad, "--root", tmp_path / "kho", "--updated", "2026-01-02", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["written"] == 1 and report["skipped"] == {"dòng JSON lỗi": 2}


def test_import_never_writes_through_a_symlinked_folder(small: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "kho", tmp_path / "ngoai"
    outside.mkdir()
    out.mkdir()
    (out / "catalogue").symlink_to(outside, target_is_directory=True)
    done = run_import(small, "--root", out, "--updated", "2026-01-02", "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["outcomes"]["failed"] == 3
    assert not list(outside.iterdir())


def test_progress_bar_only_on_a_terminal_for_long_runs() -> None:
    import io

    from generator.importers import _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    progress = _Progress(400, shown)
    for _ in range(400):
        progress.step()
    progress.done()
    assert "400/400" in shown.getvalue()
    quiet = Terminal()
    short = _Progress(10, quiet)
    short.step()
    assert quiet.getvalue() == ""
