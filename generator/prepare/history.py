"""What changed in each record, and when: the change history its page and its feed entry show.

The versions come from git (generator/versions.py). Two consecutive versions are compared field
by field; a field is named by its schema title (schemas/*.schema.json), a list item by its own name
("Lệ phí", "Trực tiếp", the document's name), and a short value is shown before and after
("Lệ phí – Mức thu (đồng): 50.000 đồng → 30.000 đồng"), formatted as the pages format it. A long
text only says it was edited. Versions of the same day are one change; a change that touches no
field (comments, layout) is none; a version that does not parse is passed over.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from generator.check.schema import info_for_data_path
from generator.contract import deref, schema
from generator.labels import HISTORY_WORDS, METHODS, VALUES
from generator.load import LoadError, parse
from generator.model import FOLDERS, Path
from generator.prepare import format as F
from generator.versions import Version, Versions

SHORT = 80  # characters: a longer value is "đã sửa", never shown whole
_MISSING = object()
# Keys that name a list item, in order of preference ("method" is labelled: "Trực tiếp").
_NAMES = ("name", "title", "number", "purpose", "method")
_DURATION, _LINK = {"value", "unit", "note"}, {"title", "url", "format", "size"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record that changed: its label, and its values before and after."""

    label: str  # "Lệ phí – Mức thu (đồng)"
    old: str  # as shown; "" when the field was added, or when its value is too long to show
    new: str
    how: str  # "changed", "added", "removed", or "edited" (a value too long to show)

    @property
    def text(self) -> str:
        """The line a page and a feed show: "Lệ phí: 50.000 đồng → 30.000 đồng"."""
        if self.how == "changed":
            return f"{self.label}: {self.old} → {self.new}"
        if self.how == "edited":
            return f"{self.label}: {HISTORY_WORDS['edited']}"
        word, value = (HISTORY_WORDS["added"], self.new) if self.how == "added" else \
            (HISTORY_WORDS["removed"], self.old)
        return f"{self.label}: {word} {value}".rstrip()


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a record: its day, and what it changed (or that it first appeared)."""

    date: str  # dd/mm/yyyy
    iso: str
    created: bool
    fields: tuple[FieldChange, ...]

    @property
    def lines(self) -> list[str]:
        if self.created:
            return [HISTORY_WORDS["created"]]
        return [f.text for f in self.fields] or [HISTORY_WORDS["changed"]]


History = dict[str, tuple[Change, ...]]  # by record path, newest change first


def histories(versions: Versions, paths: Iterable[str]) -> History:
    """The change history of each record in `paths` that git knows (the others have none)."""
    parsed: dict[str, Any] = {}
    out: History = {}
    for path in paths:
        kind = FOLDERS.get(path.split("/", 1)[0])
        kept = versions.files.get(path)
        if kind is None or not kept:
            continue
        changes = _changes(kept, versions.contents, parsed, schema(kind))
        if changes:
            out[path] = changes
    return out


def _changes(kept: list[Version], contents: dict[str, bytes], parsed: dict[str, Any],
             root: dict[str, Any]) -> tuple[Change, ...]:
    readable = [(v, data) for v in kept if (data := _data(v.blob, contents, parsed)) is not None]
    out: list[Change] = []
    before: Any = None
    for day, same_day in groupby(readable, key=lambda item: item[0].day):
        day_versions = list(same_day)
        data = day_versions[-1][1]
        if before is None:  # the oldest version kept: the record's creation, or the base of what follows
            if day_versions[0][0].created:
                out.append(Change(F.date(day), day, True, ()))
                before = data
                continue
            before = day_versions[0][1]
        if before != data:
            fields = tuple(_merged(_diff(before, data, (), (), root)))
            out.append(Change(F.date(day), day, False, fields))
        before = data
    return tuple(reversed(out))


def _data(blob: str, contents: dict[str, bytes], parsed: dict[str, Any]) -> dict[str, Any] | None:
    """A version's data, parsed once (the same content recurs across files and commits)."""
    if blob not in parsed:
        raw = contents.get(blob)
        try:
            data = parse(raw)[0] if raw is not None else None
        except LoadError:
            data = None
        parsed[blob] = data if isinstance(data, dict) else None
    result: dict[str, Any] | None = parsed[blob]
    return result


# --- comparing two versions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    where: tuple[str, ...]  # the path's keys, list positions left out: changes to merge share it
    names: tuple[str, ...]  # the names of the list items on the path
    title: str  # the field's schema title
    old: str
    new: str
    how: str


def _diff(old: Any, new: Any, path: Path, names: tuple[str, ...], root: dict[str, Any]) -> Iterator[_Found]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and not _is_value(old) and not _is_value(new):
        for key in [*new, *(k for k in old if k not in new)]:
            yield from _diff(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key), names, root)
    elif _is_records(old) and _is_records(new):
        yield from _diff_items(old, new, path, names, root)
    else:
        yield _leaf(old, new, path, names, root)


def _diff_items(old: list[dict[str, Any]], new: list[dict[str, Any]], path: Path, names: tuple[str, ...],
                root: dict[str, Any]) -> Iterator[_Found]:
    """Items matched by their name; those left over in both lists are matched in order."""
    old_names = [_name(item) for item in old]
    left = list(range(len(old)))
    match: list[int | None] = []  # for each new item, the old item it is
    for item in new:
        name = _name(item)
        found = next((i for i in left if name and old_names[i] == name), None)
        if found is not None:
            left.remove(found)
        match.append(found)
    unnamed = [j for j, i in enumerate(match) if i is None]
    for j, rest in zip(unnamed, list(left), strict=False):
        match[j] = rest
        left.remove(rest)
    for j, (was, item) in enumerate(zip(match, new, strict=True)):
        name = _name(item) or f"{HISTORY_WORDS['item']} {j + 1}"
        if was is None:
            yield _listed(path, names, root, "", name, "added")
        else:
            yield from _diff(old[was], item, (*path, j), (*names, name), root)
    for i in left:
        yield _listed(path, names, root, old_names[i] or f"{HISTORY_WORDS['item']} {i + 1}", "", "removed")


def _listed(path: Path, names: tuple[str, ...], root: dict[str, Any], old: str, new: str,
            how: str) -> _Found:
    title = info_for_data_path(root, path)[0]
    return _Found(_where(path), names, title, _short(old), _short(new), how)


def _leaf(old: Any, new: Any, path: Path, names: tuple[str, ...], root: dict[str, Any]) -> _Found:
    title, _, node = info_for_data_path(root, path)
    node = deref(root, node) if node else node
    before = "" if old is _MISSING else _shown(old, node, path)
    after = "" if new is _MISSING else _shown(new, node, path)
    if old is _MISSING:
        how = "added"
    elif new is _MISSING:
        how = "removed"
    elif before and after and before != after and len(before) <= SHORT and len(after) <= SHORT:
        how = "changed"
    else:
        how = "edited"
    return _Found(_where(path), names, title, _short(before), _short(after), how)


def _merged(found: Iterable[_Found]) -> Iterator[FieldChange]:
    """Changes, one line each; the same change in several items of a list (a fee lowered in every
    channel) is one line naming them all."""
    groups: dict[tuple[Any, ...], list[_Found]] = {}
    for item in found:
        key = (item.where, item.names[1:], item.title, item.old, item.new, item.how)
        groups.setdefault(key, []).append(item)
    for items in groups.values():
        first = items[0]
        names = list(first.names)
        if names:
            names[0] = ", ".join(dict.fromkeys(i.names[0] for i in items))
        yield FieldChange(" – ".join([*names, first.title]), first.old, first.new, first.how)


def _where(path: Path) -> tuple[str, ...]:
    return tuple(part for part in path if isinstance(part, str))


def _short(text: str) -> str:
    return text if len(text) <= SHORT else ""


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _is_value(value: dict[str, Any]) -> bool:
    """A mapping shown as one value: a duration (value, unit) or a link (title, url)."""
    return bool(value) and (set(value) <= _DURATION or set(value) <= _LINK)


def _name(item: dict[str, Any]) -> str:
    for key in _NAMES:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return F.label(METHODS, value) if key == "method" else F.text(value)
    return ""


def _shown(value: Any, node: dict[str, Any], path: Path) -> str:
    """A value as the pages show it: labels for codes, dates dd/mm/yyyy, money in đồng."""
    if isinstance(value, list):
        return "; ".join(_shown(v, node.get("items", {}) if isinstance(node, dict) else {}, path)
                         for v in value)
    if isinstance(value, dict):
        if "amount" in value:  # a fee
            return f"{F.text(value.get('name'))}: {F.money(value.get('amount'))}"
        if "unit" in value:
            shown = F.duration(value.get("value"), value.get("unit"))
            return f"{shown} ({F.text(value['note'])})" if value.get("note") else shown
        return F.text(value.get("title") or value.get("url"))
    if isinstance(value, str) and "enum" in node:
        return F.label(VALUES, value)
    if isinstance(value, str) and node.get("format") == "date":
        return F.date(value)
    if F.is_number(value) and path and path[-1] == "amount":
        return F.money(value)
    return F.text(value)
