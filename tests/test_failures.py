"""A build that fails leaves the previous site byte for byte, says why in Vietnamese, and
leaves no temporary folder behind; a build that lost a record's output fails (publish/verify.py).

One previous site is built once; each failure is then provoked against it: invalid data through
the real command line in its own process, and in-process (monkeypatched) an mkdocs error, a missing or failing
indexer, a full disk at each writing step, a failed swap, and a render or export step that drops
one record's page, listing entry or open-data entry.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import mkdocs.commands.build
import pytest
from conftest import VALID, run_process

import generator.publish as publish
from generator import cli, render
from generator.check.corpus import Corpus
from generator.load import load_repository
from generator.prepare import prepare
from generator.publish import pagefind
from generator.publish.mkdocs import DEFAULT_SITE_URL
from generator.publish.verify import IncompleteSiteError, check_site
from generator.render import exports, pages
from generator.render.site import Group, Linker, Page, Site, counter_src

pytestmark = pytest.mark.slow

TODAY = "2026-11-26"
PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"
PLAN = "plans_and_policies/so-tai-chinh/quy-hoach-tinh-khanh-hoa-2021-2030.yaml"
AGENCY = "hotlines/so-tai-chinh.yaml"
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(load_repository(VALID)[0])


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    """The site already published, alone in its parent folder."""
    out = tmp_path_factory.mktemp("failures") / "site"
    publish.build_site(prepare(corpus), out, build_date=date.fromisoformat(TODAY))
    return out


def digest(root: Path) -> dict[str, str]:
    """Every folder, file (content hash and mode) and link under `root`."""
    out = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        rel = path.relative_to(root).as_posix()
        if stat.S_ISDIR(mode):
            out[rel] = "dir"
        elif stat.S_ISLNK(mode):
            out[rel] = "link:" + os.readlink(path)
        else:
            out[rel] = f"{stat.S_IMODE(mode):o}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
    assert out
    return out


@contextmanager
def untouched(out: Path) -> Iterator[None]:
    """The block must leave `out` (a link to the site's folder) as it was, and nothing beside
    them (temporary folders)."""
    before = digest(out), os.readlink(out)
    yield
    assert (digest(out), os.readlink(out)) == before, "the previous site changed"
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, os.readlink(out)]), \
        "a temporary folder was left"


def build_in_process(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`congkhai build` in this process (so monkeypatches apply): it must fail with exit 1 and
    a Vietnamese message, no traceback. Returns the message."""
    capsys.readouterr()
    code = cli.main(["build", "--root", str(VALID), "--out", str(out), "--today", TODAY])
    captured = capsys.readouterr()
    assert code == cli.EXIT_PROBLEMS, captured
    assert captured.err.startswith("lỗi xuất bản: ") and "Traceback" not in captured.err, captured.err
    assert captured.out == ""
    return captured.err


# --- invalid data --------------------------------------------------------------------------


def test_invalid_data_with_strict_publishes_nothing(previous: Path, tmp_path: Path) -> None:
    """Without --strict an invalid record is held back and the rest published
    (test_catalogue.py); with it, the build fails and the previous site stays."""
    root = tmp_path / "repo"
    shutil.copytree(VALID, root)
    record = root / PROCEDURE
    record.write_text(record.read_text("utf-8").replace("name: Đăng ký khai sinh\n", ""), "utf-8")
    with untouched(previous):
        done = run_process("build", "--root", root, "--out", previous, "--today", TODAY, "--strict")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{PROCEDURE}:" in done.stderr and "thiếu trường bắt buộc" in done.stderr
    assert "Không xuất bản (--strict): hãy sửa các lỗi trên rồi chạy lại." in done.stderr


# --- mkdocs --------------------------------------------------------------------------------


def _raise(exc: BaseException) -> Callable[..., Any]:
    def fail(*_: object, **__: object) -> Any:
        raise exc
    return fail


def test_mkdocs_abort(previous: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.setattr(publish.mkdocs, "build", _raise(Abort("Aborted with 1 warnings in strict mode!")))
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert "MkDocs dừng khi dựng trang web: Aborted" in message


def test_mkdocs_error_inside_a_page(previous: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(mkdocs.commands.build, "_build_page", _raise(RuntimeError("trang hỏng")))
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert "MkDocs không dựng được trang web: trang hỏng" in message


def test_broken_mkdocs_config(previous: Path, tmp_path_factory: pytest.TempPathFactory,
                              monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                              caplog: pytest.LogCaptureFixture) -> None:
    config = tmp_path_factory.mktemp("config") / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: khong-co-giao-dien-nay\n", "utf-8")
    monkeypatch.setattr(publish.mkdocs, "default_config", lambda: config)
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert "MkDocs dừng khi dựng trang web: Aborted with a configuration error!" in message
    # mkdocs logs the reason itself (on stderr, before our message, outside the tests)
    assert "Unrecognised theme name: 'khong-co-giao-dien-nay'" in caplog.text


# --- the indexer ---------------------------------------------------------------------------


def _failing_indexer(folder: Path) -> Path:
    script = folder / "pagefind"
    script.write_text("#!/bin/sh\necho 'Error: chỉ mục hỏng' >&2\nexit 3\n", "utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("case, expected", [
    ("missing binary", "không chạy được Pagefind"),
    ("missing package", "thiếu gói pagefind[bin]"),
    ("failing binary", "Pagefind dừng với mã 3: Error: chỉ mục hỏng"),
])
def test_indexer_missing_or_failing(case: str, expected: str, previous: Path,
                                    tmp_path_factory: pytest.TempPathFactory,
                                    monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path_factory.mktemp("indexer")
    if case == "missing binary":
        monkeypatch.setattr(pagefind, "pagefind_executable", lambda: folder / "pagefind")
    elif case == "missing package":
        monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # import fails
    else:
        monkeypatch.setattr(pagefind, "pagefind_executable", lambda: _failing_indexer(folder))
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert f"Không tạo được chỉ mục tìm kiếm: {expected}" in message


# --- a full disk ---------------------------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch, method: str, full: Callable[[Path], bool]) -> None:
    """Path.<method> raises ENOSPC for the paths `full` picks."""
    real = getattr(Path, method)

    def write(self: Path, *args: Any, **kwargs: Any) -> Any:
        if full(self):
            raise ENOSPC
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, write)


@pytest.mark.parametrize("method, full, step", [
    ("write_bytes", lambda p: "exports" in p.parts and p.name.endswith(".json"), "Lỗi khi tạo dữ liệu mở"),
    ("write_text", lambda p: p.suffix == ".md", "Lỗi khi tạo nội dung các trang"),
    ("write_bytes", lambda p: p.name == "sitemap.xml", "Lỗi khi ghi dữ liệu mở vào trang web"),
    # rendered by a forked process while the pages are built: its error is the build's
    ("write_text", lambda p: "sheets" in p.parts, "Lỗi khi tạo các bản niêm yết"),
], ids=["staging open data (threads)", "rendering pages", "moving open data into the site",
        "rendering counter sheets (forked)"])
def test_disk_full(method: str, full: Callable[[Path], bool], step: str, previous: Path,
                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _full_disk(monkeypatch, method, full)
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert f"{step}: ổ đĩa đã hết chỗ trống" in message


def test_failed_first_build_leaves_nothing(corpus: Corpus, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk(monkeypatch, "write_text", lambda p: p.suffix == ".md")
    with pytest.raises(publish.PublishError):
        publish.build_site(prepare(corpus), tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


# --- the swap ------------------------------------------------------------------------------


SWAP_STEPS: dict[str, Callable[[Path, str], bool]] = {
    # os function: is this call the swap's (given `out` and the call's destination)?
    "rename": lambda out, dst: Path(dst).name.startswith(f".{out.name}.v-"),  # new site beside the old
    "symlink": lambda out, dst: dst.endswith(".link"),  # its link, made in the build folder
    "replace": lambda out, dst: dst == str(out),  # the link renamed over `out`
}


@pytest.mark.parametrize("step", SWAP_STEPS)
def test_failed_swap_keeps_the_old_site(step: str, previous: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    real = getattr(os, step)
    calls: list[str] = []

    def fail(src: Any, dst: Any) -> None:
        if SWAP_STEPS[step](previous, os.fspath(dst)):
            calls.append(os.fspath(dst))
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real(src, dst)

    monkeypatch.setattr(os, step, fail)
    with untouched(previous):
        message = build_in_process(previous, capsys)
    assert calls, "the swap was not reached"
    assert f"Không thay được trang web cũ tại {previous}" in message


# --- nothing lost --------------------------------------------------------------------------


def _without_page(src_of: Callable[[Site], str], jobs_of: str = "page_jobs") -> Callable[[Site], list[Any]]:
    """render.<jobs_of> (page_jobs or sheet_jobs) minus the job that makes the page at `src_of(site)`."""
    real = getattr(render, jobs_of)

    def jobs(site: Site) -> list[Any]:
        target = src_of(site)
        kept = [job for job in real(site) if job().src != target]
        assert len(kept) == len(real(site)) - 1
        return kept

    return jobs


def _group_without(path: str) -> Callable[..., pages.Page]:
    real = pages.group_page

    def group_page(site: Site, group: Group, *, level: bool) -> Page:
        kept = Group(group.name, group.src, [p for p in group.procedures if p.path != path])
        return real(site, kept, level=level)

    return group_page


def _fields_without(path: str) -> Callable[..., list[dict[str, Any]]]:
    real = pages._by_field  # an agency's current procedures, by field

    def by_field(site: Site, here: Linker, records: Any, places: bool, *rest: str) -> list[dict[str, Any]]:
        return real(site, here, [r for r in records if r.path != path], places, *rest)

    return by_field


def _rows_without(path: str) -> Callable[..., list[dict[str, Any]]]:
    real = pages._plan_rows

    def rows(site: Site, here: Linker, records: Any) -> list[dict[str, Any]]:
        return real(site, here, [r for r in records if r.path != path])

    return rows


def _agencies_without(path: str) -> Callable[..., list[dict[str, Any]]]:
    real = pages._agencies_by_level

    def by_level(site: Site, item: Callable[..., dict[str, Any]]) -> list[dict[str, Any]]:
        levels = real(site, item)
        name = next(a.title for a in site.agencies.values() if a.path == path)
        return [{**level, "agencies": [a for a in level["agencies"] if a["name"] != name]}
                for level in levels]

    return by_level


def _staged(edit: Callable[[Path], None]) -> Callable[..., exports.Exports]:
    """stage_exports, then `edit` on its staging folder."""
    real = exports.stage_exports

    def stage(site: Site, folder: Path, options: exports.ExportOptions) -> exports.Exports:
        staged = real(site, folder, options)
        edit(folder)
        return staged

    return stage


def _drop_from_collection(folder: Path) -> None:
    target = folder / "api" / "procedures.json"  # one record a line, as the exporter writes it
    lines = target.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if f'"source_path":"{PROCEDURE}"' not in line]
    assert len(kept) == len(lines) - 1
    target.write_text("".join(kept), "utf-8")


def _drop_csv_row(folder: Path) -> None:
    target = folder / "api" / "plans_and_policies.csv"
    with open(target, encoding="utf-8-sig", newline="") as stream:
        rows = [row for row in csv.reader(stream) if PLAN not in row]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    target.write_text("\ufeff" + text.getvalue(), "utf-8")


LOSSES: dict[str, tuple[str, Callable[[], Any], str]] = {
    # case: (attribute to replace, its replacement, the missing item the message names)
    "record page": ("generator.render.page_jobs",
                    lambda: _without_page(lambda site: site.src[PROCEDURE]),
                    f"Thiếu trang của hồ sơ {PROCEDURE}"),
    "counter sheet": ("generator.render.sheet_jobs",
                      lambda: _without_page(lambda site: counter_src(site.src[PROCEDURE]), "sheet_jobs"),
                      f"Thiếu bản niêm yết của thủ tục {PROCEDURE}"),
    "field page entry": ("generator.render.pages.group_page", lambda: _group_without(PROCEDURE),
                         f"Trang linh-vuc/ho-tich/ (lĩnh vực) không liệt kê hồ sơ {PROCEDURE}"),
    "agency page entry": ("generator.render.pages._by_field", lambda: _fields_without(PROCEDURE),
                          f"Trang co-quan/phuong-nha-trang/ (cơ quan) không liệt kê hồ sơ {PROCEDURE}"),
    "plan register entry": ("generator.render.pages._plan_rows", lambda: _rows_without(PLAN),
                            f"Trang van-ban/ (văn bản) không liệt kê hồ sơ {PLAN}"),
    "hotline directory entry": ("generator.render.pages._agencies_by_level",
                                lambda: _agencies_without(AGENCY),
                                f"Trang duong-day-nong/ (đường dây nóng) không liệt kê hồ sơ {AGENCY}"),
    "json collection entry": ("generator.publish.stage_exports", lambda: _staged(_drop_from_collection),
                              f"Dữ liệu mở api/procedures.json thiếu hồ sơ {PROCEDURE}"),
    "record json file": ("generator.publish.stage_exports",
                         lambda: _staged(lambda f: (f / "api/agencies/so-tai-chinh.json").unlink()),
                         f"Thiếu tệp dữ liệu mở api/agencies/so-tai-chinh.json của hồ sơ {AGENCY}"),
    "csv row": ("generator.publish.stage_exports", lambda: _staged(_drop_csv_row),
                f"Dữ liệu mở api/plans_and_policies.csv thiếu hồ sơ {PLAN}"),
}


@pytest.mark.parametrize("case", LOSSES)
def test_lost_output_fails_the_build(case: str, corpus: Corpus, previous: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target, replacement, missing = LOSSES[case]
    monkeypatch.setattr(target, replacement())
    with untouched(previous), pytest.raises(publish.PublishError) as failed:
        publish.build_site(prepare(corpus), previous, build_date=date.fromisoformat(TODAY))
    assert str(failed.value).startswith("Trang web vừa dựng còn thiếu nên không được xuất bản: ")
    assert missing in str(failed.value)


def test_message_names_the_first_losses_and_counts_the_rest(corpus: Corpus, tmp_path: Path) -> None:
    site_map = Site(prepare(corpus), DEFAULT_SITE_URL)
    with pytest.raises(IncompleteSiteError) as failed:
        check_site(site_map, tmp_path)  # an empty folder: everything is missing
    message = str(failed.value)
    assert message.count("; ") == 9 and "chỗ thiếu khác)." in message
    assert f"Thiếu trang của hồ sơ {AGENCY}" in message
