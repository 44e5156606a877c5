"""Synthetic one-stop exports: clearly made-up dossiers, deterministic by seed.

Every dossier is generated for a procedure and channel of the repository (its processing time
from `ProcessingTimes`) and, unless its agency is `massaging`, breaks no rule: its appointment
is the legal due time, late dossiers carry an apology, direct dossiers are received in office
hours on working days, one minute apart at least. The legal due time is computed here
independently of the engine (a day-by-day walk, `legal_due`), so that tests compare the two.

A massaging agency's dossiers show the inspection's patterns: appointments beyond the legal
time, receipt dates that differ from the dossier code, dossiers keyed in bursts, repeated or
late supplement requests, late or missing apologies, counters open at night, statuses that
contradict the times. Its own report (`reported_figures`) counts "on time" the way its software
does, by the appointment, so it disagrees with the recomputed figures.

    python -m generator.dossiers.synth --sample     # the sample export and the agency's report
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from generator.check.timeliness import _add_months, add_working_days, is_working_day
from generator.dossiers import spec
from generator.dossiers.times import ProcessingTime, ProcessingTimes

COLUMNS = list(spec.columns())
REPO = Path(__file__).resolve().parents[2]
SAMPLE_CSV = "tests/fixtures/dossiers/synthetic_sample.csv"
SAMPLE_NOTE = "Số liệu minh họa, tính từ tệp xuất giả lập (không phải hồ sơ thật)"


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    unit: str  # the receiving unit's code at the start of every dossier code
    massaging: bool = False


SAMPLE_AGENCIES = (
    Agency("so-tu-phap", "GIALAP.STP"),
    Agency("phuong-nha-trang", "GIALAP.PNT"),
    Agency("so-xay-dung", "GIALAP.SXD", massaging=True),
)
SAMPLE_PERIOD = (date(2026, 7, 1), date(2026, 9, 30))
SAMPLE_SEED = 17


# --- the legal due time, walked day by day (the engine's is column-wise) ------------------------

def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minute)


def add_office_minutes(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` office minutes after `start` (a whole period ends at its close)."""
    periods = spec.params().office_hours
    day, now = start.date(), start.hour * 60 + start.minute
    while True:
        if is_working_day(day):
            for open_, close in periods:
                if now < close:
                    begin = max(now, open_)
                    if begin + minutes <= close:
                        return _at(day, begin + minutes)
                    minutes -= close - begin
                    now = close
        day, now = day + timedelta(days=1), 0


@lru_cache(maxsize=65536)
def _due_day(day: date, unit: str, amount: int, paused: int) -> date:
    if unit == "working_days":
        return add_working_days(day, amount + paused)
    end = day + timedelta(days=amount) if unit == "days" else _add_months(day, amount)
    return add_working_days(end, paused) if paused else end


def legal_due(received: datetime, pt: ProcessingTime, paused: int = 0) -> datetime:
    """DOSSIERS.md's legal due time, written as plainly as possible."""
    params = spec.params()
    if (pt.unit == "working_days" and pt.value.is_integer()) or pt.unit in ("days", "months"):
        end = _due_day(received.date(), pt.unit, math.ceil(pt.value), paused)
        return _at(end, params.day_end)
    per = params.office_minutes if pt.unit == "working_days" else 60
    minutes = math.ceil(pt.value * per) + paused * params.office_minutes
    return add_office_minutes(received.replace(second=0, microsecond=0), minutes)


# --- generation --------------------------------------------------------------------------------

def _text(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") if moment else ""


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole second in [start, end]; sometimes exactly `end`, the boundary the rules test."""
    if rng.random() < 0.1:
        return end
    seconds = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, seconds))


class _Generator:
    def __init__(self, times: ProcessingTimes, agencies: Sequence[Agency], until: datetime, seed: int):
        self.rng = random.Random(seed)
        self.until = until
        self.agencies = agencies
        self.offers = {a.id: [(code, channel, pt) for code, channels in sorted(times.procedures(a.id).items())
                              for channel, pt in sorted(channels.items()) if pt is not None]
                       for a in agencies}
        for agency, offers in self.offers.items():
            if not offers:
                raise ValueError(f"{agency}: no procedure with a processing time to generate dossiers for")

    def day(self, agency: Agency, index: int, day: date, count: int) -> list[dict[str, str]]:
        rng = self.rng
        working = is_working_day(day)
        offers = self.offers[agency.id]
        picks = [rng.choice(offers) for _ in range(count if working else max(1, count // 5))]
        if not working:  # the counter is closed: only online and postal dossiers
            picks = [p for p in picks if p[1] != "direct"] or []
        # Direct dossiers of the day take distinct minutes in office hours: no burst by chance.
        direct = [i for i, p in enumerate(picks) if p[1] == "direct"][:540]
        minutes = dict(zip(direct, rng.sample(range(450, 990), len(direct)), strict=True))
        rows = []
        for seq, (code, channel, pt) in enumerate(picks, start=1):
            if channel == "direct" and seq - 1 not in minutes:
                continue
            minute = minutes.get(seq - 1, rng.randrange(0, 1440))
            received = _at(day, minute) + timedelta(seconds=rng.randrange(60))
            officer = f"CB{index:02d}{rng.randrange(1, 6):02d}"
            row = self.clean(agency, seq, code, channel, pt, received, officer)
            if agency.massaging:
                self.massage(row, pt, received)
            rows.append(row)
        if agency.massaging and working and day.day % 10 == 3:
            rows += self.burst(agency, index, day, len(picks) + 1)
        return rows

    def clean(self, agency: Agency, seq: int, code: str, channel: str, pt: ProcessingTime,
              received: datetime, officer: str) -> dict[str, str]:
        rng = self.rng
        row = dict.fromkeys(COLUMNS, "")
        row.update(dossier_code=f"{agency.unit}-{received:%y%m%d}-{seq:04d}", procedure_code=code,
                   agency=agency.id, channel=channel, officer=officer, received_at=_text(received))
        paused = 0
        if rng.random() < 0.1:
            base = legal_due(received, pt)
            paused = rng.randint(0, 3)
            row.update(supplement_requests="1", paused_days=str(paused),
                       first_supplement_at=_text(_between(rng, received, min(base, self.until))))
        due = legal_due(received, pt, paused)
        row["due_at"] = _text(due)
        roll = rng.random()
        if roll < 0.04:
            row["status"] = "withdrawn"
            return row
        late = roll > 0.85
        resolved = due + timedelta(minutes=rng.randint(1, 7200)) if late else _between(rng, received, due)
        if resolved <= self.until:
            row.update(status="refused" if roll < 0.08 else "resolved", resolved_at=_text(resolved))
        else:
            row["status"] = "pending"
            late = due < self.until
        if late:
            row.update(apology_at=_text(received), new_due_at=_text(due + timedelta(days=5)))
        return row

    # The massaging agency's dossiers take these patterns in turn: every one shows in a sample.
    PATTERNS = ("extended", "backdated", "extended", "repeat", "clean", "after_due", "extended",
                "apology_late", "clean", "off_hours", "status", "clean", "order", "clean")

    def massage(self, row: dict[str, str], pt: ProcessingTime, received: datetime) -> None:
        """Turn a clean dossier into one showing a pattern of the inspection (or leave it)."""
        rng = self.rng
        self.turn = getattr(self, "turn", -1) + 1
        pattern = self.PATTERNS[self.turn % len(self.PATTERNS)]
        due = datetime.fromisoformat(row["due_at"])
        if pattern == "extended":  # a generous appointment hides a late result
            extended = _at(add_working_days(due.date(), rng.randint(2, 8)), spec.params().day_end)
            resolved = due + timedelta(minutes=rng.randint(1, int((extended - due).total_seconds() // 60)))
            if resolved <= self.until:
                row.update(due_at=_text(extended), resolved_at=_text(resolved), status="resolved",
                           apology_at="", new_due_at="")
        elif pattern == "backdated":  # created on another day than the receipt
            unit, _, seq = row["dossier_code"].split("-")
            back = rng.randint(1, 3)  # a sequence of its own, so that no two codes meet
            day = received.date() - timedelta(days=back)
            row["dossier_code"] = f"{unit}-{day:%y%m%d}-{5000 + 1000 * back + int(seq) % 1000:04d}"
        elif pattern == "repeat":
            row.update(supplement_requests=str(rng.randint(2, 3)), first_supplement_at=_text(received))
        elif pattern == "after_due":  # a late request restarts the clock
            late_request = legal_due(received, pt) + timedelta(days=1)
            if late_request <= self.until:
                new_due = legal_due(received, pt, 5)
                row.update(supplement_requests="1", first_supplement_at=_text(late_request), paused_days="5",
                           due_at=_text(new_due))
                if row["new_due_at"]:
                    row["new_due_at"] = _text(new_due + timedelta(days=5))
        elif pattern == "apology_late":  # late, and the apology only after the fact
            resolved = due + timedelta(days=rng.randint(1, 4))
            if resolved <= self.until:
                row.update(status="resolved", resolved_at=_text(resolved),
                           apology_at=_text(due + timedelta(minutes=30)),
                           new_due_at=_text(due + timedelta(days=5)))
        elif pattern == "off_hours" and row["channel"] == "direct":
            row["received_at"] = _text(datetime.combine(received.date(), time(19, 15)))
        elif pattern == "status" and row["resolved_at"]:
            row.update(status="resolved", resolved_at="")
        elif pattern == "order" and row["resolved_at"]:
            row["resolved_at"] = _text(received - timedelta(hours=2))

    def burst(self, agency: Agency, index: int, day: date, first_seq: int) -> list[dict[str, str]]:
        """Twelve direct dossiers one officer 'received' three seconds apart, late in the day."""
        direct = [o for o in self.offers[agency.id] if o[1] == "direct"]
        if not direct:
            return []
        start = datetime.combine(day, time(16, 45))
        rows = []
        for i in range(12):
            code, channel, pt = self.rng.choice(direct)
            rows.append(self.clean(agency, first_seq + i, code, channel, pt,
                                   start + timedelta(seconds=3 * i), f"CB{index:02d}09"))
        return rows


def generate(times: ProcessingTimes, agencies: Sequence[Agency], first: date, last: date,
             per_day: int, seed: int) -> list[dict[str, str]]:
    """Rows of an export covering `first`..`last`, about `per_day` dossiers per agency a day."""
    until = datetime.combine(last, time(23, 59, 59))
    generator = _Generator(times, agencies, until, seed)
    rows: list[dict[str, str]] = []
    day = first
    while day <= last:
        for index, agency in enumerate(agencies):
            rows += generator.day(agency, index, day, per_day)
        day += timedelta(days=1)
    return rows


def reported_figures(rows: list[dict[str, str]], agency: str, as_of: datetime) -> dict[str, dict[str, int]]:
    """What an agency's software reports per month: "on time" by the appointment on the receipt."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["agency"] != agency:
            continue
        month = out.setdefault(row["received_at"][:7], dict.fromkeys(spec.REPORTED, 0))
        month["received"] += 1
        if row["status"] == "withdrawn":
            continue
        promised = row["new_due_at"] or row["due_at"]
        if row["status"] in ("resolved", "refused"):
            done = row["resolved_at"] or row["due_at"]  # a result without a time counts as on time
            month["resolved_on_time" if done <= promised else "resolved_late"] += 1
        else:
            overdue = datetime.fromisoformat(promised) < as_of
            month["pending_overdue" if overdue else "pending_on_time"] += 1
    return out


def write_csv(path: Path, rows: list[dict[str, str]], columns: Sequence[str] = COLUMNS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_report(path: Path, figures: dict[str, int], updated: date) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{key}: {figures[key]}\n" for key in spec.REPORTED)
    path.write_text("# Số liệu minh họa: báo cáo giả lập của cơ quan, tính theo ngày hẹn trả ghi trên "
                    "phiếu\n# (sinh bởi python -m generator.dossiers.synth --sample).\n"
                    f"{body}updated: {updated.isoformat()}\n", "utf-8")


def write_sample(root: Path, out: Path) -> list[Path]:
    """The committed sample: the synthetic export and the massaging agency's own reports."""
    first, last = SAMPLE_PERIOD
    rows = generate(ProcessingTimes(root), SAMPLE_AGENCIES, first, last, per_day=2, seed=SAMPLE_SEED)
    written = [out / SAMPLE_CSV]
    write_csv(written[0], rows)
    until = datetime.combine(last, time(23, 59, 59))
    for agency in (a for a in SAMPLE_AGENCIES if a.massaging):
        for month, figures in sorted(reported_figures(rows, agency.id, until).items()):
            path = out / "dossier_reports" / agency.id / f"{month}.yaml"
            year, number = map(int, month.split("-"))
            write_report(path, figures, date(year + number // 12, number % 12 + 1, 5))
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tệp xuất hồ sơ giả lập (dữ liệu minh họa)")
    parser.add_argument("--root", type=Path, default=REPO, help="kho dữ liệu có các thủ tục")
    parser.add_argument("--sample", action="store_true", help="ghi lại tệp mẫu và báo cáo mẫu vào --out")
    parser.add_argument("--out", type=Path, default=REPO)
    parser.add_argument("--rows", type=int, default=1000, help="số hồ sơ (xấp xỉ) khi không dùng --sample")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csv", type=Path, help="tệp CSV cần ghi khi không dùng --sample")
    args = parser.parse_args(argv)
    if args.sample:
        for path in write_sample(args.root, args.out):
            print(path)
        return 0
    if args.csv is None:
        parser.error("cần --csv FILE hoặc --sample")
    write_csv(args.csv, bench_rows(args.root, args.rows, args.seed))
    return 0


def bench_rows(root: Path, rows: int, seed: int) -> list[dict[str, str]]:
    """`rows` dossiers over a year, for every agency of `root` that has procedures; the last one
    massages its rate."""
    times = ProcessingTimes(root)
    ids = sorted(a for a in times.known_agencies() if any(
        pt for channels in times.procedures(a).values() for pt in channels.values()))
    agencies = [Agency(a, f"GIALAP.{i:03d}", massaging=i == len(ids) - 1) for i, a in enumerate(ids)]
    first = date(2025, 10, 1)
    per_day = math.ceil(rows / (len(agencies) * 365 * 0.7))  # weekends and holidays take less
    return generate(times, agencies, first, first + timedelta(days=364), per_day, seed)[:rows]


if __name__ == "__main__":
    sys.exit(main())
