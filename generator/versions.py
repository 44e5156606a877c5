"""The committed versions of every record file, read from git: what the change history is made of.

Two git invocations answer for the whole repository, whatever its size (≈ 3,000 record files on a
province's portal): one `git log --raw` over the record folders lists, commit by commit, which
files changed and the object id of each new content; one `git cat-file --batch` then returns the
contents that the history shows. A folder that is not in a git work tree, a missing git, or any
failure of git gives no versions: the portal builds as before, without change histories.

History follows the line of commits the portal was published from (`--first-parent`: a merged
branch counts once, on the day it was merged, as the change it brought); a day is the commit's day
in Vietnam (UTC+07:00). A file renamed inside the record folders keeps its history. In a shallow
clone, the oldest commit shows every file as new: that is where the clone starts, not when the
records were created, so those first versions are kept as the base of later changes but are not
shown as creations.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from generator.model import FOLDERS

VIETNAM = timezone(timedelta(hours=7))
# Versions kept per file, newest first: the history shows the changes between them (and the
# creation, when the oldest one is it). Older changes stay in git.
KEEP = 11
GIT_TIMEOUT = 600  # seconds; far beyond a province's repository
_COMMIT = "\x01"


@dataclass(frozen=True, slots=True)
class Version:
    day: str  # ISO date, in Vietnam, of the commit that made this content
    blob: str  # git object id of the content
    created: bool = False  # the file was added by this commit (not a shallow clone's start)


@dataclass(slots=True)
class Versions:
    """Every kept version of each record file (path relative to the data root), oldest first, and
    the contents of those versions by object id."""

    files: dict[str, list[Version]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)


def _git(root: Path, args: list[str], given: bytes | None = None) -> bytes | None:
    """git's output, or None when there is no answer (no git, not a repository, any failure)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=given, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_versions(root: Path, folders: tuple[str, ...] = tuple(FOLDERS)) -> Versions:
    """The versions of the files under `folders` of the data root `root`."""
    shallow = _git(root, ["rev-parse", "--is-shallow-repository"])
    if shallow is None:
        return Versions()
    log = _git(root, ["log", "--first-parent", "-m", "--raw", "-z", "--no-abbrev", "-M", "--relative",
                      "--no-color", f"--format={_COMMIT}%H %ct %P", "--", *folders])
    if log is None:
        return Versions()
    files = _replay(_commits(log), shallow.strip() == b"true")
    kept = {path: versions[-KEEP:] for path, versions in files.items()}
    wanted = sorted({v.blob for versions in kept.values() for v in versions})
    return Versions(kept, _contents(root, wanted))


@dataclass(frozen=True, slots=True)
class _Commit:
    day: str
    parentless: bool
    changes: list[tuple[str, str, list[str]]]  # (status letter, new object id, paths)


def _commits(log: bytes) -> list[_Commit]:
    """The commits of `git log --raw -z`, newest first as git gives them."""
    out = []
    for chunk in log.decode("utf-8", "surrogateescape").split(_COMMIT)[1:]:
        header, _, raw = chunk.partition("\0")
        _, seconds, *parents = header.split()
        day = datetime.fromtimestamp(int(seconds), UTC).astimezone(VIETNAM).date().isoformat()
        tokens = raw.split("\0")
        changes, i = [], 0
        while i < len(tokens):
            meta = tokens[i].strip()
            if not meta.startswith(":"):
                i += 1
                continue
            fields = meta.split()
            status, blob = fields[4][0], fields[3]
            count = 2 if status in "RC" else 1
            changes.append((status, blob, tokens[i + 1:i + 1 + count]))
            i += 1 + count
        out.append(_Commit(day, not parents, changes))
    return out


def _replay(commits: list[_Commit], shallow: bool) -> dict[str, list[Version]]:
    """Each file's versions, replaying the commits oldest first (a deleted file's are dropped)."""
    files: dict[str, list[Version]] = {}
    for commit in reversed(commits):
        # A shallow clone's oldest commit has no parents: its "additions" are where history starts.
        created = not (shallow and commit.parentless)
        for status, blob, paths in commit.changes:
            if status == "D":
                files.pop(paths[0], None)
            elif status == "R":
                before = files.pop(paths[0], [])
                if not before or before[-1].blob != blob:
                    before = [*before, Version(commit.day, blob, created and not before)]
                files[paths[1]] = before
            elif status == "A" or paths[0] not in files:
                files[paths[-1]] = [Version(commit.day, blob, created and status == "A")]
            else:
                files[paths[0]].append(Version(commit.day, blob))
    return files


def _contents(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The contents of `blobs`, from one `git cat-file --batch`."""
    if not blobs:
        return {}
    answer = _git(root, ["cat-file", "--batch"], ("\n".join(blobs) + "\n").encode())
    if answer is None:
        return {}
    out: dict[str, bytes] = {}
    at = 0
    for blob in blobs:
        end = answer.index(b"\n", at)
        header = answer[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        out[blob] = answer[at:at + size]
        at += size + 1
    return out
