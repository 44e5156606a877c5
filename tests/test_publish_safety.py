"""Where a build may publish, and how: it never replaces what it did not build, the published
path switches in one rename, leftovers of killed runs are removed, and a long record is no crash."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import VALID, run_cli

import generator.publish as publish
from generator import cli
from generator.check.corpus import Corpus
from generator.load import load_repository
from generator.prepare import Prepared, prepare
from generator.publish import sitewalk

TODAY = "2026-11-26"
PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"


def tree(root: Path) -> dict[str, str]:
    """Every path under `root` with its content hash (links: their target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.fixture
def git_repo(repo: Path) -> Path:
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


@pytest.mark.parametrize(("out", "reason"), [
    ("procedures", "là thư mục dữ liệu procedures/ hoặc nằm trong nó"),
    (".", "đây là thư mục gốc của kho dữ liệu (hoặc chứa nó): xuất bản vào đó sẽ xóa các hồ sơ"),
])
def test_out_on_the_records_is_refused_and_nothing_changes(git_repo: Path, out: str, reason: str) -> None:
    before = tree(git_repo)
    done = run_cli("build", "--root", ".", "--out", out, "--today", TODAY, cwd=git_repo)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"congkhai: --out {out}: {reason}; hãy chọn một thư mục riêng cho trang web, "
                           "ví dụ --out site\n")
    assert tree(git_repo) == before


def _foreign_link(repo: Path) -> str:
    (repo.parent / "elsewhere").mkdir()
    (repo.parent / "elsewhere" / "notes.txt").write_text("của người khác", "utf-8")
    os.symlink(repo.parent / "elsewhere", repo / "linked")
    return "linked"


def _planted_mark(repo: Path) -> str:
    (repo / "hotlines" / publish.SITE_MARK).write_text("", "utf-8")  # a marker does not make records a site
    return str(repo / "hotlines")


def _marked_repository_copy(repo: Path) -> str:
    shutil.copytree(repo / "procedures", repo / "copy" / "procedures")
    (repo / "copy" / publish.SITE_MARK).write_text("", "utf-8")
    return "copy"


def _non_empty(repo: Path) -> str:
    (repo / "notes").mkdir()
    (repo / "notes" / "a.txt").write_text("x", "utf-8")
    return "notes"


REFUSED: dict[str, tuple[Callable[[Path], str], str]] = {
    # case: (makes the --out value in the repository, the reason printed)
    "inside a data folder": (lambda repo: "procedures/phuong-nha-trang/site",
                             "là thư mục dữ liệu procedures/ hoặc nằm trong nó"),
    "empty data folder": (lambda repo: "catalogue", "là thư mục dữ liệu catalogue/ hoặc nằm trong nó"),
    "parent of the repository": (lambda repo: "..", "đây là thư mục gốc của kho dữ liệu (hoặc chứa nó): "
                                                    "xuất bản vào đó sẽ xóa các hồ sơ"),
    "inside .git": (lambda repo: ".git/site", "nằm trong một kho git (.git)"),
    "a folder it did not build": (_non_empty, "thư mục không trống và không phải trang web do congkhai "
                                              "dựng (không có tệp .congkhai-site): congkhai không xóa thứ "
                                              "nó không tạo ra (nếu chắc chắn không cần thư mục đó, tự xóa "
                                              "nó rồi chạy lại)"),
    "a link to a folder it did not build": (_foreign_link, "là liên kết tới {elsewhere}, không phải trang "
                                                           "web do congkhai dựng"),
    "a data folder with a planted marker": (_planted_mark, "là thư mục dữ liệu hotlines/ hoặc nằm trong nó"),
    "a marked folder holding records": (_marked_repository_copy,
                                        "thư mục chứa procedures (dữ liệu hoặc một kho git), không phải "
                                        "trang web"),
    "a file": (lambda repo: "README", "là một tệp, không phải thư mục"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_outputs(case: str, git_repo: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    (git_repo / "README").write_text("x", "utf-8")
    make, reason = REFUSED[case]
    out = make(git_repo)
    before, beside = tree(git_repo), tree(git_repo.parent)
    monkeypatch.chdir(git_repo)
    assert cli.main(["build", "--out", out, "--today", TODAY]) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    reason = reason.format(elsewhere=git_repo.parent / "elsewhere")
    assert captured.err == f"congkhai: --out {out}: {reason}; hãy chọn một thư mục riêng cho trang web, " \
                           "ví dụ --out site\n"
    assert (tree(git_repo), tree(git_repo.parent)) == (before, beside)


@pytest.fixture(scope="module")
def corpus() -> Prepared:
    return prepare(Corpus(load_repository(VALID)[0]))


def test_publishes_over_nothing_an_empty_folder_or_its_own_site(corpus: Prepared, tmp_path: Path) -> None:
    for out in (tmp_path / "a" / "site", tmp_path / "b" / "empty"):
        out.parent.mkdir(exist_ok=True)
        if out.name == "empty":
            out.mkdir()
        publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
        assert out.is_symlink() and (out / "index.html").is_file() and (out / publish.SITE_MARK).is_file()
        first = os.readlink(out)
        publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
        assert os.readlink(out) != first and not (out.parent / first).exists()
        assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, os.readlink(out)])


def test_the_published_path_is_never_missing(corpus: Prepared, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """After every file-system step of a rebuild, `out` is a whole site, the old or the new: a
    build killed between any two steps leaves a site (the swap used to be two renames)."""
    out = tmp_path / "site"
    publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
    old = os.readlink(out)
    seen: list[tuple[str, str | None]] = []

    def observed(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            result = real(*args, **kwargs)
            whole = (out / "index.html").is_file() and (out / publish.SITE_MARK).is_file()
            seen.append((name, os.readlink(out) if whole else None))
            return result
        return step

    for module, name in ((os, "rename"), (os, "replace"), (os, "symlink"), (shutil, "rmtree")):
        monkeypatch.setattr(module, name, observed(name, getattr(module, name)))
    publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
    monkeypatch.undo()
    new = os.readlink(out)
    assert new != old
    assert all(target is not None for _, target in seen), seen
    switched = [i for i, (_, target) in enumerate(seen) if target == new]
    assert seen[switched[0]][0] == "replace"  # the one rename that switches
    assert all(target == old for _, target in seen[:switched[0]])


def test_leftovers_of_killed_runs_are_removed(corpus: Prepared, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
    leftovers = [".site.build-k1ll3d9x", ".site.old-1a2b3c4d", ".site.v-0123456789ab"]
    for name in leftovers:
        (tmp_path / name / "docs").mkdir(parents=True)
    kept = [".site.notes", "site-2", ".other.build-x"]  # not this build's names: never touched
    for name in kept:
        (tmp_path / name).mkdir()
    publish.build_site(corpus, out, build_date=date.fromisoformat(TODAY))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "site", os.readlink(out)])


def test_a_record_longer_than_the_csv_field_limit_is_published(repo: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Seven steps of 19,000 characters are one CSV cell of 133,000: the nothing-lost check read
    it with the csv module's default limit (131,072) and the build stopped with exit 70."""
    path = repo / PROCEDURE
    steps = "".join(f"  - Bước {i} {'x' * 19_000}\n" for i in range(7))
    path.write_text(path.read_text("utf-8").replace("steps:\n", "steps:\n" + steps, 1), "utf-8")
    out = tmp_path / "site"
    assert cli.main(["build", "--root", str(repo), "--out", str(out), "--today", TODAY]) == 0, \
        capsys.readouterr().err
    assert (out / "api/procedures.csv").read_text("utf-8-sig").count("x" * 19_000) == 7


def test_counter_sheets_move_into_the_built_site_folder_by_folder(tmp_path: Path) -> None:
    """The sheets are rendered apart from mkdocs' pages and moved in after Pagefind: a folder the
    site lacks moves whole, a shared one is entered, and nothing built is overwritten."""
    sheets, site = tmp_path / "sheets", tmp_path / "site"
    (sheets / "thu-tuc/1.1-a/niem-yet/xa-a").mkdir(parents=True)
    (sheets / "thu-tuc/1.1-a/niem-yet/xa-a/index.html").write_text("sheet", encoding="utf-8")
    (sheets / "thu-tuc/1.2-b/niem-yet").mkdir(parents=True)
    (site / "thu-tuc/1.1-a").mkdir(parents=True)
    (site / "thu-tuc/1.1-a/index.html").write_text("page", encoding="utf-8")
    sitewalk.move_into(sheets, site)
    assert (site / "thu-tuc/1.1-a/niem-yet/xa-a/index.html").read_text(encoding="utf-8") == "sheet"
    assert (site / "thu-tuc/1.1-a/index.html").read_text(encoding="utf-8") == "page"
    assert (site / "thu-tuc/1.2-b/niem-yet").is_dir() and not (sheets / "thu-tuc/1.2-b").exists()
    (sheets / "thu-tuc/1.1-a").mkdir(parents=True, exist_ok=True)  # its niem-yet/ moved, it stays
    (sheets / "thu-tuc/1.1-a/index.html").write_text("other", encoding="utf-8")
    with pytest.raises(FileExistsError):
        sitewalk.move_into(sheets, site)
    assert (site / "thu-tuc/1.1-a/index.html").read_text(encoding="utf-8") == "page"
