"""What a pull request changed since a git ref: the records to check, the agencies concerned."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.model import DATA_FOLDERS, FOLDERS, agency_of_path

# A change to any of these can turn a valid record invalid or stop the build of main: the pull
# request is then checked like main, every record. The legal data is in generator/data/.
RULE_PATHS = ("schemas/", "generator/", "site_overrides/", "mkdocs.yml", "pyproject.toml")
CATALOGUE = "catalogue"


class ChangesError(Exception):
    """git could not answer (not a repository, unknown ref): a usage error for the clerk."""


def _git(root: Path, *args: str) -> list[str]:
    """git's answer as a list of paths: -z, so that no name is quoted or escaped."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise ChangesError("không tìm thấy lệnh git") from None
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip()
        raise ChangesError(error.splitlines()[-1] if error else "git lỗi")
    return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


@dataclass(frozen=True, slots=True)
class Changes:
    """Every path (relative to the data root) added, modified or deleted since a ref."""

    paths: tuple[str, ...]

    @property
    def rules(self) -> list[str]:
        """Changed schemas, code, site configuration or legal data."""
        return [p for p in self.paths if p.startswith(RULE_PATHS)]

    @property
    def agencies(self) -> list[str]:
        """The agencies whose own files changed (records, hotline file, dossier reports)."""
        return sorted({agency for p in self.paths if (agency := agency_of_path(p))})

    @property
    def catalogue(self) -> list[str]:
        return [p for p in self.paths if p.split("/")[0] == CATALOGUE]

    def records(self, files: list[str]) -> set[str] | None:
        """The record paths to check among `files` (every record found), or None for all of
        them when the rules changed.

        A changed or deleted hotline file brings in that agency's records and every hotline
        file (any may name it as its parent agency). A changed or deleted catalogue entry brings
        in the agencies' records of its code (they may only depart from it in some ways).
        """
        if self.rules:
            return None
        selected = {p for p in self.paths if p.split("/")[0] in FOLDERS or p.split("/")[0] in DATA_FOLDERS}
        hotlines = {agency_of_path(p) for p in selected if p.startswith("hotlines/")}
        if hotlines:
            selected.update(rel for rel in files
                            if rel.startswith("hotlines/") or agency_of_path(rel) in hotlines)
        codes = {p.split("/", 1)[1] for p in self.catalogue if p.count("/") == 1}
        if codes:
            selected.update(rel for rel in files
                            if rel.startswith("procedures/") and rel.rsplit("/", 1)[1] in codes)
        return selected


def changes_since(root: Path, ref: str) -> Changes:
    """Changes since `ref`, committed or not, and files git does not track yet."""
    resolved = root.resolve()
    top = Path(_git(resolved, "rev-parse", "--show-toplevel")[0].rstrip("\n"))
    prefix = resolved.relative_to(top.resolve()).as_posix()
    names = _git(resolved, "diff", "--name-only", "-z", "--no-renames", ref, "--", ".")
    names += _git(resolved, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    # git names paths from the top of the work tree; the data root may be below it
    under = [name if prefix in ("", ".") else name.removeprefix(prefix + "/") for name in names
             if prefix in ("", ".") or name.startswith(prefix + "/")]
    return Changes(tuple(sorted(set(under))))
