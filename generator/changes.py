"""Which records changed since a git ref: the set a pull-request check needs to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.model import FOLDERS


class ChangesError(Exception):
    """git could not answer (not a repository, unknown ref): a usage error for the clerk."""


def _git(root: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              encoding="utf-8", check=False)
    except FileNotFoundError:
        raise ChangesError("không tìm thấy lệnh git") from None
    if done.returncode != 0:
        raise ChangesError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git lỗi")
    return [line for line in done.stdout.splitlines() if line]


def changed_records(root: Path, ref: str, files: list[str]) -> set[str]:
    """Paths under the data folders (relative to `root`) added or modified since `ref`,
    committed or not; misplaced files among them are reported like in a full run.

    When an agency's hotline file changed or disappeared, every record of that agency is
    included too: they depend on it. So are the agencies' records of a catalogue procedure
    whose catalogue entry changed or disappeared (they may only depart from it in some ways).
    """
    resolved = root.resolve()
    top = Path(_git(resolved, "rev-parse", "--show-toplevel")[0])
    prefix = resolved.relative_to(top).as_posix()
    names = _git(resolved, "diff", "--name-only", "--no-renames", ref, "--", ".")
    names += _git(resolved, "ls-files", "--others", "--exclude-standard", "--", ".")
    changed = {_under(name, prefix) for name in names}
    changed.discard(None)
    agencies = {name.split("/")[1][: -len(".yaml")] for name in changed
                if name and name.startswith("hotlines/") and name.count("/") == 1}
    codes = {name.split("/")[1] for name in changed
             if name and name.startswith("catalogue/") and name.count("/") == 1}
    selected = {name for name in changed if name and name.split("/")[0] in FOLDERS}
    for rel in files:
        parts = rel.split("/")
        if parts[0] in FOLDERS and parts[0] not in ("hotlines", "catalogue") and len(parts) > 2 \
                and (parts[1] in agencies or (parts[0] == "procedures" and parts[2] in codes)):
            selected.add(rel)
    return selected


def _under(name: str, prefix: str) -> str | None:
    if not prefix or prefix == ".":
        return name
    return name[len(prefix) + 1:] if name.startswith(prefix + "/") else None
