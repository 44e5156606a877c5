"""The processing time of a procedure at an agency, by channel, from the repository's records.

This is the one place that knows where a legal processing time comes from: the province's
catalogue (`catalogue/<code>.yaml`, for every agency its `implemented_by` names, with an agency's
shorter local time in its own `procedures/<agency>/<code>.yaml`), or a self-contained record,
`procedures/<agency>/<code>.yaml` (`channels[].processing_time`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check.performers import Catalogue, who_performs
from generator.load import load_file
from generator.model import Kind, Record

UNITS = ("working_days", "days", "hours", "months")


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    value: float
    unit: str  # one of UNITS


# channel -> its time, or None when the record offers the channel without a usable time
Channels = dict[str, ProcessingTime | None]


class ProcessingTimes:
    """(agency, procedure code, channel) -> ProcessingTime, read once per agency on demand."""

    def __init__(self, root: Path):
        self.root = root
        self._agencies: dict[str, dict[str, Channels]] = {}
        self._catalogue: Catalogue | None = None

    def known_agencies(self) -> frozenset[str]:
        """Agencies of the repository: a hotlines/ record or a procedures/ folder."""
        hotlines = self.root / "hotlines"
        procedures = self.root / "procedures"
        names = {p.stem for p in hotlines.glob("*.yaml")} if hotlines.is_dir() else set()
        if procedures.is_dir():
            names |= {p.name for p in procedures.iterdir() if p.is_dir()}
        return frozenset(names)

    def procedures(self, agency: str) -> dict[str, Channels]:
        """Every procedure the agency performs, with its channels."""
        if agency not in self._agencies:
            self._agencies[agency] = self._read_agency(agency)
        return self._agencies[agency]

    def lookup(self, agency: str, code: str, channel: str) -> ProcessingTime | None:
        return self.procedures(agency).get(code, {}).get(channel)

    def _read_agency(self, agency: str) -> dict[str, Channels]:
        catalogue = self._who_performs()
        found = {code: _channels(catalogue.entries[code].data.get("channels"))
                 for code in catalogue.procedures_of(agency)}
        folder = self.root / "procedures" / agency
        if not folder.is_dir() or folder.is_symlink():
            return found
        for path in sorted(folder.glob("*.yaml")):
            if path.is_symlink():
                continue
            record = load_file(self.root, path.relative_to(self.root).as_posix(), "procedure")
            if not isinstance(record, Record):
                continue
            local = _channels(record.data.get("channels"))
            if record.stem in catalogue.entries:  # an implementation: its shorter local times
                listed = found.get(record.stem, {})
                found[record.stem] = {**listed, **{m: pt for m, pt in local.items() if m in listed and pt}}
            else:
                found[record.key] = local
        return found

    def _who_performs(self) -> Catalogue:
        """The province's catalogue and who performs what, read once."""
        if self._catalogue is None:
            self._catalogue = who_performs(self._records("catalogue", "catalogue"),
                                           self._records("hotlines", "agency"))
        return self._catalogue

    def _records(self, folder: str, kind: Kind) -> list[Record]:
        base = self.root / folder
        paths = sorted(p for p in base.glob("*.yaml") if not p.is_symlink()) if base.is_dir() else []
        loaded = [load_file(self.root, p.relative_to(self.root).as_posix(), kind) for p in paths]
        return [r for r in loaded if isinstance(r, Record)]


def _channels(value: Any) -> Channels:
    out: Channels = {}
    for channel in value if isinstance(value, list) else []:
        if isinstance(channel, dict) and isinstance(channel.get("method"), str):
            out.setdefault(channel["method"], _time(channel.get("processing_time")))
    return out


def _time(value: Any) -> ProcessingTime | None:
    if not isinstance(value, dict):
        return None
    amount, unit = value.get("value"), value.get("unit")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0 \
            or unit not in UNITS:
        return None  # `congkhai validate` reports the record itself
    return ProcessingTime(float(amount), unit)
