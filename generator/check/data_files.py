"""Data files beside the records (DATA_FOLDERS): their schema, their month and their agency."""

from __future__ import annotations

import re

from generator.check.rules import Index
from generator.check.schema import check_schema
from generator.model import Problem, Record

_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")


def check_data_file(record: Record, index: Index) -> list[Problem]:
    problems = list(check_schema(record, record.data))
    if not _MONTH.match(record.stem):
        problems.append(Problem(record.path, 1, 1, "", f"tên tệp '{record.stem}.yaml' phải là tháng "
                                "của số liệu, dạng YYYY-MM.yaml (ví dụ 2026-03.yaml)", "CK-FILE"))
    if record.folder_agency not in index.agencies:
        problems.append(Problem(record.path, 1, 1, "", f"chưa có hồ sơ cơ quan hotlines/"
                                f"{record.folder_agency}.yaml cho thư mục này", "CK-AGENCY-UNKNOWN"))
    return problems
