"""What changed in each record, and when: the change history its page and its feed entry show.

The versions come from git (generator/versions.py), one a day. Two consecutive versions of a
file are compared field by field. A field is named by its schema title (schemas/*.schema.json),
qualified by the list items it sits in ("Thời hạn giải quyết (Trực tiếp)"); a fee by its own name
("Lệ phí"). A short value is shown before and after, formatted as the page formats it
("Lệ phí: 50.000 đồng → 30.000 đồng"); a long text only says it was edited. A change that
touches no shown field (the date of update, comments, layout) is none; a version that does not
parse, or is no record, is passed over: the next one is compared with the last one that parsed.

A page shows the changes of the files it is made of (`sources`): a procedure or a plan, its own
file; a catalogue procedure, its entry and each performing agency's own facts
(procedures/<agency>/<code>.yaml), every line of those named by the agency, whose first version
shows as the facts it added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.check.corpus import Corpus
from generator.check.schema import info_for_data_path
from generator.contract import SchemaName, deref, schema
from generator.labels import HISTORY_WORDS, METHODS, VALUES
from generator.load import LoadError, parse
from generator.model import Path, Record, agency_of_path
from generator.parallel import share_out, worker_count
from generator.prepare import format as F
from generator.prepare.views import fees
from generator.versions import KEEP_DAYS, Version, Versions, blob_id

SHORT = 80  # characters: a longer value is "đã sửa", never shown whole
NAME = 60  # characters of a list item's name shown beside a field ("Tờ khai …")
MAX_LINES = 12  # fields listed per change; the rest are counted
PARALLEL_FROM = 400  # record files: below this, one process is faster than starting workers
# Never worth a line: the date of update changes with every edit; `note` is for the clerks; a
# procedure's code and a plan's id name the record (the page's address), they are no content.
QUIET = frozenset({"updated", "note", "code", "id"})
_MISSING: Any = object()
_HINT = re.compile(r"\s*\([^()]*\)$")
_IDENTITY = ("method", "name", "title", "number", "url")  # what names a list item, in this order


@dataclass(frozen=True, slots=True)
class Change:
    """One day's change of a record: each line names a field and says how it changed."""

    iso: str  # ISO date
    date: str  # dd/mm/yyyy
    lines: tuple[str, ...]
    created: bool = False  # the record's first publication: its lines say only that


History = tuple[Change, ...]  # newest first


def sources(rec: Record, corpus: Corpus) -> tuple[tuple[str, SchemaName], ...]:
    """The files a record's page is made of, each with the schema that names its fields."""
    catalogue = corpus.catalogue
    if rec.kind == "catalogue" and catalogue is not None:  # its page, with every place's own facts
        local = [catalogue.implementations[key] for key in sorted(catalogue.implementations)
                 if key[1] == rec.stem]
        return ((rec.path, "catalogue"), *((own.path, "implementation") for own in local))
    if rec.kind in ("procedure", "plan"):
        return ((rec.path, rec.kind),)
    return ()


def histories(versions: Versions | None, corpus: Corpus) -> dict[str, History]:
    """The change history of each record of `corpus` that has one, by record path.

    The files are shared out between processes at province scale, each reading its share
    through its own `git cat-file`; a file's newest version, when the record was loaded from
    it, is the loaded data (parsing is most of the cost).
    """
    if versions is None:
        return {}
    pages = [*corpus.records, *(corpus.catalogue.entries.values() if corpus.catalogue is not None else ())]
    wanted = {rec.path: sources(rec, corpus) for rec in pages}
    files = dict(pair for pairs in wanted.values() for pair in pairs)
    primary = {pairs[0][0] for pairs in wanted.values() if pairs}
    paths = sorted(path for path in files if versions.files.get(path))
    loaded = _loaded(versions, corpus, paths)

    def work(share: Sequence[str]) -> dict[str, list[Change]]:
        return {path: file_changes(kept, files[path], path in primary, loaded)
                for path, kept in versions.contents(share, loaded)}

    changes: dict[str, list[Change]] = {}
    for part in share_out(work, paths, worker_count(len(paths), PARALLEL_FROM)):
        changes.update(part)
    out: dict[str, History] = {}
    names = {key: agency.title for key, agency in corpus.agencies.items()}
    for path, pairs in wanted.items():
        merged = merge([changes.get(file, []) if file == path
                        else _at_agency(changes.get(file, []), names.get(agency_of_path(file), ""))
                        for file, _ in pairs])
        if merged:
            out[path] = merged
    return out


def _loaded(versions: Versions, corpus: Corpus, paths: list[str]) -> dict[str, dict[str, Any]]:
    """The data of the records as loaded, by the object id of their file, for those whose file
    is their newest committed version (the usual case: a build of a clean checkout)."""
    records = {rec.path: rec for rec in corpus.records}
    if corpus.catalogue is not None:
        records.update((rec.path, rec) for rec in corpus.catalogue.entries.values())
        records.update((rec.path, rec) for rec in corpus.catalogue.implementations.values())
    out = {}
    for path in paths:
        rec = records.get(path)
        newest = versions.files[path][-1].blob
        if rec is not None and blob_id(versions.root / path) == newest:
            out[newest] = rec.data
    return out


def _at_agency(changes: list[Change], agency: str) -> list[Change]:
    """An agency's own facts on the page of a procedure many agencies perform: each line names it."""
    return [Change(c.iso, c.date, tuple(f"{agency}: {line}" for line in c.lines), c.created) for c in changes]


def merge(per_file: list[list[Change]]) -> History:
    """The changes of a page's files as one history, newest first: a day's lines together (on
    the day the page was first published, only that)."""
    days: dict[str, list[str]] = {}
    created: set[str] = set()
    for changes in per_file:
        for change in changes:
            days.setdefault(change.iso, []).extend(change.lines)
            if change.created:
                created.add(change.iso)
    newest = sorted(days, reverse=True)[:KEEP_DAYS]
    return tuple(Change(day, F.date(day), (HISTORY_WORDS["created"],), True) if day in created
                 else Change(day, F.date(day), tuple(days[day])) for day in newest)


def file_changes(kept: list[tuple[Version, bytes | None]], kind: SchemaName, primary: bool,
                 known: Mapping[str, dict[str, Any]] | None = None) -> list[Change]:
    """A file's changes, oldest first, from its versions and their contents (or their data in
    `known`, by object id). Its first version, when it is the file's creation, is "first
    published" for the page's own file, and the facts it adds for another."""
    parsed: dict[str, dict[str, Any] | None] = {}  # a file may return to an earlier content
    readable = []
    for version, raw in kept:
        if version.blob not in parsed:
            parsed[version.blob] = known[version.blob] if known and version.blob in known else _data(raw)
        if (data := parsed[version.blob]) is not None:
            readable.append((version, data))
    if not readable:
        return []
    out: list[Change] = []
    first, before = readable[0]
    if first.created and first == kept[0][0]:
        if primary:
            out.append(Change(first.day, F.date(first.day), (HISTORY_WORDS["created"],), True))
        elif lines := diff({}, before, kind):
            out.append(Change(first.day, F.date(first.day), tuple(lines)))
    for version, data in readable[1:]:
        lines = diff(before, data, kind)
        if lines:
            out.append(Change(version.day, F.date(version.day), tuple(lines)))
        before = data
    return out


def _data(raw: bytes | None) -> dict[str, Any] | None:
    """A version's data; None when it is missing, does not parse or is no record."""
    try:
        data = parse(raw)[0] if raw is not None else None
    except LoadError:
        return None
    return data if isinstance(data, dict) else None


# --- comparing two versions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    """One changed field, before its lines are merged: the same change in several items of a
    list (a time shortened for every channel) becomes one line."""

    label: str  # the field's schema title, or a fee's name
    names: tuple[str, ...]  # the names of the list items it sits in, outermost first
    siblings: int  # items in the innermost of those lists
    old: str  # as shown; "" when missing or too long to show
    new: str
    how: str  # "changed", "added", "removed" or "edited"


def diff(old: dict[str, Any], new: dict[str, Any], kind: SchemaName) -> list[str]:
    """The lines that say how `new` differs from `old`, two versions of a record of `kind`."""
    root = schema(kind)
    shown = _shown_keys(kind)
    found: list[_Found] = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key in shown:
            found += _walk(old.get(key, _MISSING), new.get(key, _MISSING), (key,), (), 0, root)
    lines = list(_lines(found))
    if len(lines) > MAX_LINES:
        rest = len(lines) - MAX_LINES + 1
        lines = [*lines[:MAX_LINES - 1], HISTORY_WORDS["more"].format(count=rest)]
    return lines


@cache
def _shown_keys(kind: SchemaName) -> frozenset[str]:
    keys = frozenset(schema(kind)["properties"])
    if kind == "catalogue":  # a catalogue entry's page is its places': a procedure's keys (places.py)
        keys &= frozenset(schema("procedure")["properties"])
    return keys - QUIET


def _walk(old: Any, new: Any, path: Path, names: tuple[str, ...], siblings: int,
          root: dict[str, Any]) -> Iterator[_Found]:
    if old == new:
        return
    # A part added or removed whole shows as its parts added or removed (a contact's name and
    # phone, each channel): more said than "added".
    if old is _MISSING and isinstance(new, dict | list) and not _is_value(path):
        old = type(new)()
    elif new is _MISSING and isinstance(old, dict | list) and not _is_value(path):
        new = type(old)()
    if isinstance(old, dict) and isinstance(new, dict) and not _is_value(path):
        for key in [*new, *(k for k in old if k not in new)]:
            if _node(root, (*path, key)):  # a key the schema does not know has no name to show
                yield from _walk(old.get(key, _MISSING), new.get(key, _MISSING), (*path, key), names,
                                 siblings, root)
    elif _is_items(old) and _is_items(new):
        yield from _items(old, new, path, names, siblings, root)
    elif _is_scalars(old) and _is_scalars(new):
        yield from _scalars(old, new, path, names, siblings, root)
    else:
        yield _leaf(old, new, path, names, siblings, root)


def _is_value(path: Path) -> bool:
    """A mapping shown as one value: a processing time, a form."""
    return path[-1] in ("processing_time", "form")


def _is_items(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _is_scalars(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(v, dict | list) for v in value)


def _items(old: list[dict[str, Any]], new: list[dict[str, Any]], path: Path, names: tuple[str, ...],
           siblings: int, root: dict[str, Any]) -> Iterator[_Found]:
    """Items matched by what names them (a channel's method, a document's name); those left
    over on both sides are matched in order (a renamed document)."""
    # Linear in the items, whatever an old revision holds (dicts as ordered sets).
    by_identity: dict[str, list[int]] = {}
    for at_old in reversed(range(len(old))):
        if (identity := _identity(old[at_old])) is not None:
            by_identity.setdefault(identity, []).append(at_old)
    left = dict.fromkeys(range(len(old)))  # the old items not matched yet, in order
    match: list[int | None] = []  # for each new item, the old item it is
    for item in new:
        identity = _identity(item)
        same = by_identity.get(identity) if identity is not None else None
        found = same.pop() if same else None
        if found is not None:
            del left[found]
        match.append(found)
    for j, rest in zip([j for j, was in enumerate(match) if was is None], list(left), strict=False):
        match[j] = rest
        del left[rest]
    title = _title(root, path)
    for j, (i, item) in enumerate(zip(match, new, strict=True)):
        at = (*path, j)
        if i is None:
            yield _Found(title, names, siblings, "", _item_text(item, at), "added")
        elif path[-1] == "fees":  # a fee's amount is named by the fee: "Lệ phí: 50.000 đồng → …"
            for key in [*item, *(k for k in old[i] if k not in item)]:
                if old[i].get(key, _MISSING) != item.get(key, _MISSING) and _node(root, (*at, key)):
                    yield _leaf(old[i].get(key, _MISSING), item.get(key, _MISSING), (*at, key), names,
                                siblings, root, _name(item) if key == "amount" else "")
        else:
            yield from _walk(old[i], item, at, (*names, _name(item)), len(new), root)
    for i in left:
        yield _Found(title, names, siblings, _item_text(old[i], (*path, i)), "", "removed")


def _scalars(old: list[Any], new: list[Any], path: Path, names: tuple[str, ...], siblings: int,
             root: dict[str, Any]) -> Iterator[_Found]:
    """A list of texts or codes (applicants, steps, forms of disclosure): what was added and
    removed, when each is short; else that it was edited."""
    node = _node(root, (*path, 0))
    before = [_text(v, node, path) for v in old]
    after = [_text(v, node, path) for v in new]
    had, has = set(before), set(after)
    added = [v for v in after if v not in had]
    removed = [v for v in before if v not in has]
    title = _title(root, path)
    if not (added or removed) or any(not v or len(v) > SHORT for v in added + removed):
        yield _Found(title, names, siblings, "", "", "edited")
        return
    for value in removed:
        yield _Found(title, names, siblings, value, "", "removed")
    for value in added:
        yield _Found(title, names, siblings, "", value, "added")


def _leaf(old: Any, new: Any, path: Path, names: tuple[str, ...], siblings: int, root: dict[str, Any],
          label: str = "") -> _Found:
    node = _node(root, path)
    before, after = _text(old, node, path), _text(new, node, path)
    if old is _MISSING or new is _MISSING:
        how = "added" if old is _MISSING else "removed"
    elif before and after and before != after:
        how = "changed"
    else:
        how = "edited"
    short = (before if len(before) <= SHORT else ""), (after if len(after) <= SHORT else "")
    if how == "changed" and not all(short):
        how = "edited"
    return _Found(label or _title(root, path), names, siblings, *short, how)


def _lines(found: Iterable[_Found]) -> Iterator[str]:
    """One line per change; the same change in several items of one list is one line naming
    them, or none of them when it is in every item."""
    groups: dict[tuple[Any, ...], list[_Found]] = {}
    for item in found:
        key = (item.label, item.names[:-1], item.siblings, item.old, item.new, item.how)
        groups.setdefault(key, []).append(item)
    for items in groups.values():
        first = items[0]
        names = list(first.names)
        if names:
            inner = list(dict.fromkeys(i.names[-1] for i in items))
            names[-1:] = [] if len(inner) == first.siblings else [", ".join(inner)]
        label = f"{first.label} ({' – '.join(names)})" if names else first.label
        yield f"{label}: {_how(first)}"


def _how(found: _Found) -> str:
    words = HISTORY_WORDS
    if found.how == "changed":
        return f"{found.old} → {found.new}"
    if found.how == "added":
        return f"{words['added']} “{found.new}”" if found.new else words["added_long"]
    if found.how == "removed":
        return f"{words['removed']} “{found.old}”" if found.old else words["removed_long"]
    return words["edited"]


# --- values as the page shows them ----------------------------------------------------------


def _node(root: dict[str, Any], path: Path) -> dict[str, Any]:
    node = info_for_data_path(root, path)[2]
    return deref(root, node) if node else {}


def _title(root: dict[str, Any], path: Path) -> str:
    """A field's schema title without the clerk's hint in brackets ("Giờ tiếp nhận hồ sơ (nếu
    khác giờ của Bộ phận Một cửa)"): the citizen reads the name."""
    return _HINT.sub("", info_for_data_path(root, path)[0])


def _identity(item: dict[str, Any]) -> str | None:
    return next((str(item[key]) for key in _IDENTITY if isinstance(item.get(key), str)), None)


def _name(item: dict[str, Any]) -> str:
    """What names a list item beside a field: "Trực tiếp", a fee's or a document's name."""
    if isinstance(item.get("method"), str):
        return F.label(METHODS, item["method"])
    name = F.text(_identity(item))
    return name if len(name) <= NAME else name[:NAME - 1].rstrip() + "…"


def _item_text(item: dict[str, Any], path: Path) -> str:
    """An item added or removed, as the page lists it: a fee with its amount, a channel with
    its time, else its name."""
    if path[-2] == "fees":
        line = fees([item]).lines[0]
        text = f"{line.name}: {line.shown}" if line.name else line.shown
    elif isinstance(item.get("processing_time"), dict):  # a channel: how, and how long
        text = f"{_name(item)}, {_text(item['processing_time'], {}, ('processing_time',))}"
    else:
        text = _name(item)
    return text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "…"


def _text(value: Any, node: dict[str, Any], path: Path) -> str:
    """A value as the page shows it ("" for a missing value or one no text can show)."""
    if value is _MISSING or value is None:
        return ""
    key = path[-1]
    if key == "processing_time":  # as views.duration words it
        if not isinstance(value, dict):
            return F.text(value)
        time, note = F.duration(value.get("value"), value.get("unit")), F.text(value.get("note"))
        return f"{time} ({note})" if note else time
    if key == "fees":
        shown = fees(value)
        return "; ".join(f"{f.name}: {f.shown}" if f.name else f.shown for f in shown.lines) or shown.none
    if isinstance(value, dict):
        return F.link(value.get("title"), value.get("url")).text if key == "form" else ""
    if isinstance(value, list):
        items = _node_items(node)
        return "; ".join(_text(v, items, path) for v in value)
    if isinstance(value, str) and "enum" in node:
        return F.label(VALUES, value)
    if isinstance(value, str) and node.get("format") == "date":
        return F.date(value)
    if F.is_number(value):
        return F.money(value) if key == "amount" else F.number(value)
    return F.text(value)


def _node_items(node: dict[str, Any]) -> dict[str, Any]:
    items = node.get("items")
    return items if isinstance(items, dict) else {}
