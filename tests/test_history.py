"""The change history of procedure and plan pages, from git, the way the portal publishes it.

A temporary git repository is made from the sample, the clerks commit changes on chosen days
(a fee lowered, a time lengthened in the catalogue, a shorter time at one agency, a plan's number
corrected after a commit that did not parse), and `congkhai build` must show each change on the
right pages with its day, and in the feeds. A repository that is no git repository, a shallow
clone and files not committed build without history. The comparison of two versions of a record
is tested on its own below.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from conftest import REPO, VALID, build_ok

from generator.prepare.history import MAX_LINES, diff, file_changes
from generator.versions import Version, read_versions

TODAY = "2026-11-26"
ENTRY = "catalogue/1.001612.yaml"  # phường Nha Trang performs it with its own shorter times
PLAN = "plans_and_policies/so-tai-chinh/phi-le-phi-thuoc-tham-quyen-hdnd.yaml"
PROCEDURE = "procedures/phuong-nha-trang/1.001193.yaml"  # in tests/fixtures/valid
SAMPLE = ("catalogue", "procedures", "plans_and_policies", "hotlines", "dossier_stats", "dossier_reports")


# --- a repository with a past ---------------------------------------------------------------


def git(root: Path, *args: str, day: str | None = None) -> str:
    """git in `root`, as a clerk with no configuration of their own; commits dated `day`."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = day
    done = subprocess.run(["git", "-c", "user.name=Văn thư", "-c", "user.email=vanthu@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=root, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


def commit(root: Path, day: str, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, day=day)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), "utf-8")


def copy_sample(target: Path) -> Path:
    target.mkdir()
    for folder in SAMPLE:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


class History(HTMLParser):
    """The change history of one built page: (ISO day, day as shown, lines), newest first."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.source = ""  # the record the page shows (its h1's data-source)
        self.changes: list[tuple[str, str, list[str]]] = []
        self._section = self._time = self._lines = self._line = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        got = dict(attrs)
        if tag == "h1":
            self.source = got.get("data-source") or ""
        elif tag == "section" and got.get("class") == "ck-history":
            self._section = True
        elif self._section and tag == "time":
            self.changes.append((got.get("datetime") or "", "", []))
            self._time = True
        elif self._section and tag == "ul":  # a change's lines
            self._lines = True
        elif self._lines and tag == "li":
            self._line = True
            self.changes[-1][2].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = False
        elif tag == "time":
            self._time = False
        elif tag == "li":
            self._line = False
        elif tag == "ul":
            self._lines = False

    def handle_data(self, data: str) -> None:
        if self._time:
            iso, _, lines = self.changes[-1]
            self.changes[-1] = (iso, data, lines)
        elif self._line:
            self.changes[-1][2][-1] += data


def page_histories(site: Path) -> dict[str, History]:
    """Every record page of a built site, by the record it shows."""
    out = {}
    for file in site.rglob("index.html"):
        page = History(file.read_text("utf-8"))
        if page.source:
            out[page.source] = page
    return out


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, History]]:
    """The sample as a git repository with a few months of changes, built."""
    root = copy_sample(tmp_path_factory.mktemp("history") / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-03-02T09:00:00+07:00", "Dữ liệu ban đầu")
    entry = root / "catalogue" / "1.001612.yaml"
    edit(entry, "amount: 50000", "amount: 30000", count=3)
    edit(entry, "      value: 3\n      unit: working_days\n      note: Tính từ ngày Phòng nhận được hồ sơ",
         "      value: 4\n      unit: working_days\n      note: Tính từ ngày Phòng nhận được hồ sơ")
    # Late in the evening in Vietnam, still the 15th there (16:30 UTC).
    commit(root, "2026-04-15T23:30:00+07:00", "Giảm lệ phí đăng ký hộ kinh doanh")
    local = root / "procedures" / "phuong-nha-trang" / "1.001612.yaml"
    edit(local, "  - method: online\n    processing_time:\n      value: 2",
         "  - method: online\n    processing_time:\n      value: 1")
    commit(root, "2026-05-20T08:00:00+07:00", "Phường rút ngắn thời hạn nộp trực tuyến")
    plan = root / PLAN
    number = next(line for line in plan.read_text("utf-8").splitlines() if line.startswith("number:"))
    plan.write_text(plan.read_text("utf-8") + "summary: [không đóng\n", "utf-8")  # does not parse
    commit(root, "2026-06-01T10:00:00+07:00", "Sửa dở")
    plan.write_text(plan.read_text("utf-8").replace("summary: [không đóng\n", "").replace(
        number, "number: 99/2026/NQ-HĐND").replace("issuer: Hội đồng", "issuer: <i>Hội đồng</i>"), "utf-8")
    commit(root, "2026-06-10T10:00:00+07:00", "Sửa số nghị quyết")
    site = tmp_path_factory.mktemp("history-site") / "site"
    build_ok(site, "--root", root, "--today", TODAY, "--build-date", TODAY)
    return site, page_histories(site)


CREATED = ("2026-03-02", "02/03/2026", ["Đăng lần đầu trên cổng"])
FEE_AND_TIME = ("2026-04-15", "15/04/2026", [
    "Lệ phí đăng ký hộ kinh doanh: 50.000 đồng → 30.000 đồng",
    "Thời hạn giải quyết (Dịch vụ bưu chính): 3 ngày làm việc (Tính từ ngày Phòng nhận được hồ sơ) → "
    "4 ngày làm việc (Tính từ ngày Phòng nhận được hồ sơ)"])


@pytest.mark.slow
def test_a_catalogue_page_shows_its_changes_and_each_agency_s_own_by_name(
        history_site: tuple[Path, dict[str, History]]) -> None:
    _, pages = history_site
    assert pages[ENTRY].changes == [
        ("2026-05-20", "20/05/2026", ["Ủy ban nhân dân phường Nha Trang: Thời hạn giải quyết rút ngắn tại "
                                      "cơ quan (Trực tuyến): 2 ngày làm việc → 1 ngày làm việc"]),
        FEE_AND_TIME,
        CREATED,
    ]


@pytest.mark.slow
def test_a_version_that_does_not_parse_is_passed_over(history_site: tuple[Path, dict[str, History]]) -> None:
    site, pages = history_site
    page = pages[PLAN]
    assert page.changes[1:] == [CREATED]
    iso, shown, lines = page.changes[0]
    assert (iso, shown) == ("2026-06-10", "10/06/2026")
    assert lines[0].startswith("Số, ký hiệu: ") and lines[0].endswith(" → 99/2026/NQ-HĐND")
    # Every value is text: escaped on the page and in the feed.
    assert lines[1] == "Cơ quan ban hành, phê duyệt: Hội đồng nhân dân tỉnh Khánh Hòa → " \
                       "<i>Hội đồng</i> nhân dân tỉnh Khánh Hòa"
    assert "→ &lt;i&gt;Hội đồng&lt;/i&gt; nhân dân" in page.text and "<i>Hội" not in page.text
    feed = (site / "atom-so-tai-chinh.xml").read_text("utf-8")
    assert "→ &lt;i&gt;Hội đồng&lt;/i&gt; nhân dân" in feed and "<i>Hội" not in feed


@pytest.mark.slow
def test_records_never_changed_show_when_they_were_first_published(
        history_site: tuple[Path, dict[str, History]]) -> None:
    _, pages = history_site
    untouched = [p for source, p in pages.items() if source != PLAN and "1.001612" not in source
                 and not source.startswith("hotlines/")]
    assert len(untouched) > 60 and all(p.changes == [CREATED] for p in untouched)
    # An agency's page lists its procedures; its own record shows no history (officers come and go).
    assert all(p.changes == [] for source, p in pages.items() if source.startswith("hotlines/"))


@pytest.mark.slow
def test_the_feeds_carry_the_latest_changes(history_site: tuple[Path, dict[str, History]]) -> None:
    site, _ = history_site
    feed = feedparser.parse((site / "atom-phuong-nha-trang.xml").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id.endswith("catalogue/1.001612"))  # performed there
    assert entry.content[0].value.splitlines() == [
        "Thay đổi ngày 20/05/2026: Ủy ban nhân dân phường Nha Trang: Thời hạn giải quyết rút ngắn tại cơ "
        "quan (Trực tuyến): "
        "2 ngày làm việc → 1 ngày làm việc",
        "Thay đổi ngày 15/04/2026: " + "; ".join(FEE_AND_TIME[2]),
        "Thay đổi ngày 02/03/2026: Đăng lần đầu trên cổng",
    ]
    # The whole portal's feed stays as long as it was: one entry per record, the newest 100.
    portal = feedparser.parse((site / "atom.xml").read_bytes())
    assert len(portal.entries) == 100


# --- without a past -------------------------------------------------------------------------


def test_a_folder_outside_git_builds_without_history(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_ok(site, "--root", repo)
    pages = page_histories(site)
    assert PROCEDURE in pages and all(p.changes == [] for p in pages.values())
    assert read_versions(repo) is None


@pytest.mark.slow
def test_a_shallow_clone_and_files_not_committed_build_without_error(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    shutil.copytree(VALID, origin)
    git(origin, "init", "-q", "-b", "main")
    commit(origin, "2026-03-02T09:00:00+07:00", "Dữ liệu ban đầu")
    edit(origin / PROCEDURE, "Giấy khai sinh (bản chính)", "Giấy khai sinh (bản chính và bản sao)")
    commit(origin, "2026-04-01T09:00:00+07:00", "Sửa kết quả")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    # Where a CI checkout starts is no creation and no change.
    site = tmp_path / "site"
    build_ok(site, "--root", clone)
    assert all(p.changes == [] for p in page_histories(site).values())

    # In the full repository: a record changed but not committed shows its committed past; a
    # record never committed has none.
    edit(origin / PROCEDURE, "Giấy khai sinh (bản chính và bản sao)", "Giấy khai sinh")
    plan = next((origin / "plans_and_policies").rglob("*.yaml"))
    new = plan.with_name("ke-hoach-moi.yaml")
    new.write_text(plan.read_text("utf-8").replace("id: ", "id: ke-hoach-moi #", 1), "utf-8")
    site = tmp_path / "site-full"
    build_ok(site, "--root", origin)
    pages = page_histories(site)
    assert pages[PROCEDURE].changes == [
        ("2026-04-01", "01/04/2026", ["Kết quả thực hiện: Giấy khai sinh (bản chính) → "
                                      "Giấy khai sinh (bản chính và bản sao)"]),
        CREATED]
    assert pages[new.relative_to(origin).as_posix()].changes == []


def test_a_shallow_clone_s_first_commit_is_a_base_not_a_creation(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    (origin / "procedures" / "x").mkdir(parents=True)
    record = origin / "procedures" / "x" / "1.yaml"
    for day, value in (("2026-01-05", 1), ("2026-02-05", 2), ("2026-03-05", 3)):
        record.write_text(f"code: '1'\nresult: Kết quả {value}\n", "utf-8")
        if day == "2026-01-05":
            git(origin, "init", "-q", "-b", "main")
        commit(origin, f"{day}T09:00:00+07:00", day)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(clone))
    versions = read_versions(clone)
    assert versions is not None
    assert versions.files["procedures/x/1.yaml"] == (
        Version("2026-02-05", git(clone, "rev-parse", "HEAD~1:procedures/x/1.yaml").strip(), created=False),
        Version("2026-03-05", git(clone, "rev-parse", "HEAD:procedures/x/1.yaml").strip()))
    # A file git does not know has no versions to read.
    (path, kept), = versions.contents(["procedures/x/1.yaml", "procedures/x/none.yaml"])
    changes = file_changes(kept, "procedure", primary=True)
    assert path == "procedures/x/1.yaml"
    assert [(c.iso, c.lines) for c in changes] == [
        ("2026-03-05", ("Kết quả thực hiện: Kết quả 2 → Kết quả 3",))]


def test_renames_are_followed_and_a_day_keeps_its_last_version(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "plans_and_policies" / "a").mkdir(parents=True)
    old = root / "plans_and_policies" / "a" / "cu.yaml"
    old.write_text("id: cu\ntitle: Kế hoạch\nnumber: 1/KH-UBND\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-01-05T09:00:00+07:00", "một")
    new = old.with_name("moi.yaml")
    old.rename(new)
    commit(root, "2026-02-05T08:00:00+07:00", "đổi tên")
    new.write_text("id: moi\ntitle: Kế hoạch\nnumber: 2/KH-UBND\n", "utf-8")
    commit(root, "2026-02-05T09:00:00+07:00", "sửa")
    new.write_text("id: moi\ntitle: Kế hoạch\nnumber: 3/KH-UBND\n", "utf-8")
    commit(root, "2026-02-05T17:00:00+07:00", "sửa lại")
    versions = read_versions(root)
    assert versions is not None and list(versions.files) == ["plans_and_policies/a/moi.yaml"]
    (_, kept), = versions.contents(["plans_and_policies/a/moi.yaml"])
    changes = file_changes(kept, "plan", primary=True)
    assert [(c.date, c.lines) for c in changes] == [
        ("05/01/2026", ("Đăng lần đầu trên cổng",)),
        ("05/02/2026", ("Số, ký hiệu: 1/KH-UBND → 3/KH-UBND",))]


# --- comparing two versions of a record -----------------------------------------------------


def channel(method: str, value: float, amount: int | None = None, **more: object) -> dict[str, object]:
    fees: object = [{"name": "Lệ phí", "amount": amount}] if amount is not None else "Không"
    return {"method": method, "processing_time": {"value": value, "unit": "working_days"}, "fees": fees,
            **more}


def procedure(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "code": "1.000001", "name": "Cấp giấy phép", "agency": "xa-a", "level": "commune",
        "channels": [channel("direct", 5, 50000), channel("online", 5, 50000)],
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0}],
        "applicants": ["Công dân Việt Nam"], "status": "active", "updated": "2026-01-01",
        "requirements": "Không",
    }
    return {**base, **changes}


def test_a_fee_and_a_time_changed_in_every_channel_are_one_line_each() -> None:
    new = procedure(channels=[channel("direct", 3, 30000), channel("online", 3, 30000)])
    assert diff(procedure(), new, "procedure") == [
        "Thời hạn giải quyết: 5 ngày làm việc → 3 ngày làm việc",
        "Lệ phí: 50.000 đồng → 30.000 đồng",
    ]


def test_a_change_in_some_channels_names_them() -> None:
    new = procedure(channels=[channel("direct", 5, 0), channel("online", 2.5, 50000)])
    assert diff(procedure(), new, "procedure") == [
        "Lệ phí (Trực tiếp): 50.000 đồng → Miễn phí",
        "Thời hạn giải quyết (Trực tuyến): 5 ngày làm việc → 2,5 ngày làm việc",
    ]


def test_items_added_and_removed_are_named() -> None:
    new = procedure(
        channels=[channel("direct", 5, 50000)],
        documents=[{"name": "Tờ khai", "originals": 2, "copies": 0},
                   {"name": "Bản sao giấy khai sinh", "originals": 0, "copies": 1}],
        applicants=["Công dân Việt Nam", "Người nước ngoài"])
    assert diff(procedure(), new, "procedure") == [
        "Cách thức thực hiện: bỏ “Trực tuyến, 5 ngày làm việc”",
        "Số bản chính (Tờ khai): 1 → 2",
        "Thành phần hồ sơ: thêm “Bản sao giấy khai sinh”",
        "Đối tượng thực hiện: thêm “Người nước ngoài”",
    ]


def test_values_are_shown_as_the_page_shows_them() -> None:
    new = procedure(status="suspended", level="province", requirements="Có giấy phép kinh doanh",
                    channels=[channel("direct", 5, 50000), channel("online", 5, None)])
    assert diff(procedure(), new, "procedure") == [
        "Cấp thực hiện: Cấp xã → Cấp tỉnh",
        "Phí, lệ phí (Trực tuyến): Lệ phí: 50.000 đồng → Không thu phí, lệ phí",
        "Tình trạng: Đang thực hiện → Tạm ngừng thực hiện",
        "Yêu cầu, điều kiện: Không → Có giấy phép kinh doanh",
    ]
    plan = {"id": "x", "title": "Kế hoạch", "issued": "2026-01-05", "business_related": False,
            "disclosure": ["portal"]}
    changed = {**plan, "issued": "2026-01-06", "business_related": True, "disclosure": ["portal", "media"]}
    assert diff(plan, changed, "plan") == [
        "Ngày ban hành, phê duyệt: 05/01/2026 → 06/01/2026",
        "Liên quan đến sản xuất, kinh doanh: Không → Có",
        "Hình thức công khai: thêm “Phương tiện thông tin đại chúng”",
    ]


def test_long_texts_only_say_they_were_edited_and_quiet_fields_say_nothing() -> None:
    long = "Nộp hồ sơ tại Bộ phận Một cửa; " * 5
    assert diff(procedure(requirements=long), procedure(requirements=long + "."), "procedure") == [
        "Yêu cầu, điều kiện: đã sửa"]
    assert diff(procedure(), procedure(requirements=long), "procedure") == ["Yêu cầu, điều kiện: đã sửa"]
    assert diff(procedure(), procedure(updated="2026-02-02", note="ghi chú nhập liệu"), "procedure") == []
    # A key the schema does not know (an old layout) has no name: it is not shown.
    assert diff(procedure(), procedure(legacy="x"), "procedure") == []


def test_an_agency_s_own_facts_are_named_by_their_own_titles() -> None:
    before = {"code": "1.000001", "location": "Tầng 1"}
    after = {"code": "1.000001", "hours": "7:30–11:30",
             "contact": {"name": "Chị Lan", "phone": "0258 3822 111"},
             "channels": [{"method": "online", "processing_time": {"value": 2, "unit": "working_days"}}]}
    assert diff(before, after, "implementation") == [
        "Giờ tiếp nhận hồ sơ: thêm “7:30–11:30”",
        "Họ và tên hoặc bộ phận: thêm “Chị Lan”",
        "Số điện thoại: thêm “0258 3822 111”",
        "Cách thức thực hiện tại cơ quan: thêm “Trực tuyến, 2 ngày làm việc”",
        "Nơi tiếp nhận hồ sơ tại cơ quan: bỏ “Tầng 1”",
    ]


def test_a_change_of_many_fields_is_cut_short() -> None:
    old = procedure(documents=[{"name": f"Giấy {i}", "originals": 1, "copies": 0} for i in range(30)])
    new = procedure(documents=[{"name": f"Giấy {i}", "originals": 2, "copies": 0} for i in range(0, 30, 2)])
    lines = diff(old, new, "procedure")  # one line for the fifteen kept, one for each removed
    assert lines[:2] == ["Số bản chính: 1 → 2", "Thành phần hồ sơ: bỏ “Giấy 1”"]
    assert len(lines) == MAX_LINES and lines[-1] == f"và {16 - MAX_LINES + 1} thay đổi khác"
