"""The processing time of a procedure at an agency, by channel, from the repository's records.

This is the one place that knows where a legal processing time comes from. Today that is a
self-contained record, `procedures/<agency>/<code>.yaml` (`channels[].processing_time`). The
province's catalogue (`catalogue/<code>.yaml`, `implemented_by`, with an agency's shorter local
time in its own `procedures/<agency>/<code>.yaml`) plugs in by extending `_read_agency`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load import load_file
from generator.model import Record

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
        folder = self.root / "procedures" / agency
        if not folder.is_dir() or folder.is_symlink():
            return {}
        found: dict[str, Channels] = {}
        for path in sorted(folder.glob("*.yaml")):
            if path.is_symlink():
                continue
            record = load_file(self.root, path.relative_to(self.root).as_posix(), "procedure")
            if isinstance(record, Record):
                found[record.key] = _channels(record.data.get("channels"))
        return found


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
