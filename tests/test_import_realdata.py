"""The importer on the national portal's real procedures: a stratified sample of records,
checked value by value, and measured against the independent reading of tests/portal_oracle.py.

Expectations are codes, numbers and counts only: the portal's sentences stay out of the
repository. The data is ../shared/data/national-portal/procedures.jsonl beside the repository
(or the file CONGKHAI_REALDATA names); without it these tests are skipped, saying where they
looked. The whole file is imported (with --code for the sample), as a clerk would: evidence such
as the issuers the source writes cleanly comes from the whole file.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import portal_oracle as oracle
import pytest
import yaml
from conftest import FIXTURES, REPO
from test_import import run_import, schema_errors

from generator.importers.instruments import LEGAL_HEADER
from generator.importers.national_portal import AgencyMap
from generator.importers.tables import CHANNEL_HEADER, DOCUMENT_HEADER
from generator.importers.text import normalise

DATA = Path(os.environ.get("CONGKHAI_REALDATA")
            or REPO.parent / "shared" / "data" / "national-portal" / "procedures.jsonl")
pytestmark = pytest.mark.skipif(
    not DATA.is_file(), reason=f"national portal data not found at {DATA} (CI has it at "
                               "../shared/data beside the repository; or set CONGKHAI_REALDATA)")
AGENCY_MAP = FIXTURES / "import" / "bang-ma-co-quan.yaml"
Imported = tuple[Path, dict[str, Any], dict[str, dict[str, Any]]]  # root, the report, entries by code


@dataclass(frozen=True, slots=True)
class S:
    """What one entry must say. fees: per channel, an amount in đồng, "USD n", "Không", 0 (free
    with a remark), "?" (a fee written without amount: disagreeing, for a clerk) or None (no fee:
    the source has none, or the row is kept as written in the note). implemented: "commune" for
    every commune, then agency ids of the fixture map."""

    stratum: str
    levels: str
    fees: tuple[Any, ...]
    numbers: tuple[str, ...]
    implemented: tuple[str, ...]
    dates: int
    steps: int
    documents: int
    sets: int | None
    applicants: int
    agencies: int
    disagreeing: int


SAMPLE = {
    "3.000369": S("phí ×1000", "central,province", fees=(150000, 150000, 150000),
                  numbers=("66/2006/QH11", "31/2025/TT_BCA", "92/2015/NĐ-CP"), implemented=("cong-an-tinh",),
                  dates=1, steps=5, documents=15, sets=None, applicants=9, agencies=2, disagreeing=0),
    "3.000368": S("phí ×1000", "central,province", fees=(150000, 150000, 150000),
                  numbers=("190/2025/NQ-QH15", "31/2025/TT_BCA", "92/2015/NĐ-CP", "66/2006/QH11",
                  "61/2014/QH13"), implemented=("cong-an-tinh",), dates=1, steps=5, documents=5, sets=None,
                  applicants=9, agencies=2, disagreeing=0),
    "1.000014": S("thời hạn dính mức thu", "commune", fees=(20000, 20000), numbers=("08/2015/NĐ-CP",
                  "54/2014/QH13", "38/2015/TT-BTC", "172/2010/TT-BTC", "69/2016/TT-BTC"),
                  implemented=("commune",), dates=0, steps=3, documents=6, sets=None, applicants=1,
                  agencies=1, disagreeing=0),
    "2.002009": S("thời hạn dính mức thu, nhóm nghìn", "central,province", fees=(100000, 100000, 100000),
                  numbers=("64/2025/TT-BTC", "59/2020/QH14", "68/2025/TT-BTC", "168/2025/NĐ-CP",
                  "47/2019/TT-BTC", "76/2015/QH13"), implemented=("so-tai-chinh",), dates=1, steps=4,
                  documents=22, sets=None, applicants=5, agencies=1, disagreeing=0),
    "1.009093": S("thời hạn dính mức thu, hai cách đọc", "commune", fees=("?", "?"),
                  numbers=("54/2014/QH13", "50/2018/TT-BTC", "08/2015/NĐ-CP", "14/2021/TT-BTC"),
                  implemented=("commune",), dates=0, steps=3, documents=3, sets=None, applicants=4,
                  agencies=1, disagreeing=2),
    "1.005137": S("thời hạn dính mức thu, không ghi chú", "central", fees=("?", "?", "?"),
                  numbers=("66.7/2025/NQ-CP", "191/2025/NĐ-CP", "264/2016/TT-BTC", "12/2025/TT-BTP",
                  "24/2008/QH12", "79/2025/QH15"), implemented=(), dates=1, steps=6, documents=6, sets=None,
                  applicants=3, agencies=0, disagreeing=3),
    "1.003358": S("USD và VNĐ mâu thuẫn", "central", fees=("USD 145", "USD 145", "?", "USD 155", "USD 165",
                  "USD 155", "USD 165", "?", "?"), numbers=("23/2023/QH15", "04/2015/TT-BCA",
                  "31/2015/TT-BCA", "47/2014/QH13", "22/2023/TT-BCA", "25/2021/TT-BTC", "51/2019/QH14"),
                  implemented=(), dates=0, steps=3, documents=6, sets=None, applicants=9, agencies=1,
                  disagreeing=3),
    "1.000807": S("USD", "central", fees=("USD 10", "USD 10", "USD 10"), numbers=("04/2015/TT-BCA",
                  "82/2015/NĐ-CP", "25/2021/TT-BTC", "47/2014/QH13", "51/2019/QH14"), implemented=(),
                  dates=0, steps=3, documents=8, sets=1, applicants=3, agencies=1, disagreeing=0),
    "3.000379": S("miễn phí có số tiền", "central", fees=("?", "?", "?"),
                  numbers=("64/2022/NĐ-CP", "15/2024/NĐ-CP", "30/2013/NĐ-CP", "66/2006/QH11"),
                  implemented=(), dates=0, steps=5, documents=3, sets=None, applicants=2, agencies=1,
                  disagreeing=3),
    "1.004414": S("miễn phí có số tiền viết sai", "central", fees=("?", "?"), numbers=("66/2006/QH11",
                  "61/2014/QH13", "01/2011/TT-BGTVT", "03/2016/TT-BGTVT", "71/2025/TT-BXD",
                  "56/2018/TT-BGTVT", "01/2013/TT-BVHTTDL"), implemented=(), dates=0, steps=3, documents=6,
                  sets=None, applicants=2, agencies=1, disagreeing=2),
    "1.002010": S("mức thu khác ghi chú", "province", fees=("?", "?", "?"), numbers=("64/2025/TT-BTC",
                  "47/2019/TT-BTC", "08/2025/TT-BTP", "65/2006/QH11", "03/2024/TT-BTP", "05/2021/TT-BTP",
                  "123/2013/NĐ-CP"), implemented=("so-tu-phap",), dates=3, steps=2, documents=3, sets=None,
                  applicants=1, agencies=1, disagreeing=3),
    "1.011423": S("ghi chú có tỷ đồng", "central", fees=("?", "?", "?"),
                  numbers=("99/2022/NĐ-CP", "18/2026/NĐ-CP", "193/2016/TT-BTC", "64/2025/TT-BTC"),
                  implemented=(), dates=0, steps=2, documents=6, sets=None, applicants=9, agencies=1,
                  disagreeing=3),
    "1.007689": S("thời hạn bằng chữ", "province,commune", fees=("Không", "Không", "Không"),
                  numbers=("19/2021/TT-BTC", "118/2025/NĐ-CP", "68/2026/NĐ-CP", "46/2024/TT-BTC",
                  "108/2025/QH15", "50/2026/TT-BTC", "141/2026/NĐ-CP"), implemented=("commune",), dates=2,
                  steps=2, documents=2, sets=None, applicants=1, agencies=0, disagreeing=0),
    "1.003213": S("phí chưa có thời hạn", "central", fees=("USD 150", "USD 150", "USD 150"),
                  numbers=("07/2023/TT-BTP", "120/2025/NĐ-CP", "06/2025/NĐ-CP", "18/2026/NĐ-CP",
                  "10/2020/TT-BTP", "52/2010/QH12", "19/2011/NĐ-CP", "267/2016/TT-BTC", "114/2016/NĐ-CP"),
                  implemented=(), dates=2, steps=7, documents=10, sets=None, applicants=1, agencies=0,
                  disagreeing=0),
    "1.000771": S("tên viết hoa sau số hiệu", "central", fees=("USD 10", "USD 10", "USD 10"),
                  numbers=("23/2023/QH15", "51/2019/QH14", "47/2014/QH13", "04/2015/TT-BCA",
                  "25/2021/TT-BTC", "22/2023/TT-BCA", "82/2015/NĐ-CP"), implemented=(), dates=0, steps=3,
                  documents=4, sets=None, applicants=4, agencies=1, disagreeing=0),
    "1.014409": S("tên viết hoa có dấu sau số hiệu", "central", fees=(0, 0, 0), numbers=("42/2025/TT-BCA",
                  "08/2022/NĐ-CP", "38/2023/TT-BTC", "05/2025/NĐ-CP", "72/2020/QH14"), implemented=(),
                  dates=3, steps=5, documents=4, sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.003361": S("năm dính số hiệu", "central", fees=("Không", "Không", "Không"),
                  numbers=("25/2018/TT-BNNPTNT", "31/2024/QH15", "43/2024/QH15", "01/2022/TT-BNNPTNT",
                  "18/2017/QH14", "17/2026/TT-BNNMT"), implemented=(), dates=2, steps=5, documents=4,
                  sets=None, applicants=9, agencies=1, disagreeing=0),
    "1.014632": S("số hiệu lặp rồi khoảng trắng", "commune", fees=("Không", "Không", "Không"),
                  numbers=("261/2025/NĐ-CP", "05/2024/TT-BXD", "100/2024/NĐ-CP", "27/2023/QH15",
                  "54/2026/NĐ-CP"), implemented=("commune",), dates=3, steps=13, documents=7, sets=None,
                  applicants=3, agencies=1, disagreeing=0),
    "1.004089": S("số hiệu dính số hiệu", "province", fees=(None,),
                  numbers=("04/2012/UBTVQH13", "26/2005/PL-UBTVQH11", "05/2013/TT-BLĐTBXH"),
                  implemented=("cong-an-tinh",), dates=0, steps=3, documents=4, sets=None, applicants=1,
                  agencies=1, disagreeing=0),
    "1.012575": S("số hiệu theo trích dẫn trong tên", "province,commune", fees=(0,),
                  numbers=("13/2025/TT-BCA", "36/2024/QH15", "60/2023/TT-BTC", "06/2025/TT-BTC",
                  "79/2024/TT-BCA"), implemented=("commune", "cong-an-tinh"), dates=2, steps=7, documents=3,
                  sets=None, applicants=1, agencies=2, disagreeing=0),
    "1.007645": S("loại văn bản dính chữ số", "commune", fees=("Không", "Không"), numbers=("08/2015/NĐ-CP",
                  "54/2014/QH13", "38/2015/TT-BTC", "56/2019/TT-BTC", "29/2025/TT-BTC", "191/2015/TT-BTC",
                  "274/2016/TT-BTC", "01/2013/TT-BVHTTDL", "59/2018/NĐ-CP"), implemented=("commune",),
                  dates=2, steps=2, documents=2, sets=None, applicants=3, agencies=1, disagreeing=0),
    "1.014156": S("bên ban hành rõ ở nơi khác", "province,commune", fees=("Không", "Không", "Không"),
                  numbers=("72/2025/QH15", "145/2025/NĐ-CP", "43/2025/TT-BXD", "178/2025/NĐ-CP",
                  "47/2024/QH15"), implemented=("commune",), dates=0, steps=3, documents=4, sets=None,
                  applicants=5, agencies=0, disagreeing=0),
    "1.004194": S("số hiệu có phần thập phân", "commune", fees=(7000, 10000), numbers=("53/2025/TT-BCA",
                  "66/2023/TT-BCA", "75/2022/TT-BTC", "57/2021/TT-BCA", "66.7/2025/NQ-CP", "68/2020/QH14",
                  "54/2025/TT-BCA", "154/2024/NĐ-CP", "55/2021/TT-BCA", "56/2021/TT-BCA", "85/2019/TT-BTC"),
                  implemented=("commune",), dates=2, steps=5, documents=9, sets=None, applicants=4,
                  agencies=1, disagreeing=0),
    "1.012753": S("số hiệu sai trong nguồn", "commune", fees=(0, 0, 0), numbers=("101/2024/NĐ-CP",
                  "118/2025/NĐ-C", "151/2025/NĐ-CP", "43/2024/QH15", "226/2025/NĐ-CP", "31/2024/QH15"),
                  implemented=("commune",), dates=2, steps=4, documents=7, sets=None, applicants=4,
                  agencies=1, disagreeing=0),
    "1.000757": S("ngày ban hành trong tên", "central", fees=(0, 70000), numbers=("18/2024/TT-BCA",
                  "70/2024/NĐ-CP", "26/2023/QH15", "73/2024/TT-BTC", "53/2025/TT-BCA", "64/2025/TT-BTC",
                  "16/2024/TT-BCA", "17/2024/TT-BCA", "190/2025/NQ-QH15"), implemented=(), dates=2, steps=7,
                  documents=3, sets=None, applicants=1, agencies=1, disagreeing=0),
    "3.000246": S("Bước N giữa dòng", "province,commune", fees=(None, None, None), numbers=("118/2025/NĐ-CP",
                  "02/2017/TT-VPCP", "03/2025/TT-VPCP", "16/2026/QĐ-UBND"), implemented=("commune",),
                  dates=0, steps=14, documents=3, sets=None, applicants=2, agencies=0, disagreeing=0),
    "2.002623": S("dòng ngắt giữa câu", "central", fees=("Không", "Không", "Không"),
                  numbers=("14/2026/NĐ-CP", "55/2014/TT-BGTVT", "57/2024/NĐ-CP", "23/2004/QH11",
                  "48/2014/QH13"), implemented=(), dates=0, steps=2, documents=1, sets=None, applicants=7,
                  agencies=1, disagreeing=0),
    "1.014208": S("a) Bước", "commune", fees=(None, None, None), numbers=(), implemented=("commune",),
                  dates=0, steps=4, documents=1, sets=None, applicants=1, agencies=0, disagreeing=0),
    "1.000801": S("6.1.1. Bước", "central", fees=("Không", "Không", "Không"), numbers=("40/2016/NĐ-CP",),
                  implemented=(), dates=0, steps=5, documents=5, sets=None, applicants=5, agencies=1,
                  disagreeing=0),
    "1.013076": S("lời dẫn trước Bước 1", "central,province,commune", fees=(0, 0, 0, 0, 0, 0),
                  numbers=("79/2024/TT-BCA", "06/2025/TT-BTC", "60/2023/TT-BTC", "13/2025/TT-BCA",
                  "36/2024/QH15"), implemented=("commune", "cong-an-tinh"), dates=2, steps=7, documents=10,
                  sets=None, applicants=7, agencies=3, disagreeing=0),
    "3.000049": S("dấu chấm trước Bước 1", "central", fees=(0, 0), numbers=(), implemented=(), dates=0,
                  steps=2, documents=3, sets=None, applicants=2, agencies=1, disagreeing=0),
    "2.000012": S("Bước 3, 1, 2", "commune", fees=(20000, 20000), numbers=(), implemented=("commune",),
                  dates=0, steps=3, documents=6, sets=None, applicants=1, agencies=1, disagreeing=0),
    "6.003631": S("dòng ngắt giữa câu", "province", fees=("Không", "Không", "Không"),
                  numbers=("95/2024/NĐ-CP", "27/2023/QH15"), implemented=("so-xay-dung",), dates=1, steps=3,
                  documents=1, sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.000236": S("số lượng hồ sơ trong bảng", "central", fees=("Không", "Không", "Không"),
                  numbers=("51/2019/QH14", "04/2015/TT-BCA", "23/2023/QH15", "22/2023/TT-BCA",
                  "47/2014/QH13"), implemented=(), dates=0, steps=3, documents=2, sets=1, applicants=4,
                  agencies=1, disagreeing=0),
    "1.007380": S("số lượng hồ sơ (bộ)", "central", fees=(250000, 250000, 250000), numbers=("67/2011/QH12",),
                  implemented=(), dates=0, steps=5, documents=5, sets=1, applicants=1, agencies=1,
                  disagreeing=0),
    "1.009055": S("số lượng hồ sơ dính tiêu đề", "commune", fees=("Không",), numbers=("100/2020/NĐ-CP",),
                  implemented=("commune",), dates=0, steps=2, documents=1, sets=1, applicants=1, agencies=1,
                  disagreeing=0),
    "6.005713": S("số lượng hồ sơ trong tên giấy tờ", "central", fees=("Không", None, None),
                  numbers=("55/2025/TT-BXD", "152/2025/NĐ-CP"), implemented=(), dates=0, steps=2,
                  documents=1, sets=1, applicants=3, agencies=1, disagreeing=0),
    "3.000255": S("số lượng hồ sơ tùy trường hợp", "province", fees=("Không", "Không", "Không"),
                  numbers=("97/2015/QH13", "35/2024/QH15", "364/2025/NĐ-CP", "36/2024/QH15"), implemented=(),
                  dates=0, steps=6, documents=2, sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.003005": S("số lượng hồ sơ đối với mỗi loại", "commune", fees=(4500000,), numbers=("18/2026/NĐ-CP",
                  "104/2022/NĐ-CP", "120/2025/NĐ-CP", "07/2023/TT-BTP", "10/2020/TT-BTP", "06/2025/NĐ-CP"),
                  implemented=("commune",), dates=2, steps=5, documents=14, sets=None, applicants=1,
                  agencies=1, disagreeing=0),
    "1.014151": S("số lượng hồ sơ trong mô tả kết quả", "central", fees=("Không", "Không", "Không"),
                  numbers=("32/2024/QH15", "162/2024/NĐ-CP", "57/2024/TT-NHNN", "12/2025/TT-NHNN",
                  "11/2026/TT-NHNN"), implemented=(), dates=0, steps=3, documents=20, sets=1, applicants=1,
                  agencies=1, disagreeing=0),
    "1.014783": S("số lượng hồ sơ trong yêu cầu", "province", fees=("Không", "Không", "Không"),
                  numbers=("63/2025/TT-BXD", "24/2026/NQ-CP", "105/2025/CP-NĐ"), implemented=(), dates=0,
                  steps=3, documents=4, sets=1, applicants=3, agencies=1, disagreeing=0),
    "6.005707": S("số lượng hồ sơ trong trình tự", "central", fees=(None, None, None),
                  numbers=("15/2025/TT-BNV", "55/2025/TT-BXD", "152/2025/NĐ-CP"), implemented=(), dates=1,
                  steps=2, documents=1, sets=1, applicants=3, agencies=1, disagreeing=0),
    "1.004222": S("tiêu đề nhóm giấy tờ", "commune", fees=(10000, 20000), numbers=("66.7/2025/NQ-CP",
                  "53/2025/TT-BCA", "66/2023/TT-BCA", "75/2022/TT-BTC", "68/2020/QH14", "57/2021/TT-BCA",
                  "54/2025/TT-BCA", "154/2024/NĐ-CP", "55/2021/TT-BCA", "56/2021/TT-BCA", "58/2026/NĐ-CP"),
                  implemented=("commune",), dates=2, steps=5, documents=16, sets=None, applicants=2,
                  agencies=1, disagreeing=0),
    "1.007882": S("số bản trong tên giấy tờ", "commune", fees=(20000,),
                  numbers=("38/2015/TT-BTC", "54/2014/QH13", "08/2015/NĐ-CP"), implemented=("commune",),
                  dates=0, steps=4, documents=6, sets=None, applicants=3, agencies=1, disagreeing=0),
    "1.007663": S("số bản trong tên giấy tờ", "central,commune", fees=("Không", "Không", "Không"),
                  numbers=("07/2019/TT-BTC", "54/2014/QH13", "134/2016/NĐ-CP", "107/2016/QH13",
                  "107/2016/QH13", "18/2021/ND-CP", "39/2018/TT-BTC"), implemented=("commune",), dates=2,
                  steps=3, documents=27, sets=None, applicants=4, agencies=1, disagreeing=0),
    "2.001263": S("gạch đầu dòng +)", "commune", fees=(400000, 400000, 400000), numbers=("66.7/2025/NQ-CP",
                  "120/2025/NĐ-CP", "18/2026/NĐ-CP", "104/2022/NĐ-CP", "07/2023/TT-BTP", "06/2025/NĐ-CP",
                  "10/2020/TT-BTP", "24/2019/NĐ-CP"), implemented=("commune",), dates=2, steps=10,
                  documents=16, sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.000633": S("gạch đầu dòng + .", "central", fees=("Không", "Không", "Không"),
                  numbers=("32/2024/QH15", "53/2025/TT-NHNN"), implemented=(), dates=0, steps=6, documents=9,
                  sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.001294": S("nhiều cơ quan", "province", fees=(2000,),
                  numbers=("19/2010/TT-BTC", "09/2015/TTLT-BCA-BYT-BTC"),
                  implemented=("bao-hiem-xa-hoi-tinh", "cong-an-tinh"), dates=0, steps=4, documents=4,
                  sets=None, applicants=2, agencies=4, disagreeing=0),
    "1.000811": S("applicants-cbccvc", "central", fees=(1200000, "Không", 1200000),
                  numbers=("25/2021/TT-BTC", "49/2019/QH14", "09/2023/QĐ-TTg"), implemented=(), dates=0,
                  steps=3, documents=4, sets=1, applicants=4, agencies=1, disagreeing=0),
    "1.000889": S("agency-comma", "central", fees=(50000,), numbers=("16/2024/TT-BCA", "17/2024/TT-BCA",
                  "64/2025/TT-BTC", "73/2024/TT-BTC", "18/2024/TT-BCA", "190/2025/NQ-QH15", "70/2024/NĐ-CP",
                  "26/2023/QH15"), implemented=(), dates=1, steps=6, documents=2, sets=None, applicants=1,
                  agencies=1, disagreeing=0),
    "1.012537": S("agency-none", "commune", fees=(None, None, None, None, None, None, None, None, None),
                  numbers=("184/2025/NĐ-CP", "40/2024/NĐ-CP", "30/2023/QH15"), implemented=("commune",),
                  dates=0, steps=5, documents=3, sets=None, applicants=1, agencies=0, disagreeing=0),
    "1.002771": S("agency-vhttdl", "central,province", fees=("Không", "Không", "Không"),
                  numbers=("14/2026/NĐ-CP", "05/2017/NĐ-CP", "69/2022/NĐ-CP", "95/2015/QH13"),
                  implemented=("so-xay-dung",), dates=0, steps=5, documents=5, sets=None, applicants=9,
                  agencies=8, disagreeing=0),
    "1.000025": S("levels: Cấp bộ, Cấp tỉnh, Cơ quan khác", "central,province", fees=("Không",),
                  numbers=("118/2014/NĐ-CP", "02/2015/TT-BNNPTNT"), implemented=(), dates=0, steps=3,
                  documents=13, sets=None, applicants=4, agencies=1, disagreeing=0),
    "1.003563": S("levels: Cơ quan khác", "", fees=(0,),
                  numbers=("02/2026/TT-BNNMT", "18/2017/QH14", "146/2025/QH15"), implemented=(), dates=0,
                  steps=11, documents=2, sets=None, applicants=9, agencies=1, disagreeing=0),
    "1.009537": S("levels: Cấp bộ, Cơ quan khác", "central", fees=(0, 0, 0), numbers=("155/2020/NĐ-CP",
                  "54/2019/QH14", "66.7/2025/NQ-CP", "66.7/2025/NQ-CP", "64/2025/TT-BTC"), implemented=(),
                  dates=0, steps=13, documents=0, sets=None, applicants=1, agencies=1, disagreeing=0),
    "2.000992": S("levels: Cấp xã, Cơ quan khác", "commune", fees=(10000,), numbers=("23/2015/NĐ-CP",
                  "226/2016/TT-BTC", "280/2025/NĐ-CP", "01/2020/TT-BTP"), implemented=("commune",), dates=0,
                  steps=4, documents=1, sets=None, applicants=1, agencies=1, disagreeing=0),
    "2.000908": S("levels: Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác", "central,province,commune",
                  fees=("Không", "Không", "Không"), numbers=("66.7/2025/NQ-CP", "23/2015/NĐ-CP",
                  "280/2025/NĐ-CP", "01/2020/TT-BTP", "18/2026/NĐ-CP"), implemented=("commune",), dates=0,
                  steps=7, documents=2, sets=None, applicants=2, agencies=1, disagreeing=0),
    "1.003135": S("levels: Cấp tỉnh, Cơ quan khác", "province", fees=(None, None, None),
                  numbers=("38/2023/TT-BGTVT", "60/2024/TT-BGTVT", "09/2025/TT-BXD"),
                  implemented=("so-xay-dung",), dates=0, steps=6, documents=4, sets=None, applicants=3,
                  agencies=2, disagreeing=0),
    "1.003221": S("folder: bo-nong-nghiep-mt", "province", fees=("Không", "Không", "Không"),
                  numbers=("114/2018/NĐ-CP", "08/2017/QH14"), implemented=("so-nong-nghiep-moi-truong",),
                  dates=0, steps=3, documents=3, sets=None, applicants=2, agencies=1, disagreeing=0),
    "1.001316": S("folder: ngan-hang-nha-nuoc", "central", fees=("Không", "Không"),
                  numbers=("16/2022/TT-NHNN",), implemented=(), dates=0, steps=2, documents=1, sets=None,
                  applicants=2, agencies=1, disagreeing=0),
    "1.012919": S("folder: ngan-hang-nha-nuoc", "central", fees=("Không", "Không"),
                  numbers=("32/2024/QH15", "50/2025/TT-NHNN"), implemented=(), dates=0, steps=2, documents=1,
                  sets=None, applicants=1, agencies=1, disagreeing=0),
    "1.002144": S("folder: ngan-hang-nha-nuoc", "central", fees=("Không", "Không"),
                  numbers=("42/2015/TT-NHNN",), implemented=(), dates=0, steps=2, documents=1, sets=None,
                  applicants=2, agencies=1, disagreeing=0),
    "1.001081": S("folder: ngan-hang-nha-nuoc", "central,province", fees=("Không", "Không"),
                  numbers=("11/2026/TT-NHNN", "32/2024/QH15", "50/2025/TT-NHNN"), implemented=(), dates=0,
                  steps=3, documents=3, sets=None, applicants=2, agencies=2, disagreeing=0),
    "3.000164": S("folder: toa-an-nhan-dan", "central,province,commune", fees=("Không", "Không"),
                  numbers=("02/2012/NQ-HĐTP", "110/2015/QH13", "21/2014/L-CTN", "56/2010/QH12"),
                  implemented=("commune", "toa-an-nhan-dan-tinh"), dates=0, steps=4, documents=2, sets=None,
                  applicants=10, agencies=2, disagreeing=0),
    "3.000165": S("folder: toa-an-nhan-dan", "central,province,commune", fees=("Không", "Không"), numbers=(),
                  implemented=("commune", "toa-an-nhan-dan-tinh"), dates=0, steps=4, documents=2, sets=None,
                  applicants=10, agencies=2, disagreeing=0),
    "3.000163": S("folder: toa-an-nhan-dan", "central,province,commune", fees=("Không", "Không"),
                  numbers=("02/2014/TTLT-TANDTC-VKSNDTC-BTP-BTC", "110/2015/QH13", "21/2014/L-CTN",
                  "56/2010/QH12"), implemented=("commune", "toa-an-nhan-dan-tinh"), dates=0, steps=4,
                  documents=3, sets=None, applicants=12, agencies=3, disagreeing=0),
}


@pytest.fixture(scope="module")
def sources() -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r["ma_thu_tuc"]).strip(): r for r in records}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    root = tmp_path_factory.mktemp("catalogue")
    done = run_import(DATA, "--root", root, "--agency-map", AGENCY_MAP, "--updated", "2026-11-26",
                      "--format", "json", "--code", *SAMPLE)
    assert done.returncode == 0, done.stderr
    entries = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "catalogue").iterdir()}
    return root, json.loads(done.stdout), entries


def _fee(channel: dict[str, Any]) -> Any:
    fees = channel.get("fees")
    if not isinstance(fees, list):
        return fees
    values = tuple("?" if "amount" not in f else f"USD {f['amount']}" if f.get("currency") == "USD"
                   else f["amount"] for f in fees)
    return values[0] if len(values) == 1 else values


def test_sample_covers_the_strata(sources: dict[str, dict[str, Any]]) -> None:
    """Every ministry folder, every combination of levels in the data, every shape of fee row the
    independent reading tells apart, step markers and none, dossier sets stated."""
    sample = [sources[code] for code in SAMPLE]
    assert len(sample) >= 60
    assert {r["ministry_folder"] for r in sample} == {r["ministry_folder"] for r in sources.values()}
    assert {r["cap_thuc_hien"] for r in sample} == {r["cap_thuc_hien"] for r in sources.values()}
    shapes = Counter(row.shape for r in sample for row in oracle.fee_rows(r["cach_thuc_thuc_hien"]))
    assert all(shapes[s] >= 2 for s in ("x1000", "glued", "usd", "free+sum")), shapes
    assert sum(row.disagreeing for r in sample for row in oracle.fee_rows(r["cach_thuc_thuc_hien"])) >= 10
    markers = [oracle.step_markers(r["trinh_tu_thuc_hien"]) for r in sample]
    assert sum(m > 0 for m in markers) >= 15 and sum(m == 0 for m in markers) >= 15
    assert sum(bool(oracle.dossier_sets(r)[0]) for r in sample) >= 10
    assert sum(len(oracle.agency_names(r["co_quan_thuc_hien"])) > 1 for r in sample) >= 10


@pytest.mark.parametrize("code", SAMPLE)
def test_sample_entry_value_by_value(code: str, imported: Imported) -> None:
    _, report, entries = imported
    entry, expected = entries[code], SAMPLE[code]
    assert ",".join(entry.get("levels", [])) == expected.levels
    assert tuple(_fee(c) for c in entry.get("channels", [])) == expected.fees
    legal = entry.get("legal_basis") or []
    assert tuple(r["number"] for r in legal) == expected.numbers
    assert sum("date" in r for r in legal) == expected.dates
    implemented = entry.get("implemented_by", {})
    assert (*(["commune"] if implemented.get("level") == "commune" else []),
            *implemented.get("agencies", [])) == expected.implemented
    assert len(entry.get("steps", [])) == expected.steps
    assert len(entry.get("documents") or []) == expected.documents
    assert entry.get("dossier_sets") == expected.sets
    assert len(entry.get("applicants", [])) == expected.applicants
    assert len(entry.get("agency_names", [])) == expected.agencies
    assert sum(line.startswith(f"{code}:") for line in report["disagreements"]) == expected.disagreeing


def test_sample_against_the_independent_reading(sources: dict[str, dict[str, Any]],
                                                imported: Imported) -> None:
    _, _, entries = imported
    figures = oracle.Figures()
    known = frozenset(name.lower() for name in yaml.safe_load(AGENCY_MAP.read_text(encoding="utf-8")))
    for code in SAMPLE:
        oracle.compare(sources[code], entries.get(code), figures, known)
    missed = [(t.what, t.value) for t in oracle.targets(figures) if not t.met]
    assert not missed, (missed, figures.examples)
    assert figures.count["fee rows stating an amount"] >= 40 and figures.count["instrument numbers"] >= 200


def test_sample_unmapped_agency_names_are_reported(sources: dict[str, dict[str, Any]],
                                                   imported: Imported) -> None:
    _, report, entries = imported
    known = AgencyMap.load(AGENCY_MAP).ids
    expected: Counter[str] = Counter()
    for code in SAMPLE:
        names = {n: None for n in entries[code].get("agency_names", [])}
        expected.update(n for n in names if AgencyMap.key(n) not in known)
    assert report["unmapped_agency_names"] == dict(expected) and sum(expected.values()) >= 20
    # The one name with a comma of its own, known to the map, stays whole.
    assert "Bộ Văn hóa, Thể thao và Du lịch" in entries["1.002771"]["agency_names"]


def test_sample_fails_the_schema_only_where_the_source_is_silent(
        imported: Imported) -> None:
    """What validation will ask a clerk for is exactly what the report counts as missing."""
    _, report, entries = imported
    lacking: Counter[str] = Counter()
    for entry in entries.values():
        for path, message in schema_errors(entry):
            if message.endswith("is a required property") and "." not in path:
                key = message.split("'")[1]
                lacking[f"{path}.{key}" if path else key] += 1
    for path in ("levels", "implemented_by", "requirements", "dossier_sets", "documents", "legal_basis",
                 "result", "announcement.date"):
        assert lacking[path] == len(entries) - report["fields"][path]["parsed"], path


# Words the importer replaces by structured values (or drops as table headers): they may be
# absent from the output without any content being lost.
_STRUCTURAL = re.compile("|".join([
    *map(re.escape, [
        CHANNEL_HEADER, DOCUMENT_HEADER, LEGAL_HEADER, "Không có thông tin", "Miễn phí", "Trực tiếp",
        "Trực tuyến", "Dịch vụ bưu chính", "Ngày làm việc", "Ngày", "Giờ", "Tháng", "Việt Nam Đồng", "VNĐ",
        "USD", "bản chính", "bản sao", "Mã:", "Từ khóa", "Mô tả", "Cấp bộ", "Cấp tỉnh", "Cấp xã"]),
    r"Số lượng hồ sơ\s*:?\s*0*\d+\s*\(?\s*(?:\(\w+\)\s*)?bộ",  # read into dossier_sets
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


@pytest.mark.parametrize("code", SAMPLE)
def test_sample_entry_keeps_every_word_of_its_source(code: str, sources: dict[str, dict[str, Any]],
                                                     imported: Imported) -> None:
    src, data = sources[code], imported[2][code]
    assert data["name"] == _flat(src["ten_thu_tuc"])
    assert data["announcement"] == {"decision": _flat(src["so_quyet_dinh"])}
    # Steps: only bullets, blank lines and line breaks go; every letter and digit stays, in order.
    steps_source = normalise(src["trinh_tu_thuc_hien"])
    assert re.sub(r"\W", "", "".join(data["steps"])) == re.sub(r"\W", "", steps_source)
    # Table cells: every value written is text of the source.
    flat_source = _flat(" ".join(src[k] for k in _MAPPED))
    for doc in data.get("documents") or []:
        assert doc["name"] in flat_source, doc
    for law in data.get("legal_basis") or []:
        assert law["number"] in flat_source and law.get("title", "") in flat_source, law
    for channel in data.get("channels", []):
        for fee in channel["fees"] if isinstance(channel.get("fees"), list) else []:
            assert "amount" not in fee or str(fee["amount"]) in re.sub(r"[.,]", "", flat_source), fee
    # Nothing dropped: every word of the mapped source fields is in the entry or its note.
    written = set(_WORD.findall(" ".join(_strings(data))))
    texts = [normalise(src[k]) for k in _MAPPED]
    texts[_MAPPED.index("ket_qua_xu_ly")] = texts[_MAPPED.index("ket_qua_xu_ly")].split(
        "Chọn cơ quan thực hiện")[0]  # the page's search box, documented as chrome
    lost = {w for w in _WORD.findall(_STRUCTURAL.sub(" ", " ".join(texts)))
            if not _covered(w, written | _KIND_WORDS)}
    # A source word may also be glued to a neighbour inside a text kept verbatim.
    assert not {w for w in lost if not any(w in v for v in written)}


def test_sample_imports_twice_identically(imported: Imported) -> None:
    root, _, _ = imported
    before = {p.name: p.read_bytes() for p in (root / "catalogue").iterdir()}
    again = run_import(DATA, "--root", root, "--agency-map", AGENCY_MAP, "--updated", "2026-11-26",
                       "--format", "json", "--code", *SAMPLE)
    assert again.returncode == 0
    assert json.loads(again.stdout)["outcomes"]["unchanged"] == len(SAMPLE)
    assert {p.name: p.read_bytes() for p in (root / "catalogue").iterdir()} == before
