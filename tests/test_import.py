"""`congkhai import national-portal`: table parsers, conversion, safe writing, the command.

Every string below is written for these tests in the portal's flattened shape; none is taken
from the national data. The last tests read the shared data file when it exists and compare
the imported records with it field by field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Ran, run_cli

from generator.importers.national_portal import Conversion, Options, Skip, agency_slug, convert
from generator.importers.tables import (
    CHANNEL_HEADER,
    DOCUMENT_HEADER,
    LEGAL_HEADER,
    normalise,
    parse_applicants,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_levels,
    parse_results,
    parse_steps,
    split_form_names,
)
from generator.importers.writer import check_roundtrip, edited_since_import, render
from generator.load import load_file

SHARED = REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl"
URL = "https://dichvucong.gov.vn/thu-tuc/ma-vi-du"


def run_import(*args: str | Path) -> Ran:
    return run_cli("import", "national-portal", *args)


# --- submission methods ------------------------------------------------------------------------

def test_channels_three_rows_with_units_fees_and_descriptions() -> None:
    text = (CHANNEL_HEADER + "Trực tiếp10 Ngày làm việcMiễn phíNộp tại Bộ phận Một cửa xã"
            "Trực tuyến10 Ngày làm việcMiễn phíNộp trên cổng, dịch vụ toàn trình"
            "Dịch vụ bưu chính12 NgàyMiễn phí")
    parsed = parse_channels(text, URL)
    assert parsed.value == [
        {"method": "direct", "processing_time": {"value": 10, "unit": "working_days",
                                                 "note": "Nộp tại Bộ phận Một cửa xã"}, "fees": "Không"},
        {"method": "online", "url": URL, "online_level": "full",
         "processing_time": {"value": 10, "unit": "working_days",
                             "note": "Nộp trên cổng, dịch vụ toàn trình"}, "fees": "Không"},
        {"method": "postal", "processing_time": {"value": 12, "unit": "days"}, "fees": "Không"},
    ]
    assert not parsed.partial


def test_channel_time_without_unit_keeps_the_value_and_leaves_the_unit_missing() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tiếp4Miễn phí")
    assert parsed.value == [{"method": "direct", "processing_time": {"value": 4}, "fees": "Không"}]
    half = parse_channels(CHANNEL_HEADER + "Trực tiếp1,5 GiờMiễn phí").value[0]["processing_time"]
    assert half == {"value": 1.5, "unit": "hours"}


def test_channel_fee_amount_with_nested_parentheses_in_its_remark() -> None:
    text = (CHANNEL_HEADER + "Dịch vụ bưu chính2 Giờ25,000 Việt Nam Đồng"
            "(Lệ phí cấp bản sao (tính cho mỗi bản): 25.000 đồng)Trả ngay trong buổi làm việc")
    parsed = parse_channels(text)
    assert parsed.value == [{
        "method": "postal",
        "processing_time": {"value": 2, "unit": "hours", "note": "Trả ngay trong buổi làm việc"},
        "fees": [{"name": "Phí, lệ phí", "amount": 25000,
                  "note": "Lệ phí cấp bản sao (tính cho mỗi bản): 25.000 đồng"}],
    }]


def test_channel_free_with_a_remark_keeps_the_remark_in_the_note() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tiếp3 ThángMiễn phí"
                            "(Thu phí thẩm định theo quy định riêng)")
    assert parsed.value[0]["fees"] == "Không"
    assert parsed.value[0]["processing_time"] == {"value": 3, "unit": "months"}
    assert [(x.label, x.text) for x in parsed.leftovers] == [
        ("Phí, lệ phí (Trực tiếp)", "Miễn phí (Thu phí thẩm định theo quy định riêng)")]


def test_channel_placeholders_are_missing_and_an_orphan_description_goes_to_the_note() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tiếpKhông có thông tinKhông có thông tinGửi văn bản giấy")
    assert parsed.value == [{"method": "direct"}]
    assert [x.text for x in parsed.leftovers] == ["Gửi văn bản giấy"]


def test_channel_digits_glued_to_an_amount_are_not_guessed() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tuyến150,000 VNĐ(Mức thu theo tờ khai)")
    assert parsed.value == [{"method": "online"}]
    assert [x.text for x in parsed.leftovers] == ["150,000 VNĐ(Mức thu theo tờ khai)"]


def test_channel_time_in_words_is_kept_and_the_fee_still_read() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tiếpKhông quy định thời hạnMiễn phíNộp tại trụ sở")
    assert parsed.value == [{"method": "direct", "fees": "Không"}]
    assert [(x.label, x.text) for x in parsed.leftovers] == [
        ("Thời hạn giải quyết (Trực tiếp)", "Không quy định thời hạn"),
        ("Mô tả cách thức (Trực tiếp)", "Nộp tại trụ sở")]


def test_channel_usd_fee_has_no_vnd_amount() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tiếp5 Ngày làm việc40 USD(Mỗi thị thực)")
    assert parsed.value[0]["fees"] == [{"name": "Phí, lệ phí", "note": "40 USD (Mỗi thị thực)"}]
    assert parsed.warnings


def test_method_words_inside_a_description_do_not_start_a_row() -> None:
    text = CHANNEL_HEADER + "Trực tiếp7 NgàyMiễn phíCó thể nộp Trực tuyến: qua cổng, hoặc Trực tiếp tại xã"
    parsed = parse_channels(text)
    assert len(parsed.value) == 1
    assert parsed.value[0]["processing_time"]["note"] == (
        "Có thể nộp Trực tuyến: qua cổng, hoặc Trực tiếp tại xã")


def test_online_channel_url_only_when_given_and_level_from_text() -> None:
    parsed = parse_channels(CHANNEL_HEADER + "Trực tuyến1 Ngày làm việcMiễn phíDịch vụ công một phần")
    assert parsed.value == [{"method": "online", "online_level": "partial",
                             "processing_time": {"value": 1, "unit": "working_days",
                                                 "note": "Dịch vụ công một phần"}, "fees": "Không"}]


# --- dossier documents -------------------------------------------------------------------------

def test_documents_counts_and_empty_section_title() -> None:
    text = ("--" + DOCUMENT_HEADER + "Tờ khai đề nghị cấp giấy phép1 bản chính"
            "Giấy tờ chứng minh nơi cư trú0 bản chính,1 bản sao- Ảnh chân dung cỡ 4x62 bản sao")
    parsed = parse_documents(text)
    assert parsed.value == {"dossier_sets": None, "documents": [
        {"name": "Tờ khai đề nghị cấp giấy phép", "originals": 1, "copies": 0},
        {"name": "Giấy tờ chứng minh nơi cư trú", "originals": 0, "copies": 1},
        {"name": "Ảnh chân dung cỡ 4x6", "originals": 0, "copies": 2},
    ]}
    # "4x62 bản sao": the split between name and count is a guess, so it is counted.
    assert not parsed.leftovers and parsed.warnings == ["số lượng bản dính liền với chữ số cuối tên giấy tờ"]


def test_documents_section_titles_become_notes() -> None:
    text = ("* Giấy tờ phải nộp:" + DOCUMENT_HEADER + "Đơn đề nghị1 bản chính"
            "* Giấy tờ phải xuất trình:" + DOCUMENT_HEADER + "Thẻ căn cước0 bản chính,1 bản sao")
    docs = parse_documents(text).value["documents"]
    assert [(d["name"], d["note"]) for d in docs] == [
        ("Đơn đề nghị", "Nhóm giấy tờ: * Giấy tờ phải nộp:"),
        ("Thẻ căn cước", "Nhóm giấy tờ: * Giấy tờ phải xuất trình:")]


def test_document_title_ending_in_a_date_glued_to_its_count() -> None:
    text = ("--" + DOCUMENT_HEADER
            + "Báo cáo theo mẫu ban hành kèm Thông tư 07/2024/TT-BXX ngày 05/3/20241 bản chính")
    parsed = parse_documents(text)
    assert parsed.value["documents"] == [
        {"name": "Báo cáo theo mẫu ban hành kèm Thông tư 07/2024/TT-BXX ngày 05/3/2024",
         "originals": 1, "copies": 0}]
    assert parsed.warnings  # the split was a guess: counted in the report


def test_document_name_quoting_a_count_is_not_split() -> None:
    text = ("--" + DOCUMENT_HEADER
            + "Văn bản cam kết (01 bản chính) của chủ hộ1 bản chínhBiên bản họp0 bản chính,2 bản sao")
    docs = parse_documents(text).value["documents"]
    assert [d["name"] for d in docs] == ["Văn bản cam kết (01 bản chính) của chủ hộ", "Biên bản họp"]
    assert [(d["originals"], d["copies"]) for d in docs] == [(1, 0), (0, 2)]


def test_document_form_file_name_goes_to_the_note() -> None:
    text = "--" + DOCUMENT_HEADER + "Tờ khai theo Mẫu số 03;Mau so 03 - to khai.docx1 bản chính"
    docs = parse_documents(text).value["documents"]
    assert docs == [{"name": "Tờ khai theo Mẫu số 03;", "originals": 1, "copies": 0,
                     "note": "Mẫu đơn, tờ khai: Mau so 03 - to khai.docx"}]
    assert split_form_names("Đơn xin cấp lạiDon-cap-lai.docMau-phu.pdf") == (
        "Đơn xin cấp lại", ["Don-cap-lai.doc", "Mau-phu.pdf"])
    assert split_form_names("Bản sao hợp đồng.") == ("Bản sao hợp đồng.", [])


def test_documents_dossier_sets_item_and_unparsed_text() -> None:
    text = ("--" + DOCUMENT_HEADER + "Đơn đăng ký1 bản chính* Số lượng hồ sơ: 01 (một) bộ0 bản chính"
            "Ghi chú cuối bảng không có số lượng")
    parsed = parse_documents(text)
    assert parsed.value["dossier_sets"] == 1
    assert [d["name"] for d in parsed.value["documents"]] == ["Đơn đăng ký"]
    assert [x.text for x in parsed.leftovers] == ["Ghi chú cuối bảng không có số lượng"]
    no_table = parse_documents("Hồ sơ gồm đơn và bản sao giấy tờ")
    assert no_table.value is None and no_table.leftovers[0].text == "Hồ sơ gồm đơn và bản sao giấy tờ"


# --- legal basis -------------------------------------------------------------------------------

def test_legal_basis_title_followed_by_number() -> None:
    text = (LEGAL_HEADER + "Luật Hộ tịch60/2014/QH13Nghị định quy định chi tiết một số điều của Luật"
            "123/2015/NĐ-CPQuyết định phê duyệt đề án319/QĐ-TTg")
    assert parse_legal_basis(text).value == [
        {"number": "60/2014/QH13", "title": "Luật Hộ tịch"},
        {"number": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết một số điều của Luật"},
        {"number": "319/QĐ-TTg", "title": "Quyết định phê duyệt đề án"},
    ]


def test_legal_title_ending_in_its_number_or_a_year() -> None:
    text = (LEGAL_HEADER + "Nghị định 45/2020/NĐ-CP về thủ tục điện tử45/2020/NĐ-CP"
            "Thông tư 08/2023/TT-BXX08/2023/TT-BXX"
            "Luật Trồng trọt năm 201831/2018/QH14"
            "Luật sửa đổi luật đất đaiLuật số 43/2024/QH15")
    parsed = parse_legal_basis(text)
    assert parsed.value == [
        {"number": "45/2020/NĐ-CP", "title": "Nghị định 45/2020/NĐ-CP về thủ tục điện tử"},
        {"number": "08/2023/TT-BXX", "title": "Thông tư 08/2023/TT-BXX"},
        {"number": "31/2018/QH14", "title": "Luật Trồng trọt năm 2018"},
        {"number": "43/2024/QH15", "title": "Luật sửa đổi luật đất đai"},
    ]
    assert not parsed.leftovers


def test_legal_number_followed_by_a_lower_case_title() -> None:
    text = LEGAL_HEADER + "Thông tư hướng dẫn12/2025/TT-NHNNsửa đổi quy định về hồ sơ07/2026/TT-NHNN"
    assert [r["number"] for r in parse_legal_basis(text).value] == ["12/2025/TT-NHNN", "07/2026/TT-NHNN"]


def test_legal_basis_missing_and_unparsed() -> None:
    assert parse_legal_basis("Không có thông tin").value is None
    parsed = parse_legal_basis(LEGAL_HEADER + "Luật Hộ tịch60/2014/QH13Hiến pháp năm hai nghìn")
    assert parsed.value == [{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}]
    assert [x.text for x in parsed.leftovers] == ["Hiến pháp năm hai nghìn"]


# --- results and steps -------------------------------------------------------------------------

def test_results_without_page_chrome_and_codes_kept_in_note() -> None:
    text = ("Giấy phép hoạt độngMã: KQ.G99.000001Văn bản trả lời nêu rõ lý doMã: KQ.G99.000002"
            "Từ khóaKhông có thông tinMô tảKhông có thông tin"
            "Chọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ")
    parsed = parse_results(text)
    assert parsed.value == "Giấy phép hoạt động\nVăn bản trả lời nêu rõ lý do"
    assert [(x.label, x.text) for x in parsed.leftovers] == [("Mã kết quả", "KQ.G99.000001, KQ.G99.000002")]
    assert parse_results("").value is None


def test_result_description_that_is_not_a_placeholder_is_kept() -> None:
    parsed = parse_results("Quyết định công nhậnMã: KQ.G99.000003"
                           "Từ khóaKhông có thông tinMô tảCó hiệu lực 5 năm")
    assert parsed.value == "Quyết định công nhận"
    assert ("Mô tả kết quả", "Có hiệu lực 5 năm") in [(x.label, x.text) for x in parsed.leftovers]


def test_steps_split_on_step_headings_and_bullets() -> None:
    assert parse_steps("Bước 1: Nộp hồ sơ\n\nGhi rõ số điện thoại\nBước 2: Nhận kết quả").value == [
        "Bước 1: Nộp hồ sơ\nGhi rõ số điện thoại", "Bước 2: Nhận kết quả"]
    bullets = "- Tổ chức nộp hồ sơ\n+ nộp trực tiếp\n+ nộp qua bưu chính\n- Cơ quan trả kết quả"
    assert parse_steps(bullets).value == [
        "Tổ chức nộp hồ sơ\n+ nộp trực tiếp\n+ nộp qua bưu chính", "Cơ quan trả kết quả"]
    assert parse_steps("Bước 1. Chuẩn bị hồ sơ theo Bước 3. Bước 2. Nộp hồ sơ").value == [
        "Bước 1. Chuẩn bị hồ sơ theo Bước 3.", "Bước 2. Nộp hồ sơ"]
    assert parse_steps("Cá nhân gửi đơn đến cơ quan có thẩm quyền.").value == [
        "Cá nhân gửi đơn đến cơ quan có thẩm quyền."]
    assert parse_steps("Không có thông tin").value is None


def test_levels_and_applicants() -> None:
    assert parse_levels("Cấp tỉnh, Cấp xã, Cơ quan khác") == ["province", "commune"]
    assert parse_levels("Cơ quan khác") == []
    assert parse_applicants("Tổ chức (trừ doanh nghiệp, hợp tác xã), Công dân Việt Nam").value == [
        "Tổ chức (trừ doanh nghiệp, hợp tác xã)", "Công dân Việt Nam"]


def test_normalise_keeps_every_character_of_content() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert normalise(f"\ufeff{decomposed}\u00a0lần\u200b đầu\u200e\r\n") == "Đăng ký khai sinh lần đầu"


# --- one record --------------------------------------------------------------------------------

def source(**overrides: str) -> dict[str, str]:
    record = {
        "ma_thu_tuc": "9.000001", "detail_url": URL, "ten_thu_tuc": "Cấp giấy phép thử  nghiệm",
        "so_quyet_dinh": "12/QĐ-UBND", "cap_thuc_hien": "Cấp tỉnh, Cấp xã", "loai_thu_tuc": "Thủ tục mẫu",
        "linh_vuc": "Thử nghiệm", "doi_tuong_thuc_hien": "Công dân Việt Nam",
        "co_quan_co_tham_quyen": "", "co_quan_thuc_hien": "Sở Thử nghiệm", "dia_chi_tiep_nhan": "",
        "trinh_tu_thuc_hien": "Bước 1: Nộp\nBước 2: Nhận",
        "cach_thuc_thuc_hien": CHANNEL_HEADER + "Trực tiếp2 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": "--" + DOCUMENT_HEADER + "Đơn đề nghị1 bản chính",
        "can_cu_phap_ly": LEGAL_HEADER + "Luật Thử nghiệm10/2024/QH15",
        "yeu_cau_dieu_kien": "Không có thông tin", "ket_qua_xu_ly": "Giấy phépMã: KQ.G99.000009",
        "ministry_folder": "bo-thu-nghiem", "co_quan_phoi_hop": "", "co_quan_duoc_uy_quyen": "",
        "thu_tuc_lien_quan": "Không có thông tin", "formality_id": "",
    }
    return record | overrides


def test_convert_maps_fields_and_leaves_placeholders_missing() -> None:
    converted = convert(source(), Options(updated="2026-01-02"))
    assert isinstance(converted, Conversion)
    data = converted.data
    assert converted.folder == data["agency"] == "so-thu-nghiem"
    assert data["name"] == "Cấp giấy phép thử nghiệm"
    assert data["level"] == "province"
    assert data["announcement"] == {"decision": "12/QĐ-UBND"}
    assert "requirements" not in data and "location" not in data and "competent_authority" not in data
    assert data["channels"] == [{"method": "direct", "processing_time": {"value": 2, "unit": "working_days"},
                                 "fees": "Không"}]
    assert data["updated"] == "2026-01-02"
    for kept in ("Cơ quan thực hiện: Sở Thử nghiệm", "Cấp thực hiện: Cấp tỉnh, Cấp xã",
                 "Loại thủ tục: Thủ tục mẫu", "Mã kết quả: KQ.G99.000009"):
        assert kept in data["note"]
    assert list(data)[-1] == "updated"


def test_convert_agency_placeholder_goes_to_ministry_folder_without_agency_key() -> None:
    converted = convert(source(co_quan_thuc_hien="Không có thông tin"), Options(updated="2026-01-02"))
    assert isinstance(converted, Conversion)
    assert converted.folder == "bo-thu-nghiem" and "agency" not in converted.data


def test_convert_options_and_refusals() -> None:
    options = Options(updated="2026-01-02", agency="xa-mau", level="commune")
    converted = convert(source(), options)
    assert isinstance(converted, Conversion)
    placed = (converted.folder, converted.data["agency"], converted.data["level"])
    assert placed == ("xa-mau", "xa-mau", "commune")
    assert isinstance(convert(source(cap_thuc_hien="Cấp bộ"), options), Skip)
    assert isinstance(convert(source(ma_thu_tuc="../../etc/passwd"), options), Skip)
    assert isinstance(convert(source(ma_thu_tuc="9.000001/../x"), options), Skip)


def test_long_agency_names_are_cut_with_a_distinguishing_hash() -> None:
    first = agency_slug("Ban quản lý dự án đầu tư xây dựng các công trình giao thông và nông nghiệp tỉnh A")
    second = agency_slug("Ban quản lý dự án đầu tư xây dựng các công trình giao thông và nông nghiệp tỉnh B")
    assert first != second and len(first) <= 60 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", first)


def test_rendered_file_loads_back_and_records_its_hash() -> None:
    data = convert(source(), Options(updated="2026-01-02")).data  # type: ignore[union-attr]
    text = render(data, URL)
    assert text.startswith(f"# Nhập từ Cổng Dịch vụ công quốc gia: {URL}\n# congkhai-import: sha256=")
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
        source(ma_thu_tuc="9.000002", co_quan_thuc_hien="Không có thông tin"),
        source(ma_thu_tuc="9.000003", yeu_cau_dieu_kien="Có đủ năng lực hành vi dân sự"),
        source(ma_thu_tuc="../9.000004"),
    ])


def test_import_writes_loadable_records_and_a_report(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    done = run_import(small, "--root", out, "--updated", "2026-01-02", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["records_read"], report["written"]) == (4, 3)
    assert report["skipped"] == {"mã thủ tục không hợp lệ": 1}
    assert report["fields"]["agency"]["missing"] == 1
    assert report["fields"]["requirements"]["missing"] == 2
    assert report["agencies_without_hotline"] == ["so-thu-nghiem"]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml"))
    assert written == ["procedures/bo-thu-nghiem/9.000002.yaml", "procedures/so-thu-nghiem/9.000001.yaml",
                       "procedures/so-thu-nghiem/9.000003.yaml"]
    for rel in written:
        record = load_file(out, rel, "procedure")
        assert not hasattr(record, "rule"), record
    assert not list(tmp_path.glob("*.yaml")) and not (tmp_path / "9.000004.yaml").exists()


def test_import_text_report_is_vietnamese(small: Path, tmp_path: Path) -> None:
    done = run_import(small, "--out", tmp_path / "kho", "--updated", "2026-01-02")
    assert done.returncode == 0
    assert "Đã đọc 4 bản ghi" in done.stdout and "Bỏ qua 1 bản ghi: mã thủ tục không hợp lệ" in done.stdout


def test_import_is_deterministic_and_refuses_to_clobber_edits(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    assert run_import(small, "--root", out, "--updated", "2026-01-02").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.yaml")}
    again = run_import(small, "--root", out, "--updated", "2026-01-02", "--format", "json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["outcomes"]["unchanged"] == 3
    assert {p: p.read_bytes() for p in out.rglob("*.yaml")} == before

    edited = out / "procedures" / "so-thu-nghiem" / "9.000001.yaml"
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


def test_import_filters_and_agency_override(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    done = run_import(small, "--root", out, "--updated", "2026-01-02", "--code", "9.000003", "9.000002",
                      "--agency", "xa-mau", "--level", "commune", "--format", "json")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (out / "procedures" / "xa-mau").iterdir())
    assert names == ["9.000002.yaml", "9.000003.yaml"]
    text = (out / "procedures" / "xa-mau" / "9.000002.yaml").read_text("utf-8")
    assert "agency: xa-mau" in text and "level: commune" in text
    unknown = run_import(small, "--root", out, "--updated", "2026-01-02", "--code", "9.999999")
    assert unknown.returncode == 0 and "Không tìm thấy mã thủ tục 9.999999" in unknown.stdout


@pytest.mark.parametrize("args", [
    ["--agency", "Xã Mẫu"], ["--code", "12345"], ["--updated", "02/01/2026"], ["--level", "district"]])
def test_import_usage_errors_exit_2(small: Path, tmp_path: Path, args: list[str]) -> None:
    done = run_import(small, "--root", tmp_path, *args)
    assert done.returncode == 2 and done.stderr


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


def test_imported_gaps_are_reported_by_validate(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "kho"
    assert run_import(small, "--root", out, "--updated", "2026-01-02").returncode == 0
    checked = run_cli("validate", "--root", out, "--format", "json", "--today", "2026-01-02")
    assert checked.returncode == 1
    problems = json.loads(checked.stdout)["problems"]
    missing = {(p["file"].split("/")[-1], p["field"]) for p in problems if p["rule"] == "CK-REQ"}
    assert ("9.000002.yaml", "agency") in missing
    assert ("9.000001.yaml", "requirements") in missing and ("9.000003.yaml", "requirements") not in missing
    assert ("9.000001.yaml", "announcement.date") in missing
    assert not [p for p in problems if p["rule"].startswith("CK-YAML")]


# --- the real data, when it is there -----------------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.is_file(), reason="no shared national portal data")

# Words the importer replaces by structured values (or drops as table headers): they may be
# absent from the output without any content being lost.
_STRUCTURAL = re.compile("|".join([
    *map(re.escape, [
        CHANNEL_HEADER, DOCUMENT_HEADER, LEGAL_HEADER, "Không có thông tin", "Miễn phí", "Trực tiếp",
        "Trực tuyến", "Dịch vụ bưu chính", "Ngày làm việc", "Ngày", "Giờ", "Tháng", "Việt Nam Đồng", "VNĐ",
        "bản chính", "bản sao", "Mã:", "Từ khóa", "Mô tả", "Cấp bộ", "Cấp tỉnh", "Cấp xã"]),
    r"Số lượng hồ sơ\s*:\s*0*\d+\s*\(?\s*(?:\(\w+\)\s*)?bộ",  # read into dossier_sets
]))
# The number column may repeat the kind of instrument ("Luật số 43/2024/QH15"): only the number
# is kept, so these words may go.
_KIND_WORDS = {"Luật", "Nghị", "định", "Thông", "tư", "liên", "tịch", "Quyết", "quyết", "Pháp", "lệnh",
               "Văn", "bản", "hợp", "nhất", "số", "Số"}
_WORD = re.compile(r"[^\W\d_]+")
_MAPPED = ("ten_thu_tuc", "co_quan_thuc_hien", "co_quan_co_tham_quyen", "linh_vuc", "so_quyet_dinh",
           "doi_tuong_thuc_hien", "dia_chi_tiep_nhan", "trinh_tu_thuc_hien", "cach_thuc_thuc_hien",
           "thanh_phan_ho_so", "can_cu_phap_ly", "yeu_cau_dieu_kien", "ket_qua_xu_ly", "loai_thu_tuc",
           "co_quan_phoi_hop", "co_quan_duoc_uy_quyen", "thu_tuc_lien_quan")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _covered(word: str, written: set[str], parts: int = 3) -> bool:
    """In the output as is, or cut into pieces that are: two table cells read as one word
    ("…NĐ-CPNghị định…") come out as two values."""
    if word in written:
        return True
    return parts > 1 and any(word[:i] in written and _covered(word[i:], written, parts - 1)
                             for i in range(1, len(word)))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text.replace("\u00a0", " ")).split())


def _sample() -> list[dict[str, Any]]:
    lines = SHARED.read_text(encoding="utf-8").splitlines()
    picked = lines[:20] + lines[20::97]  # the first records and a spread over the whole file
    return [json.loads(line) for line in picked]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], Path, dict[str, Any]]:
    records = _sample()
    work = tmp_path_factory.mktemp("realdata")
    subset = work / "subset.jsonl"
    subset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    done = run_import(subset, "--root", work / "repo", "--updated", "2026-11-26", "--format", "json")
    assert done.returncode == 0, done.stderr
    return records, work / "repo", json.loads(done.stdout)


@needs_shared
def test_real_records_import_and_load(imported: tuple[list[dict[str, Any]], Path, dict[str, Any]]) -> None:
    records, root, report = imported
    assert report["written"] == len(records) >= 40
    for path in root.rglob("*.yaml"):
        loaded = load_file(root, path.relative_to(root).as_posix(), "procedure")
        assert not hasattr(loaded, "rule"), loaded


@needs_shared
def test_real_records_field_fidelity(imported: tuple[list[dict[str, Any]], Path, dict[str, Any]]) -> None:
    from generator.legal import is_placeholder

    records, root, _ = imported
    files = {p.stem: p for p in root.rglob("*.yaml")}
    for src in records:
        loaded = load_file(root, files[src["ma_thu_tuc"]].relative_to(root).as_posix(), "procedure")
        data = loaded.data  # type: ignore[union-attr]
        code = src["ma_thu_tuc"]
        absent = {k: not src[k].strip() or is_placeholder(src[k].strip()) for k in src}
        assert data["code"] == code
        assert data["name"] == _flat(src["ten_thu_tuc"])
        assert ("agency" in data) != absent["co_quan_thuc_hien"], code
        assert ("requirements" in data) != absent["yeu_cau_dieu_kien"], code
        assert ("location" in data) != absent["dia_chi_tiep_nhan"], code
        if "requirements" in data:
            assert _flat(data["requirements"]) == _flat(src["yeu_cau_dieu_kien"])
        assert data["announcement"]["decision"] == _flat(src["so_quyet_dinh"])
        assert "date" not in data["announcement"]
        first_level = next((p.strip() for p in src["cap_thuc_hien"].split(",")
                            if p.strip() in ("Cấp bộ", "Cấp tỉnh", "Cấp xã")), None)
        assert data.get("level") == {"Cấp bộ": "central", "Cấp tỉnh": "province", "Cấp xã": "commune",
                                     None: None}[first_level]
        # Steps: only bullets and blank lines go; every letter and digit stays, in order.
        steps_source = normalise(src["trinh_tu_thuc_hien"])
        assert re.sub(r"\W", "", "".join(data["steps"])) == re.sub(r"\W", "", steps_source)
        # Table cells: every value written is text of the source.
        flat_source = _flat(" ".join(src[k] for k in _MAPPED))
        for doc in data.get("documents", []):
            assert doc.get("name", "") in flat_source, (code, doc)
        for law in data.get("legal_basis", []):
            assert law["number"] in flat_source and law.get("title", "") in flat_source, (code, law)
        for line in data.get("result", "").split("\n"):
            assert line in flat_source, code
        for channel in data.get("channels", []):
            for fee in channel.get("fees", []) if isinstance(channel.get("fees"), list) else []:
                if "amount" in fee:
                    assert str(fee["amount"]) in re.sub(r"[.,]", "", flat_source), code
        # Nothing dropped: every word of the mapped source fields is in the record or its note.
        written = set(_words(" ".join(_strings(data))))
        texts = [normalise(src[k]) for k in _MAPPED]
        texts[_MAPPED.index("ket_qua_xu_ly")] = texts[_MAPPED.index("ket_qua_xu_ly")].split(
            "Chọn cơ quan thực hiện")[0]  # the page's search box, documented as chrome
        source_text = _STRUCTURAL.sub(" ", " ".join(texts))
        lost = {w for w in _words(source_text) if not _covered(w, written | _KIND_WORDS)}
        # A source word may also be glued to a neighbour inside a text kept verbatim.
        lost = {w for w in lost if not any(w in v for v in written)}
        assert not lost, (code, sorted(lost)[:20])


@needs_shared
def test_real_records_import_twice_identically(imported: tuple[list[dict[str, Any]], Path, dict[str, Any]],
                                               tmp_path: Path) -> None:
    records, root, _ = imported
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    done = run_import(subset, "--root", root, "--updated", "2026-11-26", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["outcomes"]["unchanged"] == len(records)


def test_import_never_writes_through_a_symlinked_folder(small: Path, tmp_path: Path) -> None:
    out, outside = tmp_path / "kho", tmp_path / "ngoai"
    outside.mkdir()
    (out / "procedures").mkdir(parents=True)
    (out / "procedures" / "so-thu-nghiem").symlink_to(outside, target_is_directory=True)
    done = run_import(small, "--root", out, "--updated", "2026-01-02", "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["outcomes"]["failed"] == 2
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
