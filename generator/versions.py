"""The committed past of the record files, read from git: what the change histories are made of.

Three git processes answer for the whole repository, whatever its size (≈ 3,300 record files on
a province's portal): `rev-parse` (is this a git work tree, is it a shallow clone), one
`git log --raw` over the record folders (which files each commit changed, and the object id of
each new content), and one `git cat-file --batch` that streams the contents the histories need,
file after file, so that only one file's versions are in memory at a time.

A folder outside any git work tree, a missing git, a repository without commits or any failure
of git gives no versions: the portal builds as before, without change histories.

History follows the line of commits the portal is published from (`--first-parent`: a merged
branch counts once, on the day it was merged). A day is the commit's day in Vietnam
(UTC+07:00), and a file keeps one version per day: the last one of that day. A file renamed
inside the record folders keeps its history; a deleted file's history ends with it. In a shallow
clone the oldest commit shows every file as added: that is where the clone starts, not when the
records were created, so those versions are the base of later changes, never creations. Only
commits count: a file that is changed but not committed shows its committed past.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import IO

from generator.model import FOLDERS

VIETNAM = timezone(timedelta(hours=7))
# Days kept per file, newest last, plus the version before the oldest of them (the base its
# change is measured from): a page shows this many changes at most; older ones stay in git.
# Each kept version is parsed at every build (≈ 0.5 ms a record): this bounds the cost too.
KEEP_DAYS = 5
GIT_TIMEOUT = 600  # seconds for `git log`; far beyond a province's repository
# The folders whose records show a change history (agency records do not: see history.py).
HISTORY_FOLDERS = tuple(folder for folder, kind in FOLDERS.items() if kind != "agency")
_COMMIT = "\x01"  # starts each commit's header in the log (no path or header can hold it)
# Settings of the reader's own git configuration that would change what `git log` prints.
_QUIET = ("-c", "log.showSignature=false", "-c", "core.quotePath=false")


@dataclass(frozen=True, slots=True)
class Version:
    """A file's content at the end of one day."""

    day: str  # ISO date, in Vietnam, of the last commit that day that changed the file
    blob: str  # git object id of the content
    created: bool = False  # the file was added that day (not merely where a shallow clone starts)


@dataclass(frozen=True, slots=True)
class Versions:
    """The kept versions of each record file (path relative to the data root), oldest first."""

    root: Path
    files: dict[str, tuple[Version, ...]]

    def contents(self, paths: Iterable[str], have: Container[str] = ()
                 ) -> Iterator[tuple[str, list[tuple[Version, bytes | None]]]]:
        """Each of `paths` that has versions, with the content of each version, one file at a
        time: None for the versions whose object id is in `have` (the caller has their data),
        and for those git does not have (a blob a partial clone left out)."""
        wanted = [path for path in paths if self.files.get(path)]
        if not wanted:
            return
        try:
            batch = subprocess.Popen(["git", *_QUIET, "-C", str(self.root), "cat-file", "--batch"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        except OSError:
            return
        assert batch.stdin is not None and batch.stdout is not None
        try:
            for path in wanted:
                versions = self.files[path]
                asked = [v for v in versions if v.blob not in have]
                # A few ids at a time: git answers each before it reads the next line, and a
                # file's answers fit in the pipes, so neither side waits on the other.
                batch.stdin.write("".join(f"{v.blob}\n" for v in asked).encode())
                batch.stdin.flush()
                answers = {v.blob: _answer(batch.stdout) for v in asked}
                yield path, [(v, answers.get(v.blob)) for v in versions]
        except (OSError, ValueError):  # git went away: the files not yet read have no history
            return
        finally:
            batch.stdin.close()
            batch.stdout.close()
            batch.kill()
            batch.wait()


def _answer(out: IO[bytes]) -> bytes | None:
    """One object of `cat-file --batch`: "<id> blob <size>\\n<content>\\n", or "<id> missing\\n"."""
    header = out.readline().split()
    if not header:
        raise ValueError("git cat-file stopped")
    if len(header) != 3:
        return None
    size = int(header[2])
    content: bytes = out.read(size + 1)
    if len(content) != size + 1:
        raise ValueError("git cat-file stopped")
    return content[:size]


def blob_id(path: Path) -> str | None:
    """The object id git gives the content of a file (None when it cannot be read): equal to a
    version's, the file is that version."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _git(root: Path, args: list[str]) -> bytes | None:
    """git's output, or None when there is no answer (no git, not a repository, any failure)."""
    try:
        done = subprocess.run(["git", *_QUIET, "-C", str(root), *args], capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_versions(root: Path, folders: tuple[str, ...] = HISTORY_FOLDERS) -> Versions | None:
    """The versions of the files under `folders` of the data root `root`; None without git."""
    shallow = _git(root, ["rev-parse", "--is-shallow-repository"])
    if shallow is None:
        return None
    log = _git(root, ["log", "--first-parent", "-m", "--raw", "-z", "--no-abbrev", "-M", "--relative",
                      "--no-color", "--no-ext-diff", f"--format={_COMMIT}%ct %P", "--", *folders])
    if log is None:
        return None
    return Versions(root, replay(commits(log), shallow.strip() == b"true"))


@dataclass(frozen=True, slots=True)
class Commit:
    day: str
    parentless: bool
    changes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (status letter, new object id, paths)


def commits(log: bytes) -> list[Commit]:
    """The commits of `git log --raw -z --format=<_COMMIT>%ct %P`, newest first as git gives them.

    Each commit is its header, then for each file ":<modes> <old id> <new id> <status>" and the
    path (two paths for a rename or a copy), each ended by a NUL.
    """
    out = []
    for chunk in log.decode("utf-8", "surrogateescape").split(_COMMIT)[1:]:
        header, _, raw = chunk.partition("\0")
        seconds, *parents = header.split()
        day = datetime.fromtimestamp(int(seconds), UTC).astimezone(VIETNAM).date().isoformat()
        tokens = raw.split("\0")
        changes, i = [], 0
        while i < len(tokens):
            meta = tokens[i].strip().split()
            i += 1
            if len(meta) != 5 or not meta[0].startswith(":"):
                continue
            status, blob = meta[4][0], meta[3]
            count = 2 if status in "RC" else 1
            changes.append((status, blob, tuple(tokens[i:i + count])))
            i += count
        out.append(Commit(day, not parents, tuple(changes)))
    return out


def replay(log: list[Commit], shallow: bool) -> dict[str, tuple[Version, ...]]:
    """Each file's versions, one a day, replaying the commits oldest first; the last
    KEEP_DAYS days of each file, and the version before them."""
    files: dict[str, list[Version]] = {}
    for commit in reversed(log):
        # A shallow clone's oldest commit has no parents: its "additions" are where history starts.
        new = not (shallow and commit.parentless)
        for status, blob, paths in commit.changes:
            if status == "D":
                files.pop(paths[0], None)
                continue
            if status == "R":
                files[paths[-1]] = _add(files.pop(paths[0], []), Version(commit.day, blob))
            elif status in "AC" or paths[0] not in files:  # a copy is a new file
                files[paths[-1]] = [Version(commit.day, blob, new and status in "AC")]
            else:
                files[paths[0]] = _add(files[paths[0]], Version(commit.day, blob))
    return {path: tuple(versions[-KEEP_DAYS - 1:]) for path, versions in sorted(files.items())}


def _add(versions: list[Version], version: Version) -> list[Version]:
    """`versions` with `version` as its newest: it replaces a version of the same day."""
    if versions and versions[-1].day == version.day:
        last = versions.pop()
        version = Version(version.day, version.blob, last.created)
    if versions and versions[-1].blob == version.blob:  # back to the day before: no change
        return versions
    versions.append(version)
    return versions
