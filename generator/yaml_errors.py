"""libyaml's syntax errors said the way a clerk can act on them, at the line that needs the fix.

libyaml reports where parsing became impossible, which is often not where the mistake is (a
missing space after ':' is noticed on the next line) and words it for YAML experts, in English.
Each complaint is matched here, the source line is looked at, and the message is Vietnamese and
says what to type. Nothing of libyaml's English reaches the clerk.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_KEY_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(\S.*)$")  # "field:Luật sư"
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s:#'\"][^:#]*?:\s")  # "name: " (a key, a space)
_QUOTES = "\"'"

_INDENT_HINT = ("thụt lề: các khóa cùng một khối phải bắt đầu ở cùng một cột, các mục '- ' "
                "của cùng một danh sách cũng vậy")
_FALLBACK = ("cú pháp YAML không hợp lệ ở đây; hãy kiểm tra thụt lề, dấu ':' sau tên khóa và "
             "dấu nháy của dòng này và dòng ngay trên")


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int, int]:
    """(Vietnamese message, line, column) for a libyaml scanner or parser error."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    start = exc.context_mark
    start_line = start.line + 1 if start else line
    lines = text.splitlines() or [""]

    def source(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    if "tab character" in problem or (
            "cannot start any token" in problem and source(line)[column - 1:column] == "\t"):
        return ("không dùng phím Tab để thụt lề hoặc cách giá trị; hãy thay ký tự Tab bằng dấu cách",
                line, column)
    if "could not find expected ':'" in problem and "simple key" in context:
        return _missing_colon(source(start_line)), start_line, start.column + 1 if start else 1
    if "mapping values are not allowed" in problem:
        message, in_value = _stray_colon(source(line), column)
        return message, line, column if in_value else _first_column(source(line))
    if "did not find expected key" in problem:
        before = source(line)[:column - 1].rstrip()
        if before.endswith(tuple(_QUOTES)):
            return ("sau dấu nháy đóng còn chữ: giá trị có dấu nháy bên trong thì hãy bọc cả giá trị "
                    "bằng loại dấu nháy kia, ví dụ 'Giấy \"A\" bản chính' hoặc \"Giấy 'A' bản chính\", "
                    "hoặc bỏ dấu nháy bao ngoài"), line, column
        return f"dòng này lệch {_INDENT_HINT}", line, column
    if "expected '-' indicator" in problem:
        return f"mục danh sách này lệch {_INDENT_HINT}", line, column
    if "found unexpected end of stream" in problem and "quoted scalar" in context and start:
        return (f"dấu nháy mở ở dòng {start_line} chưa được đóng; hãy thêm dấu nháy đóng cuối giá trị",
                start_line, start.column + 1)
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        opened = "'[' mở một danh sách" if "]" in problem else "'{' mở một khối"
        where = start_line if start else line
        return (f"dấu {opened} viết trên một dòng nhưng không được đóng; nếu đây là chữ, hãy đặt cả "
                "giá trị trong dấu nháy"), where, start.column + 1 if start else 1
    if ("anchor" in context or "alias" in context) and start:
        line, column = start_line, start.column + 1  # "&" or "*" itself, not what follows
    if "cannot start any token" in problem or "anchor" in context or "alias" in context:
        char = source(line)[column - 1:column] or "?"
        return (f"giá trị không được bắt đầu bằng ký tự '{char}'; hãy đặt cả giá trị trong dấu nháy, "
                f"ví dụ \"{char}…\""), line, column
    if "block sequence entries are not allowed" in problem:
        return ("dấu '- ' chỉ dùng để mở một mục danh sách ở đầu dòng; nếu đây là chữ, hãy đặt cả "
                "giá trị trong dấu nháy"), line, column
    if "mapping keys are not allowed" in problem:
        return "giá trị bắt đầu bằng '? ' phải đặt trong dấu nháy", line, column
    if "block scalar" in context:
        return ("sau '|' hoặc '>' phải xuống dòng rồi mới viết nội dung (thụt lề); nếu đây là chữ, "
                "hãy đặt cả giá trị trong dấu nháy"), line, column
    if "unknown escape character" in problem or "escape" in problem:
        return ("trong dấu nháy kép, dấu '\\' mở một ký tự đặc biệt; hãy dùng dấu nháy đơn, hoặc "
                "viết '\\\\' cho một dấu '\\'"), line, column
    if "<document start>" in problem:
        return ("tệp chỉ chứa một hồ sơ: dòng '---' hoặc '...' ở giữa tệp không hợp lệ, hoặc dòng "
                "này thụt lề sai"), line, column
    if "found unexpected end of stream" in problem:
        return "tệp kết thúc khi dấu nháy hoặc ngoặc chưa đóng", line, column
    return _FALLBACK, line, column


def _missing_colon(text: str) -> str:
    m = _KEY_COLON.match(text)
    if m:
        indent, key, value = m.groups()
        return f"sau dấu ':' phải có một dấu cách: viết '{indent.lstrip()}{key}: {value}'"
    return ("dòng này thiếu dấu ':' sau tên khóa (hoặc thiếu '- ' nếu là một mục của danh sách), "
            "hoặc lệch thụt lề so với dòng trên")


def _first_column(text: str) -> int:
    return len(text) - len(text.lstrip()) + 1


def _stray_colon(text: str, column: int) -> tuple[str, bool]:
    """The message, and whether the colon is inside a value (rather than a misplaced key)."""
    before = text[:column - 1]
    if _KEY_VALUE.match(before):
        # The line already has its "key: " and the value holds another ": ".
        key, _, value = text.partition(":")
        value = value.strip()
        quoted = f"'{value}'" if '"' in value else f'"{value}"'
        return (f"giá trị có dấu ':' và dấu cách phải đặt trong dấu nháy: viết "
                f"{key.strip()}: {quoted}"), True
    return (f"dòng này lệch {_INDENT_HINT} (hoặc giá trị ở dòng trên có dấu ':' mà chưa đặt "
            "trong dấu nháy)"), False


def reader_message(exc: Any) -> str:
    """A reader error: a character YAML does not accept anywhere in a file."""
    character = getattr(exc, "character", None)
    code = f"U+{character:04X}" if isinstance(character, int) else ""
    if character == 0:
        return "tệp chứa ký tự NUL (U+0000); hãy xóa ký tự này"
    return f"tệp chứa ký tự điều khiển không in được {code}; hãy xóa ký tự này".replace("  ", " ")
