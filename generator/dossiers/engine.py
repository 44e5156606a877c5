"""Checking dossier exports: every row parsed, judged against its legal due time, aggregated.

The work is done column-wise by Polars; the only per-row Python is turning the located
problems into values for the printers. Steps:

1. `_Parser.prepare`, on each batch of rows as it is read: text -> typed values; every unusable
   value is a located error (the row is then counted as an error and not judged);
2. `_check`, over the rows of every file: duplicated codes, then
3. `_due`: the legal due time of each usable row, from the procedure's processing time at the
   agency (`ProcessingTimes`) and the working-day calendar (`Calendar`);
4. `_judge`: on time / late / pending / overdue, and one flag per rule of the contract;
5. `Outcome`: the problems, the counts, and the judged rows for the aggregates.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from generator.dossiers import spec
from generator.dossiers.calendar import Calendar
from generator.dossiers.problems import Counts, DossierProblem
from generator.dossiers.read import Export, read_export
from generator.dossiers.times import ProcessingTime, ProcessingTimes

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_CODE = r"^[0-9A-Za-z][0-9A-Za-z.]*-\d{6}-\d{4}$"
# The classification of a judged dossier, and the flag column of each rule, in the rows' frame.
KIND = pl.Enum(["wd", "min", "day", "mon"])  # working days, office minutes, calendar days, months
OUTCOMES = ("resolved_on_time", "resolved_late", "pending_on_time", "pending_overdue", "withdrawn")
FLAGS = {rule: "f_" + rule[3:].lower().replace("-", "_") for rule in spec.rules()
         if rule != "DS-REPORT-MISMATCH"}
_UNIT_VI = {"working_days": "ngày làm việc", "days": "ngày", "hours": "giờ", "months": "tháng"}


@dataclass(slots=True)
class Outcome:
    problems: list[DossierProblem]
    counts: Counts
    as_of: datetime | None
    # One row per judged dossier: agency, month, procedure_code, dossier_code, the outcome
    # columns and the rule flags (see OUTCOMES and FLAGS).
    judged: pl.DataFrame = field(default_factory=pl.DataFrame)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def check_files(files: list[tuple[Path, str]], times: ProcessingTimes, as_of: date | None = None
                ) -> Outcome:
    """Read and check exports, given as (path, how problems name it)."""
    parser = _Parser(times)
    exports = [read_export(path, name, i, parser.prepare) for i, (path, name) in enumerate(files)]
    return _check(exports, as_of)


def _check(exports: list[Export], as_of: date | None) -> Outcome:
    counts = Counts(files=len(exports), blank=sum(e.blank_rows for e in exports))
    problems = [p for e in exports for p in e.problems]
    counts.files_refused = sorted({e.file for e in exports if e.frame is None})
    frames = [e.frame for e in exports if e.frame is not None]
    broken = sum(e.broken_rows for e in exports)
    names = [e.file for e in exports]
    if not frames:
        return Outcome(_sorted(problems), counts, None)
    rows = pl.concat(frames, how="vertical", rechunk=False) if len(frames) > 1 else frames[0]
    rows = rows.with_row_index("rid")
    for e in exports:
        e.frame = None  # `rows` holds them now
    counts.rows = rows.height + counts.blank + broken

    repeated = _repeated(rows["dossier_code"])
    found = [f for e in exports for f in e.found]
    if repeated.any():
        dossiers = rows.filter(repeated)
        found.append(_select_problems(dossiers, "DS-DUPLICATE", _duplicate_message(dossiers, names), "error"))
        rows = rows.with_columns(pl.col("error") | repeated)
    problems += _to_problems(found, names)
    # Filtering copies every column: only done when some row is unusable.
    good = (rows.filter(~pl.col("error")) if found else rows).drop("error")
    counts.errors = rows.height - good.height + broken
    counts.checked = good.height
    del rows
    moment = _as_of(good, as_of)
    if good.height == 0:
        return Outcome(_sorted(problems), counts, moment)
    good = _judge(_due(good), moment)
    problems += _findings(good, moment, names)
    judged = good.select("agency", "month", "procedure_code", "dossier_code", *OUTCOMES, *FLAGS.values())
    return Outcome(_sorted(problems), counts, moment, judged)


# --- 1. parsing ---------------------------------------------------------------------------------

def _parse_time(column: str, minutes_only: bool) -> pl.Expr:
    """`YYYY-MM-DDTHH:MM[:SS]` -> Datetime; anything else -> null (one parse: a time written to
    the minute gets ":00", in the columns that have such times)."""
    text = pl.col(column)
    if minutes_only:
        text = pl.when(text.str.len_bytes() == 16).then(text + ":00").otherwise(text)
    return text.str.strptime(pl.Datetime("us"), TIME_FORMAT, strict=False, exact=True)


class _Parser:
    """Turns each batch of text rows into typed, compact rows, with each unusable row's located
    errors (except duplicates, which need every row: see `_check`)."""

    def __init__(self, times: ProcessingTimes):
        self.table = _TimeTable(times)
        self.checks = _error_checks(times)

    def prepare(self, rows: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
        columns = spec.columns()
        code = pl.col("dossier_code")
        times = [k for k, c in columns.items() if c.time]
        short = rows.select((pl.col(k).str.len_bytes() == 16).any() for k in times).row(0)
        parsed = rows.with_columns(
            *[_parse_time(k, s).alias(f"t_{k}") for k, s in zip(times, short, strict=True)],
            *[pl.when(pl.col(k) == "").then(0).otherwise(pl.col(k).cast(pl.Int64, strict=False))
              .alias(f"n_{k}") for k, c in columns.items() if c.count],
            # <unit>-<yymmdd>-<nnnn>: the date is the 6 characters before the last 5
            pl.when(code.str.contains(_CODE)).then(code.str.slice(-11, 6))
            .str.strptime(pl.Date, "%y%m%d", strict=False).alias("code_date"),
        )
        parsed = self.table.join(parsed)
        flags = [f"e{i}" for i in range(len(self.checks))]
        parsed = parsed.with_columns(cond.alias(flag) for flag, (_, cond, _) in zip(flags, self.checks,
                                                                                    strict=True))
        counts = parsed.select(pl.col(flags).sum()).row(0)
        found = [_select_problems(parsed.filter(pl.col(flag)), rule, message, "error")
                 for flag, n, (rule, _, message) in zip(flags, counts, self.checks, strict=True) if n]
        # The text of times and counts is no longer needed: only the typed values are kept.
        return parsed.with_columns(pl.any_horizontal(flags).alias("error")).drop(
            flags, "row", *[k for k, c in columns.items() if c.time or c.count]), found


def _repeated(codes: pl.Series) -> pl.Series:
    """Codes that occur more than once: their hashes screen, the codes themselves decide."""
    hashes = codes.hash()
    if hashes.n_unique() == len(hashes):  # the usual case, cheaper to ask than to mark
        return pl.Series(values=[False]).extend_constant(False, len(codes) - 1) if len(codes) else hashes > 0
    candidates = hashes.is_duplicated() & (codes != "")
    if not candidates.any():
        return candidates
    exact = codes.filter(candidates).is_duplicated()
    return candidates.scatter(candidates.arg_true(), exact)


Message = Callable[[pl.DataFrame], pl.Expr]


def _error_checks(times: ProcessingTimes) -> list[tuple[str, pl.Expr, Message]]:
    """(rule, condition, message) for every way a row can be unusable; a message is made only
    for the rows that meet its condition."""
    columns = spec.columns()
    checks: list[tuple[str, pl.Expr, Message]] = []
    first, last = spec.params().years

    def add(rule: str, condition: pl.Expr, message: pl.Expr | Message) -> None:
        # A condition on a missing value is false, never null: a null would drop the row unsaid.
        checks.append((rule, condition.fill_null(False),
                       message if callable(message) else (lambda _: message)))

    for key, column in columns.items():
        value = pl.col(key)
        what = f"{column.label} ({key})"
        if column.required:
            add("DS-REQUIRED", value == "", pl.lit(f"thiếu {what}, là cột bắt buộc"))
        if column.time:
            parsed = pl.col(f"t_{key}")
            add("DS-TIME", (value != "") & parsed.is_null(),
                pl.format(f"{what} '{{}}' không phải ngày giờ có thật dạng YYYY-MM-DDTHH:MM[:SS] "
                          "(giờ Việt Nam)", value))
            add("DS-TIME", (parsed < datetime(first, 1, 1)) | (parsed >= datetime(last + 1, 1, 1)),
                pl.format(f"{what} '{{}}' nằm ngoài các năm {first}–{last}: chắc chắn là gõ nhầm", value))
        if column.count:
            number = pl.col(f"n_{key}")
            add("DS-VALUE", number.is_null() | (number < 0),
                pl.format(f"{what} '{{}}' phải là số nguyên không âm", value))
    limit = spec.params().max_paused_days
    add("DS-VALUE", pl.col("n_paused_days") > limit,
        pl.format(f"số ngày tạm dừng {{}} lớn hơn {limit} ngày làm việc: không thể là thời gian chờ bổ "
                  "sung hợp lệ", pl.col("paused_days")))
    for key, allowed in (("channel", spec.channels()), ("status", spec.statuses())):
        add("DS-VALUE", (pl.col(key) != "") & ~pl.col(key).is_in(list(allowed)),
            pl.format(f"{columns[key].label} ({key}) '{{}}' không hợp lệ; dùng một trong: "
                      + ", ".join(allowed), pl.col(key)))
    add("DS-REQUIRED", (pl.col("n_supplement_requests") >= 1) & (pl.col("first_supplement_at") == ""),
        pl.format("có {} lần yêu cầu bổ sung nhưng thiếu ngày giờ yêu cầu bổ sung lần đầu "
                  "(first_supplement_at)", pl.col("supplement_requests")))
    add("DS-REQUIRED", (pl.col("apology_at") != "") & (pl.col("new_due_at") == ""),
        pl.lit("có phiếu xin lỗi nhưng thiếu ngày giờ hẹn lại (new_due_at)"))
    add("DS-CODE", (pl.col("dossier_code") != "") & pl.col("code_date").is_null(),
        pl.format("mã hồ sơ '{}' không có dạng <mã đơn vị>-<yymmdd>-<4 chữ số> với một ngày có thật",
                  pl.col("dossier_code")))
    known = pl.col("agency").is_in(sorted(times.known_agencies()))
    add("DS-AGENCY-UNKNOWN", (pl.col("agency") != "") & ~known,
        pl.format("cơ quan '{}' không có trong kho dữ liệu (hotlines/ hoặc procedures/)", pl.col("agency")))
    channel_ok = pl.col("channel").is_in(list(spec.channels()))
    # (an invalid channel is said once, as DS-VALUE)
    add("DS-PROCEDURE-UNKNOWN", known & channel_ok & (pl.col("procedure_code") != "") & ~pl.col("p_known"),
        pl.format("thủ tục '{}' không có hồ sơ ở cơ quan '{}' (procedures/{}/); không biết thời hạn giải "
                  "quyết để tính", pl.col("procedure_code"), pl.col("agency"), pl.col("agency")))
    add("DS-CHANNEL-UNKNOWN", pl.col("p_known") & pl.col("kind").is_null(),
        pl.format("thủ tục '{}' của cơ quan '{}' không có hình thức nộp '{}' hoặc không ghi thời hạn giải "
                  "quyết cho hình thức đó", pl.col("procedure_code"), pl.col("agency"), pl.col("channel")))
    return checks


def _duplicate_message(repeated: pl.DataFrame, names: list[str]) -> pl.Expr:
    """Names the first occurrence; computed over the repeated rows only."""
    first = repeated.group_by("dossier_code", maintain_order=True).agg(
        pl.len().alias("n"), pl.col("file").first(), pl.col("line").first())
    code = pl.col("dossier_code")
    n, file, line = (code.replace_strict(first["dossier_code"], first[c]) for c in ("n", "file", "line"))
    return pl.format("mã hồ sơ xuất hiện {} lần (lần đầu ở {}:{}); mỗi hồ sơ chỉ được có một dòng", n,
                     file.replace_strict(list(range(len(names))), names, return_dtype=pl.String), line)


class _TimeTable:
    """Each row's processing time: `kind` (wd, min, day, mon), `amount` and its wording
    `time_vi` (null when the channel has none), and whether the agency has the procedure at
    all (`p_known`): one key per row, looked up in a table of every procedure and channel of
    the agencies seen so far."""

    def __init__(self, times: ProcessingTimes):
        self.times = times
        self.agencies: set[str] = set()
        self.entries: dict[str, tuple[str, int, str] | None] = {}
        self.series: tuple[list[str], pl.Series, pl.Series, pl.Series] | None = None

    def _add(self, agencies: list[str]) -> None:
        for agency in set(agencies) - self.agencies:
            self.agencies.add(agency)
            self.series = None
            if agency not in self.times.known_agencies():
                continue
            for code, channels in self.times.procedures(agency).items():
                for channel in spec.channels():
                    pt = channels.get(channel)
                    self.entries[f"{agency}\x1f{code}\x1f{channel}"] = _amount(pt) if pt else None

    def join(self, rows: pl.DataFrame) -> pl.DataFrame:
        self._add(rows["agency"].unique().to_list())
        if self.series is None:
            keys = sorted(self.entries)
            entries = [self.entries[k] or (None, None, None) for k in keys]
            types: tuple[Any, ...] = (KIND, pl.Int64, pl.Categorical)
            kinds, amounts, words = (pl.Series([e[i] for e in entries], dtype=t) for i, t in enumerate(types))
            self.series = (keys, kinds, amounts, words)
        keys, kinds, amounts, words = self.series
        key = pl.concat_str(["agency", "procedure_code", "channel"], separator="\x1f")
        rows = rows.with_columns(key.replace_strict(keys, list(range(len(keys))), default=None,
                                                    return_dtype=pl.Int64).alias("t_index"))
        found = pl.col("t_index")
        return rows.with_columns(
            found.is_not_null().alias("p_known"),
            pl.lit(kinds).gather(found).alias("kind"),
            pl.lit(amounts).gather(found).alias("amount"),
            pl.lit(words).gather(found).alias("time_vi"),
        ).drop("t_index")


def _amount(pt: ProcessingTime) -> tuple[str, int, str]:
    """A processing time as the due computation takes it: kind, whole amount, and its wording."""
    shown = f"{pt.value:g} {_UNIT_VI[pt.unit]}"
    if pt.unit == "working_days" and pt.value.is_integer():
        return "wd", int(pt.value), shown
    if pt.unit in ("working_days", "hours"):  # a fraction of a day is counted in office minutes
        minutes = pt.value * (spec.params().office_minutes if pt.unit == "working_days" else 60)
        return "min", math.ceil(minutes), shown
    return ("day" if pt.unit == "days" else "mon"), math.ceil(pt.value), shown


# --- 2. the legal due time ---------------------------------------------------------------------

def _calendar(rows: pl.DataFrame) -> Calendar:
    params = spec.params()
    stats = rows.select(
        pl.col("t_received_at").min().dt.date().alias("first"),
        pl.col("t_received_at").max().dt.date().alias("last"),
        pl.when(pl.col("kind") == "day").then(pl.col("amount")).max().alias("days"),
        pl.when(pl.col("kind") == "mon").then(pl.col("amount")).max().alias("months"),
        pl.when(pl.col("kind") == "wd").then(pl.col("amount")).max().alias("wd"),
        pl.when(pl.col("kind") == "min").then(pl.col("amount")).max().alias("minutes"),
        pl.col("n_paused_days").max().alias("paused"),
    ).row(0, named=True)
    last = stats["last"] + timedelta(days=(stats["days"] or 0) + 31 * (stats["months"] or 0))
    workdays = ((stats["wd"] or 0) + (stats["paused"] or 0) + params.apology_working_days + 2
                + -(-(stats["minutes"] or 0) // params.office_minutes))
    return Calendar.spanning(stats["first"], last, workdays, params)


def _due(rows: pl.DataFrame) -> pl.DataFrame:
    """Legal due time `legal_due` (with the paused days), `base_due` (without) and the latest
    moment for an apology, `apology_deadline`."""
    cal = _calendar(rows)
    day_minutes = cal.day_minutes
    kind, amount, paused = pl.col("kind"), pl.col("amount"), pl.col("n_paused_days")
    received = pl.col("t_received_at")
    rows = rows.with_columns(received.dt.date().alias("received_day"))
    day = pl.col("received_day")
    kinds = set(rows["kind"].unique().to_list())  # a kind no row has costs nothing
    calendar_day = (pl.when(kind == "day").then(day + pl.duration(days=amount))
                    .otherwise(day.dt.offset_by(pl.format("{}mo", amount))))
    rows = rows.with_columns(
        cal.working_upto(day).alias("upto"),
        cal.is_working(day).alias("working_day"),
        (pl.when(kind == "min").then(cal.ordinal(received)) if "min" in kinds
         else pl.lit(None, pl.Int64)).alias("o_received"),
        (pl.when(kind.is_in(["day", "mon"])).then(calendar_day) if kinds & {"day", "mon"}
         else pl.lit(None, pl.Date)).alias("calendar_day"),
    )
    # Paused working days after a calendar-counted end: the P-th working day after it.
    paused_day = (pl.when(paused > 0)
                  .then(cal.workday(cal.working_upto(pl.col("calendar_day")) + paused - 1))
                  .otherwise(pl.col("calendar_day")))
    rows = rows.with_columns(paused_day.alias("paused_day"))

    def ordinal(with_pause: bool) -> pl.Expr:
        extra = paused if with_pause else pl.lit(0)
        end_day = pl.col("paused_day") if with_pause else pl.col("calendar_day")
        return (pl.when(kind == "wd").then((pl.col("upto") + amount + extra) * day_minutes)
                .when(kind == "min").then(pl.col("o_received") + amount + extra * day_minutes)
                .otherwise(cal.working_upto(end_day) * day_minutes))

    def due(with_pause: bool, o: pl.Expr) -> pl.Expr:
        end_day = pl.col("paused_day") if with_pause else pl.col("calendar_day")
        return pl.when(kind.is_in(["wd", "min"])).then(cal.moment(o)).otherwise(cal.end_of_day(end_day))

    rows = rows.with_columns(ordinal(True).alias("o_due"), ordinal(False).alias("o_base"))
    rows = rows.with_columns(due(True, pl.col("o_due")).alias("legal_due"),
                             due(False, pl.col("o_base")).alias("base_due")
                             ).drop("o_base", "o_received", "upto", "calendar_day")
    # One working day before the due time; when that is before the receipt itself (a time of a
    # day or less), the apology has at least to come before the due time.
    apology = cal.moment(pl.col("o_due") - spec.params().apology_working_days * day_minutes)
    return rows.with_columns(pl.when(apology < received).then(pl.col("legal_due")).otherwise(apology)
                             .alias("apology_deadline")).drop("o_due", "paused_day")


# --- 3. judging --------------------------------------------------------------------------------

def _as_of(rows: pl.DataFrame, given: date | None) -> datetime | None:
    """The moment pending dossiers are judged at: the end of --as-of, else the newest event."""
    if given is not None:
        return datetime.combine(given, time(23, 59, 59))
    if rows.height == 0:
        return None
    events = ("t_received_at", "t_resolved_at", "t_first_supplement_at", "t_apology_at")
    newest: datetime | None = rows.select(pl.max_horizontal(pl.col(c).max() for c in events)).item()
    return newest


def _judge(rows: pl.DataFrame, as_of: datetime | None) -> pl.DataFrame:
    params = spec.params()
    due, status = pl.col("legal_due"), pl.col("status")
    resolved_at, received = pl.col("t_resolved_at"), pl.col("t_received_at")
    withdrawn = status == "withdrawn"
    # The times decide, not the status: a result time means a result (DS-STATUS says when the
    # status disagrees), and no result time means the dossier is still pending.
    resolved = ~withdrawn & resolved_at.is_not_null()
    pending = ~withdrawn & resolved_at.is_null()
    overdue = pending & (due < pl.lit(as_of))
    late = resolved & (resolved_at > due)
    clock = (received.dt.hour().cast(pl.Int64) * 3600 + received.dt.minute().cast(pl.Int64) * 60
             + received.dt.second().cast(pl.Int64))
    direct = pl.col("channel") == "direct"
    rows = rows.with_columns(
        (resolved & (resolved_at <= due)).alias("resolved_on_time"),
        late.alias("resolved_late"),
        (pending & ~overdue).alias("pending_on_time"),
        overdue.alias("pending_overdue"),
        withdrawn.alias("withdrawn"),
        received.dt.strftime("%Y-%m").alias("month"),
        (pl.col("t_due_at") > due).alias(FLAGS["DS-DUE-EXTENDED"]),
        ((late | overdue) & pl.col("t_apology_at").is_null()).alias(FLAGS["DS-LATE-NO-APOLOGY"]),
        (pl.col("t_apology_at") > pl.col("apology_deadline")).fill_null(False)
        .alias(FLAGS["DS-APOLOGY-LATE"]),
        (pl.col("n_supplement_requests") >= 2).alias(FLAGS["DS-SUPPLEMENT-REPEAT"]),
        (pl.col("t_first_supplement_at") > pl.col("base_due")).fill_null(False)
        .alias(FLAGS["DS-SUPPLEMENT-AFTER-DUE"]),
        (pl.col("code_date") != pl.col("received_day")).alias(FLAGS["DS-BACKDATED"]),
        ((resolved_at < received).fill_null(False) | (pl.col("t_due_at") < received)
         | (pl.col("t_new_due_at") < pl.col("t_due_at")).fill_null(False)).alias(FLAGS["DS-ORDER"]),
        (direct & (~pl.col("working_day") | (clock < params.counter_open * 60)
                   | (clock > params.counter_close * 60))).alias(FLAGS["DS-OFF-HOURS"]),
        ((status.is_in(["resolved", "refused"]) & resolved_at.is_null())
         | ((status == "pending") & resolved_at.is_not_null())).alias(FLAGS["DS-STATUS"]),
    )
    return rows.with_columns(_bursts(rows).alias(FLAGS["DS-BURST"]))


def _bursts(rows: pl.DataFrame) -> pl.Series:
    """Direct dossiers of one officer of which `count` were received within `seconds`.

    Sorted by officer and time, row i opens a burst when row i + count - 1 is the same
    officer's and less than `seconds` later; a row is in a burst when one opens at most
    count - 1 rows before it.
    """
    params = spec.params()
    n = params.burst_count
    direct = rows.filter((pl.col("channel") == "direct") & (pl.col("officer") != ""))
    ordered = direct.select("rid", "officer", "t_received_at").sort("officer", "t_received_at", "rid")
    ahead = n - 1
    opens = ((pl.col("officer").shift(-ahead) == pl.col("officer"))
             & ((pl.col("t_received_at").shift(-ahead) - pl.col("t_received_at"))
                < pl.duration(seconds=params.burst_seconds))).fill_null(False)
    inside = ordered.select("rid", opens.cast(pl.Int8).rolling_max(window_size=n, min_samples=1)
                            .cast(pl.Boolean).alias("inside")).filter("inside")
    # Back in the rows' order, by position: no join, no copy of the rows.
    position = pl.Series(rows["rid"]).search_sorted(inside["rid"])
    flags = pl.Series([False]).extend_constant(False, rows.height - 1)
    return flags.scatter(position, True) if inside.height else flags


# --- 4. problems -------------------------------------------------------------------------------

def _shown(column: str, seconds: bool = False) -> pl.Expr:
    return pl.col(column).dt.strftime("%H:%M:%S %d/%m/%Y" if seconds else "%H:%M %d/%m/%Y")


def _placeholders(as_of: datetime | None) -> dict[str, pl.Expr]:
    """What a rule's message may name, each as text for every row."""
    params = spec.params()
    resolved_at = pl.col("t_resolved_at")
    order = pl.concat_str([
        pl.when(resolved_at < pl.col("t_received_at")).then(pl.format(
            "ngày giờ có kết quả {} trước ngày giờ tiếp nhận {}", _shown("t_resolved_at"),
            _shown("t_received_at"))),
        pl.when(pl.col("t_due_at") < pl.col("t_received_at")).then(pl.format(
            "ngày hẹn trả {} trước ngày giờ tiếp nhận {}", _shown("t_due_at"), _shown("t_received_at"))),
        pl.when(pl.col("t_new_due_at") < pl.col("t_due_at")).then(pl.format(
            "ngày hẹn lại {} trước ngày hẹn trả {}", _shown("t_new_due_at"), _shown("t_due_at"))),
    ], separator="; ", ignore_nulls=True)
    as_of_text = as_of.strftime("%H:%M %d/%m/%Y") if as_of else ""
    open_, close = (f"{m // 60:02d}:{m % 60:02d}" for m in (params.counter_open, params.counter_close))
    return {
        "due_at": _shown("t_due_at"),
        "legal_due": _shown("legal_due"),
        "base_due": _shown("base_due"),
        "apology_at": _shown("t_apology_at"),
        "apology_deadline": _shown("apology_deadline"),
        "first_supplement_at": _shown("t_first_supplement_at"),
        "received_at": _shown("t_received_at", seconds=True),
        "code_date": pl.col("code_date").dt.strftime("%d/%m/%Y"),
        "time": pl.col("time_vi"),
        "channel_vi": pl.col("channel").replace_strict(spec.channels(), default=pl.col("channel")),
        "procedure_code": pl.col("procedure_code"),
        "supplement_requests": pl.col("n_supplement_requests").cast(pl.String),
        "officer": pl.col("officer"),
        "burst_count": pl.lit(str(params.burst_count)),
        "burst_seconds": pl.lit(str(params.burst_seconds)),
        "late_how": pl.when(pl.col("resolved_late"))
        .then(pl.format("có kết quả lúc {}, trễ", _shown("t_resolved_at")))
        .otherwise(pl.lit(f"đến {as_of_text} vẫn chưa có kết quả, đã quá hạn")),
        "order_what": order,
        "off_how": pl.when(~pl.col("working_day")).then(pl.lit("ngày nghỉ"))
        .otherwise(pl.lit(f"ngoài giờ tiếp nhận {open_}–{close}")),
        "status_what": pl.when(resolved_at.is_null())
        .then(pl.format("trạng thái '{}' nhưng không có ngày giờ có kết quả", pl.col("status")))
        .otherwise(pl.format("trạng thái '{}' nhưng đã có ngày giờ có kết quả {}", pl.col("status"),
                             _shown("t_resolved_at"))),
    }


def _message(rule: spec.Rule, values: dict[str, pl.Expr]) -> pl.Expr:
    """The rule's template filled per row, then why it matters."""
    literal, exprs = "", []
    for text, name, _, _ in string.Formatter().parse(rule.message):
        literal += text.replace("{", "{{").replace("}", "}}")
        if name is not None:
            literal += "{}"
            exprs.append(values[name].fill_null("—"))
    return pl.format(literal + "; " + rule.why.replace("{", "{{").replace("}", "}}"), *exprs)


def _findings(rows: pl.DataFrame, as_of: datetime | None, names: list[str]) -> list[DossierProblem]:
    values = _placeholders(as_of)
    rules = spec.rules()
    found = [_select_problems(rows.filter(pl.col(flag)), rule, _message(rules[rule], values), "finding")
             for rule, flag in FLAGS.items()]
    return _to_problems(found, names)


def _select_problems(rows: pl.DataFrame, rule: str, message: pl.Expr | Message, severity: str
                     ) -> pl.DataFrame:
    """The located problems of the rows a rule selected; only these rows get a message.

    The few selected rows are made contiguous first: Polars 2.1 panics on some string
    expressions (when/then over pl.format) over rows read in many chunks.
    """
    rows = rows.rechunk()
    if callable(message):
        message = message(rows)
    return rows.select("file", "line", "dossier_code", pl.lit(rule).alias("rule"),
                       message.alias("message"), pl.lit(severity).alias("severity"))


def _to_problems(frames: list[pl.DataFrame], names: list[str]) -> list[DossierProblem]:
    rules = spec.rules()
    out: list[DossierProblem] = []
    for frame in frames:
        if frame.height == 0:
            continue
        rule, severity = frame["rule"][0], frame["severity"][0]
        legal = rules[rule].legal if rule in rules else None
        columns = (frame[c].to_list() for c in ("file", "line", "dossier_code", "message"))
        out.extend(DossierProblem(names[file], line, code, rule, message, severity, legal)
                   for file, line, code, message in zip(*columns, strict=True))
    return out


def _sorted(problems: list[DossierProblem]) -> list[DossierProblem]:
    return sorted(problems, key=DossierProblem.sort_key)
