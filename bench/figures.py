"""The figures of the benchmark table (基准指标), each against a raw baseline measured in the same run.

Table order is the order of registration below, which follows the issue. A capability that does not exist yet
is declared with :func:`~bench.core.not_built`; when its product code lands, replace that declaration with a
function decorated by :func:`~bench.core.figure` (see :mod:`bench.core`).
"""

from __future__ import annotations

import io
import random
import shutil
import sqlite3
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.core import (
    Context,
    Measurement,
    Stats,
    Target,
    figure,
    percentile,
    repeat,
    traced_peak_mb,
)
from bench.dataset import village_structure
from bench.probes import BARE_APP, IMPORT_QTWIDGETS, START_AND_SCROLL, START_TO_FIRST_PAINT, child_env, run_child
from pensiondesk.services.roster import PersonFilter, count_persons, fetch_person_rows, list_person_ids
from pensiondesk.store.db import open_database

__all__ = ["SEARCH_KINDS", "search_queries"]

#: Rows the person list fetches for its first screen after a search (``PersonTableModel.FETCH_BLOCK``).
FIRST_SCREEN_ROWS = 200
#: Queries of each kind in one pass of the search mix.
QUERIES_PER_KIND = 20
#: The kinds of search a coordinator types (see ``services/roster.py``), and how each is cut from a person.
SEARCH_KINDS = ("name_1char", "name_2char", "initials_2", "initials_3", "id_tail_4", "id_full")


# --- 1. import a roster -----------------------------------------------------------------------------------------

ROSTER_HEADERS = (
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "户籍所在地",
    "居住地址",
    "联系电话",
    "村民小组",
    "户主姓名",
    "与户主关系",
    "参保身份",
    "缴费档次",
    "备注",
)


def write_roster_xlsx(db_path: Path, target: Path, rows: int) -> int:
    """Write a registration roster (花名册) of the first ``rows`` persons of the database as ``.xlsx``.

    The layout is what county spreadsheets look like (domain.md §16): a title row above the header, Chinese
    column titles, ID numbers and phone numbers written as text. Returns the number of data rows written.
    """
    from openpyxl import Workbook

    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        people = connection.execute(
            """
            SELECT p.name, p.sex, p.ethnicity, p.birth_date, p.id_number, p.hukou_address, p.residence_address,
                   p.phone, g.name, head.name, p.relation
            FROM person p
            LEFT JOIN villager_group g ON g.id = p.group_id
            LEFT JOIN household h ON h.id = p.household_id
            LEFT JOIN person head ON head.id = h.head_person_id
            ORDER BY g.sort_order, h.number, p.relation != 'head', p.name
            LIMIT ?
            """,
            (rows,),
        ).fetchall()
    finally:
        connection.close()
    from pensiondesk.domain.codes import Relation, Sex

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["城乡居民基本养老保险参保登记花名册"])
    sheet.append(list(ROSTER_HEADERS))
    for seq, (name, sex, ethnicity, birth, id_number, hukou, residence, phone, group, head, relation) in enumerate(
        people, start=1
    ):
        sheet.append(
            [
                seq,
                name,
                Sex(sex).label,
                ethnicity or "",
                birth,
                id_number,
                hukou or "",
                residence or "",
                phone or "",
                group or "",
                head or "",
                Relation(relation).label if relation else "",
                "",
                "",
                "",
            ]
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    workbook.save(partial)
    partial.replace(target)
    return len(people)


def _empty_village_copy(source: Path, target: Path) -> None:
    """A new database at ``target`` holding the places of ``source`` (county … groups) but no persons."""
    from pensiondesk.store.models import County, Setting, Township, Village, VillagerGroup

    village_id, _groups = village_structure(source)
    src = open_database(source, create=False)
    dst = open_database(target, create=True)
    try:
        with src.engine.connect() as read, dst.engine.begin() as write:
            for model in (County, Township, Village, VillagerGroup):
                rows = [dict(row._mapping) for row in read.execute(select(model))]
                if rows:
                    write.execute(insert(model), rows)
            write.execute(insert(Setting), [{"key": "village_id", "value": village_id}])
    finally:
        src.close()
        dst.close()


_FLOOR_FIELDS = ("id", "village_id", "name", "id_number", "id_number_rev", "sex", "birth_date", "ethnicity",
                 "hukou_address", "residence_address", "phone")  # fmt: skip


def raw_import_floor(roster: Path, database: Path, village_id: str, *, records: bool) -> int:
    """The least an import can do, in plain Python and ``sqlite3``: the floor under the ``import_xlsx`` figure.

    Reads the roster with calamine, keeps the rows whose 公民身份号码 has 18 characters, a valid GB 11643 check
    character and is new in the file, and inserts them into the real ``person`` table of ``database`` (the
    product's schema and indexes) in one transaction with ``executemany`` — no name, phone, household, category or
    likely-duplicate checks, no pinyin initials. With ``records`` each person also gets what every use case must
    write with it (style.md): an audit entry whose hash continues the chain, and a sync outbox row, both
    carrying the person's values as canonical JSON. Returns the number of persons written.
    """
    import hashlib
    import json
    import uuid

    from python_calamine import CalamineWorkbook

    from pensiondesk.domain.idnumber import check_character

    cells = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(cells) if "公民身份号码" in row)
    col = {str(title): i for i, title in enumerate(cells[header])}
    c_name, c_id, c_eth, c_hukou, c_home, c_phone = (
        col[t] for t in ("姓名", "公民身份号码", "民族", "户籍所在地", "居住地址", "联系电话")
    )
    now = "2026-11-01 08:00:00.000000"
    seen: set[str] = set()
    persons: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    outbox: list[tuple[Any, ...]] = []
    prev = ""
    for row in cells[header + 1 :]:
        number = str(row[c_id]).strip().upper()
        if len(number) != 18 or number in seen or not number[:17].isdigit():
            continue
        if check_character(number[:17]) != number[17]:
            continue
        seen.add(number)
        pid = str(uuid.uuid4())
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        sex = "1" if int(number[16]) % 2 else "2"
        values = (pid, village_id, row[c_name], number, number[::-1], sex, birth, row[c_eth] or None,
                  row[c_hukou] or None, row[c_home] or None, row[c_phone] or None)  # fmt: skip
        persons.append((*values, now, now, "bench"))
        if records:
            after = dict(zip(_FLOOR_FIELDS, values, strict=True))
            text = json.dumps(after, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            digest = hashlib.sha256((prev + text).encode("utf-8")).hexdigest()
            audits.append((str(uuid.uuid4()), now, "bench", "add_person", "person", pid, text, prev or None, digest))
            outbox.append((str(uuid.uuid4()), "person", pid, "create", text, "pending", now, now, 0))
            prev = digest
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO person (id, village_id, name, id_number, id_number_rev, sex, birth_date, ethnicity,"
            " hukou_address, residence_address, phone, name_initials, status, local_hukou, is_student,"
            " has_employee_pension, has_other_state_pension, is_public_staff, is_migrant_worker, version,"
            " created_at, updated_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,'','not_enrolled',1,0,0,0,0,0,1,?,?,?)",
            persons,
        )
        if records:
            connection.executemany(
                "INSERT INTO audit_entry (id, at, user, action, entity_type, entity_id, after, prev_hash, hash)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                audits,
            )
            connection.executemany(
                "INSERT INTO sync_outbox (id, record_type, record_id, operation, payload, state, created_at,"
                " updated_at, attempts) VALUES (?,?,?,?,?,?,?,?,?)",
                outbox,
            )
        connection.execute("COMMIT")
    finally:
        connection.close()
    return len(persons)


@figure(
    "import_xlsx",
    "import 50,000-row .xlsx roster",
    target=Target.ratio(2.0),
    baseline="python-calamine reading the file",
    issue="roster import",
    module="pensiondesk.services.roster_import",
)
def import_xlsx(ctx: Context) -> Measurement:
    """Plan and execute the import of a 50,000-row roster (5,000 in quick mode) into an empty village."""
    from python_calamine import CalamineWorkbook

    from pensiondesk.domain.codes import UserRole
    from pensiondesk.services.recording import Actor
    from pensiondesk.services.roster_import import execute_import, plan_import

    actor = Actor("bench", UserRole.COORDINATOR, "基准测试")

    rows = min(ctx.sized(50_000, 2_000), ctx.dataset.persons // 2)
    roster = ctx.dataset.path.with_name(f"{ctx.dataset.path.stem}-roster-{rows}.xlsx")
    if not roster.exists():
        write_roster_xlsx(ctx.dataset.path, roster, rows)
    template = ctx.work_dir / "empty-village.sqlite"
    if not template.exists():
        _empty_village_copy(ctx.dataset.path, template)
    village_id, _ = village_structure(template)

    def calamine() -> None:
        CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()

    def openpyxl_read_only() -> None:
        from openpyxl import load_workbook

        workbook = load_workbook(roster, read_only=True, data_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            pass
        workbook.close()

    attempt = 0

    def fresh_copy() -> Path:
        nonlocal attempt
        attempt += 1
        copy = ctx.work_dir / f"import-{attempt}.sqlite"
        shutil.copyfile(template, copy)
        return copy

    outcome: dict[str, int] = {}

    def import_into(path: Path) -> int:
        db = open_database(path, create=False)
        try:
            with db.session(immediate=True) as session:
                plan = plan_import(session, roster, village_id=village_id, today=ctx.dataset.as_of)
                result = execute_import(session, actor, plan)
                outcome.update(added=result.added, unchanged=result.unchanged, rejected=result.rejected)
            with db.session() as session:
                return count_persons(session)
        finally:
            db.close()

    samples = []
    imported = 0
    for _ in range(ctx.repeats):
        path = fresh_copy()  # the copy is not timed
        started = time.perf_counter()
        imported = import_into(path)
        samples.append(time.perf_counter() - started)
        path.unlink()
    if imported != rows:
        raise RuntimeError(f"the import wrote {imported} persons from a roster of {rows} rows: {outcome}")
    baseline = repeat(calamine, ctx.repeats)
    openpyxl_time = repeat(openpyxl_read_only, max(1, ctx.repeats // 2), warmup=0)
    # The floors (raw_import_floor): the same rows into the same tables with nothing but the ID check — alone,
    # and with each person's audit entry and outbox row. Each repeat on a fresh copy (the copy is not timed).
    floors: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(ctx.repeats):
        for records in (False, True):
            path = fresh_copy()
            started = time.perf_counter()
            written = raw_import_floor(roster, path, village_id, records=records)
            floors[records].append(time.perf_counter() - started)
            path.unlink()
            if written != rows:
                raise RuntimeError(f"the raw floor wrote {written} persons from a roster of {rows} rows")
    floor_bare = statistics.median(floors[False])
    floor_records = statistics.median(floors[True])
    peak = None
    if not ctx.quick:
        peak_path = fresh_copy()
        peak = traced_peak_mb(lambda: import_into(peak_path))
        peak_path.unlink()
    return Measurement(
        ours=Stats.of(samples),
        baseline=baseline,
        peak_mb=peak,
        peak_kind="tracemalloc",
        notes=[
            f"{rows:,} rows; openpyxl read-only reads the same file in {openpyxl_time.median:.2f} s (median)",
            f"raw floor (bench.figures.raw_import_floor, medians): calamine + ID check + executemany into person "
            f"{floor_bare:.2f} s = {floor_bare / baseline.median:.2f}× calamine; with each person's hash-chained "
            f"audit entry and outbox row {floor_records:.2f} s = {floor_records / baseline.median:.2f}× calamine",
        ],
        extra={
            "rows": rows,
            "openpyxl_read_only_s": openpyxl_time.median,
            "raw_floor_s": floor_bare,
            "raw_floor_with_records_s": floor_records,
        },
    )


# --- 2, 3. documents --------------------------------------------------------------------------------------------

#: Rows of the notice figure (the issue's 5,000; the quick dataset has enough contributors for it too).
NOTICE_ROWS = 5_000
#: Receipts printed into one PDF.
RECEIPTS = 500


def _notice_snapshot(db_path: Path, rows: int, as_of: date) -> dict[str, Any]:
    """A 参保缴费 notice of this year's contributors, cut to its first ``rows`` rows (groups kept whole up to there)."""
    from pensiondesk.domain.codes import NoticeKind
    from pensiondesk.services.notices import NoticePeriod, notice_content

    db = open_database(db_path, create=False)
    try:
        with db.session() as session:
            content = notice_content(
                session, kind=NoticeKind.ENROLMENT, period=NoticePeriod.year(as_of.year), as_of=as_of
            )
    finally:
        db.close()
    left = rows
    groups = []
    for group in content["groups"]:
        if left <= 0:
            break
        body = group["rows"][:left]
        groups.append({**group, "rows": body, "summary": f"共 {len(body)} 人"})
        left -= len(body)
    if left > 0:
        raise RuntimeError(f"the dataset has only {rows - left} rows for a {rows}-row notice")
    return {**content, "groups": groups, "total": rows}


@figure(
    "notice_pdf",
    "5,000-row notice PDF",
    target=Target.ratio(1.5),
    baseline="raw ReportLab canvas, same cells and font",
    issue="public notices",
    module="pensiondesk.documents.notice",
)
def notice_pdf(ctx: Context) -> Measurement:
    """``render_notice`` of a 5,000-row 参保缴费公示 against drawing the same strings on a bare canvas.

    The baseline is recorded from the product's own drawing (:mod:`bench.pdfrecord`): every string at its
    place, in its font and size, on the same pages, without the grid, shading or layout work.
    """
    from unittest import mock

    import pensiondesk.documents.notice as notice
    from bench.pdfrecord import Recording, RecordingCanvas, replay

    rows = ctx.sized(NOTICE_ROWS, 1_000)
    content = _notice_snapshot(ctx.dataset.path, rows, ctx.dataset.as_of)

    def ours() -> int:
        return notice.render_notice(content, io.BytesIO(), printed_on=ctx.dataset.as_of)

    recording = Recording()
    RecordingCanvas.target = recording
    try:
        with mock.patch.object(notice, "Canvas", RecordingCanvas):
            pages = ours()
    finally:
        RecordingCanvas.target = None
    ours_time = repeat(ours, ctx.repeats, warmup=0)  # the recording render was the warm-up
    baseline = repeat(lambda: replay(recording), ctx.repeats)
    return Measurement(
        ours=ours_time,
        baseline=baseline,
        peak_mb=ctx.peak_mb(ours),
        peak_kind="tracemalloc",
        notes=[
            f"{rows:,} rows, {pages} pages; baseline draws the same"
            f" {recording.strings:,} strings on {recording.pages} pages",
        ],
        extra={"rows": rows, "pages": pages, "strings": recording.strings},
    )


def _receipt_prints(db_path: Path, count: int, as_of: date) -> list[Any]:
    """``ReceiptPrint`` data for ``count`` village-cash payments of the current year, signed as the product signs.

    The dataset holds contributions but no receipt books, so numbers are assigned here in payment order; the
    verification code is signed with a fixed benchmark key.
    """
    from pensiondesk.domain.codes import PayerKind, ReceiptStatus
    from pensiondesk.domain.masking import mask_id_number
    from pensiondesk.domain.receipt_signature import ReceiptSummary, key_id_of, sign_receipt
    from pensiondesk.services.receipts import ReceiptPrint

    key = b"pensiondesk-benchmark-signing-key"
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        village_code, village_name, township_name = connection.execute(
            "SELECT v.code, v.name, t.name FROM village v JOIN township t ON t.id = v.township_id"
        ).fetchone()
        rows = connection.execute(
            """
            SELECT p.name, p.id_number, g.name, c.payer_name, c.payer_kind, c.year, c.tier_fen, c.personal_fen,
                   c.subsidy_province_fen, c.subsidy_city_fen, c.subsidy_county_fen, c.government_paid_fen,
                   c.collective_fen, c.is_catch_up, c.paid_on
            FROM contribution c JOIN person p ON p.id = c.person_id
            LEFT JOIN villager_group g ON g.id = p.group_id
            WHERE c.channel = 'village_cash' AND c.year = ?
            ORDER BY c.paid_on, c.id LIMIT ?
            """,
            (as_of.year, count),
        ).fetchall()
    finally:
        connection.close()
    if len(rows) < count:
        raise RuntimeError(f"the dataset has only {len(rows)} village-cash payments this year")
    prints = []
    for number, row in enumerate(rows, start=1):
        name, id_number, group, payer, payer_kind, year, tier, personal, prov, city, county, gov, coll, catch, day = row
        paid_on = date.fromisoformat(day)
        summary = ReceiptSummary(
            key_id=key_id_of(key),
            village_code=village_code,
            series="BENCH",
            number=number,
            day=paid_on,
            year=year,
            tier_fen=tier,
            amount_fen=personal,
            subsidy_fen=prov + city + county,
            id_masked=mask_id_number(id_number),
        )
        prints.append(
            ReceiptPrint(
                series="BENCH",
                number=number,
                day=paid_on,
                village_code=village_code,
                village_name=village_name,
                township_name=township_name,
                person_name=name,
                id_number=id_number,
                group_name=group or "",
                payer_name=payer or name,
                payer_kind=PayerKind(payer_kind),
                year=year,
                tier_fen=tier,
                amount_fen=personal,
                subsidy_province_fen=prov,
                subsidy_city_fen=city,
                subsidy_county_fen=county,
                government_paid_fen=gov,
                collective_fen=coll,
                is_catch_up=bool(catch),
                collector_name="王协办",
                status=ReceiptStatus.ISSUED,
                void_reason=None,
                reprint_no=0,
                qr_payload=sign_receipt(summary, key),
            )
        )
    return prints


@figure(
    "receipts_pdf",
    "500 receipts as one PDF",
    target=Target.ratio(1.5),
    baseline="raw ReportLab canvas, same text",
    issue="contributions and receipts",
    module="pensiondesk.documents.receipt",
)
def receipts_pdf(ctx: Context) -> Measurement:
    """``render_receipts`` of 500 receipts (three parts each, with their verification QR codes) into one PDF.

    The baseline draws the same strings on the same pages on a bare canvas (:mod:`bench.pdfrecord`).
    """
    from bench.pdfrecord import Recording, RecordingCanvas, replay
    from pensiondesk.documents.receipt import render_receipts

    count = ctx.sized(RECEIPTS, 100)
    prints = _receipt_prints(ctx.dataset.path, count, ctx.dataset.as_of)

    def ours() -> int:
        return render_receipts(prints, io.BytesIO())

    recording = Recording()
    RecordingCanvas.target = recording
    try:
        pages = render_receipts(prints, io.BytesIO(), canvas_class=RecordingCanvas)
    finally:
        RecordingCanvas.target = None
    ours_time = repeat(ours, ctx.repeats, warmup=0)  # the recording render was the warm-up
    baseline = repeat(lambda: replay(recording), ctx.repeats)
    return Measurement(
        ours=ours_time,
        baseline=baseline,
        peak_mb=ctx.peak_mb(ours),
        peak_kind="tracemalloc",
        notes=[
            f"{count} receipts, {pages} pages; baseline draws the same {recording.strings:,} strings without lines,"
            " QR codes or faux bold",
        ],
        extra={"receipts": count, "pages": pages, "strings": recording.strings},
    )


# --- 4. search ----------------------------------------------------------------------------------------------------


def search_queries(db_path: Path, *, seed: int, per_kind: int = QUERIES_PER_KIND) -> list[tuple[str, str]]:
    """A realistic mix of search-box inputs, cut from persons drawn at random: ``(kind, text)`` pairs.

    Kinds (:data:`SEARCH_KINDS`): 1- and 2-character name prefixes (张, 张三), 2- and 3-letter pinyin initials
    (zs, zsf), the last four characters of an ID number (1768), and whole ID numbers.
    """
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        people = connection.execute("SELECT name, name_initials, id_number FROM person ORDER BY id_number").fetchall()
    finally:
        connection.close()
    rng = random.Random(seed)
    chosen = rng.sample(people, min(len(people), per_kind * len(SEARCH_KINDS)))
    queries: list[tuple[str, str]] = []
    for index, (name, initials, id_number) in enumerate(chosen):
        kind = SEARCH_KINDS[index % len(SEARCH_KINDS)]
        text = {
            "name_1char": name[:1],
            "name_2char": name[:2],
            "initials_2": initials[:2],
            "initials_3": initials[:3],
            "id_tail_4": id_number[-4:],
            "id_full": id_number,
        }[kind]
        queries.append((kind, text))
    return queries


@figure(
    "search_p95",
    "search query over 100,000 people",
    target=Target.absolute(0.020, "p95 ≤ 20 ms"),
    baseline="indexed SQLite lookup by id (sqlite3)",
)
def search_p95(ctx: Context) -> Measurement:
    """What the person list runs for one search: the matching ids, the count line, the first screen of rows.

    Each step opens its own session, as ``PersonPage.apply_search`` and the model do. The baseline is one
    ``SELECT … FROM person WHERE id = ?`` through the plain ``sqlite3`` module for a person drawn at random,
    timed right after each query so that both sides see the same machine. One pass runs the whole mix; the
    figure is the median over the passes of each pass's 95th percentile.
    """
    queries = search_queries(ctx.dataset.path, seed=ctx.dataset.seed)
    db = open_database(ctx.dataset.path, create=False)
    raw = sqlite3.connect(f"{ctx.dataset.path.as_uri()}?mode=ro", uri=True)
    lookup = "SELECT id, name, sex, birth_date, id_number, group_id, relation, status, phone FROM person WHERE id = ?"
    all_ids = [row[0] for row in raw.execute("SELECT id FROM person")]
    rng = random.Random(ctx.dataset.seed + 1)
    by_kind: dict[str, list[float]] = {kind: [] for kind in SEARCH_KINDS}
    matches: dict[str, int] = {}

    def search(text: str) -> int:
        flt = PersonFilter(text=text)
        with db.session() as session:
            ids = list_person_ids(session, flt)
        with db.session() as session:
            count_persons(session)
        with db.session() as session:
            fetch_person_rows(session, ids[:FIRST_SCREEN_ROWS])
        return len(ids)

    def baseline_lookup() -> float:
        pid = rng.choice(all_ids)
        started = time.perf_counter()
        raw.execute(lookup, (pid,)).fetchone()
        return time.perf_counter() - started

    ours_p95: list[float] = []
    base_p95: list[float] = []
    pooled: list[float] = []
    pooled_base: list[float] = []
    try:
        for _kind, text in queries:  # warm-up pass, not timed
            search(text)
            baseline_lookup()
        for _ in range(ctx.repeats):
            ours_pass, base_pass = [], []
            for kind, text in queries:
                started = time.perf_counter()
                matches[text] = search(text)
                elapsed = time.perf_counter() - started
                ours_pass.append(elapsed)
                by_kind[kind].append(elapsed)
                base_pass.append(baseline_lookup())
            ours_p95.append(percentile(ours_pass, 95))
            base_p95.append(percentile(base_pass, 95))
            pooled += ours_pass
            pooled_base += base_pass
        peak = ctx.peak_mb(lambda: [search(text) for _kind, text in queries])
    finally:
        db.close()
        raw.close()

    kinds = ", ".join(f"{kind} {percentile(values, 95) * 1000:.1f}" for kind, values in by_kind.items() if values)
    worst = max(matches.items(), key=lambda item: item[1])
    median_ratio = statistics.median(pooled) / statistics.median(pooled_base)
    return Measurement(
        ours=Stats.of(ours_p95),
        baseline=Stats.of(base_p95),
        stat="p95",
        peak_mb=peak,
        peak_kind="tracemalloc",
        # A p95 over a ~20 µs lookup moves by 2× when the machine is busy; the medians do not.
        ratio=median_ratio,
        notes=[
            f"{len(queries)} queries × {ctx.repeats} passes; median {statistics.median(pooled) * 1000:.1f} ms"
            f" (baseline {statistics.median(pooled_base) * 1e6:.0f} µs; ratio column = ratio of these medians),"
            f" pooled p95 {percentile(pooled, 95) * 1000:.1f} ms; p95 by kind (ms): {kinds};"
            f" most matches: {worst[0]!r} → {worst[1]:,} persons",
        ],
        extra={
            "median_s": statistics.median(pooled),
            "pooled_p95_s": percentile(pooled, 95),
            "p95_by_kind_s": {kind: percentile(v, 95) for kind, v in by_kind.items() if v},
            "queries": len(queries),
        },
    )


# --- 5. first paint -----------------------------------------------------------------------------------------------


@figure(
    "first_paint",
    "open person list, first rows painted",
    target=Target.absolute(0.300, "≤ 300 ms"),
    baseline="bare QTableView + QStandardItemModel, same screenful (for the ratio only)",
)
def first_paint(ctx: Context) -> Measurement:
    """Construct ``MainWindow`` over the database, show it, and wait for the person table's first paint.

    The target is absolute (the issue names no baseline); the bare-Qt baseline gives the ratio that the CI
    regression check compares, so that a slower machine does not look like a regression.
    """
    from bench.qtpaint import bare_table_first_paint, main_window_first_paint

    samples: list[float] = []
    fetched = 0
    main_window_first_paint(ctx.dataset.path)  # warm-up: Qt's own first-use costs are in the app-start figure
    for _ in range(ctx.repeats):
        elapsed, fetched = main_window_first_paint(ctx.dataset.path)
        samples.append(elapsed)
    peak = ctx.peak_mb(lambda: main_window_first_paint(ctx.dataset.path))

    db = open_database(ctx.dataset.path, create=False)
    try:
        with db.session() as session:
            ids = list_person_ids(session)[:40]
            rows = fetch_person_rows(session, ids)
    finally:
        db.close()
    cells = [
        [
            str(number),
            r.name,
            r.sex,
            r.birth_date,
            r.id_number,
            r.group_name,
            r.relation,
            r.status,
            r.phone,
        ]
        for number, r in enumerate((rows[i] for i in ids if i in rows), start=1)
    ]
    bare_table_first_paint(cells)
    baseline = Stats.of([bare_table_first_paint(cells) for _ in range(ctx.repeats)])
    return Measurement(
        ours=Stats.of(samples),
        baseline=baseline,
        peak_mb=peak,
        peak_kind="tracemalloc",
        notes=[f"offscreen; {fetched} rows fetched for the first screen; database opened before the clock"],
    )


# --- 6. app start ------------------------------------------------------------------------------------------------


@figure(
    "app_start",
    "app start to main window",
    target=Target.delta(1.5, "≤ 1.5 s above baseline"),
    baseline='python -c "import PySide6.QtWidgets"',
)
def app_start(ctx: Context) -> Measurement:
    """``run_gui`` on the benchmark database in a child process, from spawn to the person list's first paint.

    Both sides are timed from the spawn to the moment the child says it is ready (wall clock, reported by the
    child): the window painted, or ``import PySide6.QtWidgets`` done. Quitting and interpreter exit are not the
    start; spawn-to-exit is in the notes.
    """
    env = child_env(ctx.work_dir / "home")
    db = str(ctx.dataset.path)
    run_child(IMPORT_QTWIDGETS, env=env)  # warm-up: the OS file cache holds Qt's libraries for both sides
    run_child(START_TO_FIRST_PAINT, db, env=env)
    ours, baseline, rss, reports, to_exit = [], [], [], [], []
    for _ in range(ctx.repeats):
        base = run_child(IMPORT_QTWIDGETS, env=env)
        baseline.append(base.to_ready)
        run = run_child(START_TO_FIRST_PAINT, db, env=env)
        ours.append(run.to_ready)
        to_exit.append(run.seconds)
        if run.max_rss_mb is not None:
            rss.append(run.max_rss_mb)
        reports.append(run.report)
    imports = Stats.of([r["imports_s"] for r in reports]).median
    built = Stats.of([r["to_window_built_s"] for r in reports]).median
    painted = Stats.of([r["to_first_paint_s"] for r in reports]).median
    exit_s = Stats.of(to_exit).median
    return Measurement(
        ours=Stats.of(ours),
        baseline=Stats.of(baseline),
        peak_mb=Stats.of(rss).median if rss else None,
        peak_kind="child RSS, VmHWM",
        notes=[
            f"inside the child (medians): imports {imports:.2f} s, window built {built:.2f} s,"
            f" first paint {painted:.2f} s after the first line of the script; spawn to exit {exit_s:.2f} s"
            " (quitting loads the rest of the ids and tears the program down)",
        ],
        extra={"imports_s": imports, "to_window_built_s": built, "to_first_paint_s": painted, "to_exit_s": exit_s},
    )


# --- 7. push -------------------------------------------------------------------------------------------------------

#: The discarding endpoint of the push baseline: reads each request body whole and answers ``{}``.
DISCARD_SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Discard(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        self.do_POST()

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Discard).serve_forever()
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server:
    """A server child process on a loopback port, ready once ``health`` answers; stopped on exit."""

    def __init__(self, args: list[str], health: str, log: Path) -> None:
        import subprocess
        import sys

        import requests

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", *[a.replace("{port}", str(self.port)) for a in args]], stdout=out, stderr=out
            )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                requests.get(self.url + health, timeout=1)
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("server did not start within 60 s") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except Exception:
                self.proc.kill()
                self.proc.wait(10)

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _checkpoint(path: Path) -> None:
    """Fold a SQLite file's write-ahead log into it, so that copying the file alone copies everything."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _county_server(county_db: Path, log: Path) -> _Server:
    from pensiondesk.county.store import sqlite_url

    script = "from pensiondesk.county.cli import main; main()"
    args = [script, "--db", sqlite_url(county_db), "serve", "--port", "{port}", "--log-level", "warning"]
    return _Server(args, "/v1/health", log)


@figure(
    "push_10k",
    "push 10,000 records to the county server",
    target=Target.ratio(3.0),
    baseline="POST of the same bytes to a discarding endpoint",
    issue="county server and sync",
    module="pensiondesk.county.app",
)
def push(ctx: Context) -> Measurement:
    """``run_sync`` of a freshly enrolled laptop whose outbox holds about 10,000 records (600 in quick mode).

    The county server runs as ``pensiondesk-county serve`` (uvicorn, SQLite) in a child process on loopback, as a
    county runs it; every repeat starts from copies of the same enrolled laptop and county databases. The
    baseline POSTs the very request bodies the client sent (captured from its HTTP session) to a stdlib HTTP
    server in a child process that reads and discards them.
    """
    import requests

    from pensiondesk.county import admin
    from pensiondesk.county.store import create_county_engine, session_scope, sqlite_url, upgrade_database
    from pensiondesk.services.demo import DEMO_TOWNSHIP, DEMO_VILLAGE, create_demo_village
    from pensiondesk.sync.client import SyncClient, SyncError
    from pensiondesk.sync.engine import enroll, run_sync, sync_state
    from pensiondesk.sync.outbox import counts_by_state

    wanted = ctx.sized(10_000, 600)
    work = ctx.work_dir / "push"
    work.mkdir(exist_ok=True)
    log = work / "server.log"
    county_template, laptop_template = work / "county.sqlite", work / "laptop.sqlite"

    engine = create_county_engine(sqlite_url(county_template))
    try:
        upgrade_database(engine)
        from sqlalchemy.orm import sessionmaker

        with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            admin.set_county(s, "411099", "安和县")
            admin.add_township(s, DEMO_TOWNSHIP[0], DEMO_TOWNSHIP[1])
            admin.add_village(s, DEMO_VILLAGE[0], DEMO_VILLAGE[1], DEMO_TOWNSHIP[0])
            code = admin.issue_enrolment_code(s, DEMO_VILLAGE[0])
    finally:
        engine.dispose()
    # A demo village queues about 1.35 records per person (households, groups and categories come along).
    laptop = open_database(laptop_template)
    try:
        with laptop.session() as s:
            create_demo_village(s, persons=round(wanted / 1.35), seed=ctx.dataset.seed, as_of=ctx.dataset.as_of)
        with _county_server(county_template, log) as server:
            enroll(laptop, server.url, code, device_name="bench")
        _checkpoint(county_template)  # the enrolment may still sit in the server's -wal file
        with laptop.session() as s:
            records = sum(counts_by_state(s).values())
            state = sync_state(s)
            assert state is not None and state.device_token
            token = state.device_token
    finally:
        laptop.close()
    _checkpoint(laptop_template)

    bodies: list[bytes] = []
    server_side: list[float] = []  # time spent waiting for the county's answers

    runs = 0

    def one_push(capture: bool) -> float:
        nonlocal runs
        runs += 1  # fresh names: a -wal file left by an earlier run must never meet a new copy
        county, copy = work / f"county-run{runs}.sqlite", work / f"laptop-run{runs}.sqlite"
        shutil.copyfile(county_template, county)
        shutil.copyfile(laptop_template, copy)
        with _county_server(county, log) as server:
            db = open_database(copy, create=False)
            client = SyncClient(server.url, token)
            if capture:
                send = client.http.request

                def recording(method: str, url: str, **kwargs: Any) -> requests.Response:
                    if url.endswith("/v1/push"):
                        bodies.append(kwargs["data"])
                    return send(method, url, **kwargs)

                client.http.request = recording  # type: ignore[method-assign,assignment]
            posting = client.http.request
            waiting: list[float] = []

            def timed(method: str, url: str, **kwargs: Any) -> requests.Response:
                began = time.perf_counter()
                try:
                    return posting(method, url, **kwargs)
                finally:
                    waiting.append(time.perf_counter() - began)

            client.http.request = timed  # type: ignore[method-assign,assignment]
            try:
                started = time.perf_counter()
                report = run_sync(db, client, check=False)
                elapsed = time.perf_counter() - started
                server_side.append(sum(waiting))
            except SyncError as exc:
                errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
                raise RuntimeError(f"{exc}; county server log: {' | '.join(errors)[-800:]}") from exc
            finally:
                client.close()
                db.close()
        if report.results.get("accepted", 0) < records:
            raise RuntimeError(f"the county accepted {report.results} of {records} records")
        return elapsed

    one_push(capture=True)  # warm-up, and the request bodies for the baseline
    timed_runs = min(ctx.repeats, ctx.sized(3, 2))  # each run starts a county server on fresh copies
    ours = Stats.of([one_push(capture=False) for _ in range(timed_runs)])

    headers = {"Content-Type": "application/json", "PensionDesk-Protocol": "1", "Authorization": f"Bearer {token}"}
    with _Server([DISCARD_SERVER, "{port}"], "/health", log) as discard, requests.Session() as http:

        def post_all() -> None:
            for body in bodies:
                http.post(discard.url + "/v1/push", data=body, headers=headers, timeout=60).raise_for_status()

        baseline = repeat(post_all, ctx.repeats)
    return Measurement(
        ours=ours,
        baseline=baseline,
        notes=[
            f"{records:,} records in {len(bodies)} batches ({sum(map(len, bodies)) / 1e6:.1f} MB of JSON);"
            " ours is run_sync (handshake, push, one empty pull) against pensiondesk-county serve on SQLite;"
            f" {statistics.median(server_side):.2f} s of it waiting for the server's answers (median)",
        ],
        extra={
            "records": records,
            "batches": len(bodies),
            "bytes": sum(map(len, bodies)),
            "server_wait_s": statistics.median(server_side),
        },
    )


# --- 7b. pull the county roster ------------------------------------------------------------------------------------

#: The replaying endpoint of the pull baseline: serves the captured pull bodies, ``?page=i`` being the i-th.
REPLAY_SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BODIES = [path.read_bytes() for path in sorted(Path(sys.argv[2]).glob("*.json"))]

class Replay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        body = BODIES[int(parse_qs(url.query)["page"][0])] if url.path == "/v1/pull" else b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Replay).serve_forever()
"""


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size (``VmHWM``) of a live process, in MB; ``None`` where /proc does not say."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


@figure(
    "pull_roster",
    "pull of a 100,000-person county roster",
    target=Target.ratio(3.0),
    baseline="GET of the same response bodies from a stdlib HTTP server",
    issue="county server and sync",
    module="pensiondesk.county.app",
)
def pull_roster(ctx: Context) -> Measurement:
    """``run_sync`` of a freshly enrolled, empty laptop against a county whose village holds 100,000 persons
    (10,000 in quick mode), until the whole roster (``roster`` changes → ``county_resident``) is applied.

    The county (``bench/countydata.py``: the dataset's village as a push leaves it) runs as
    ``pensiondesk-county serve`` on SQLite in a child process on loopback; every run starts from copies of the
    same enrolled laptop and county databases. The baseline GETs the very response bodies the client received
    (captured from its HTTP session), in order, from a stdlib HTTP server child process, reading and discarding
    them. Peak memory is the laptop process's Python heap during the sync (tracemalloc), apart from the timed runs.
    """
    import requests

    from bench.countydata import ensure_county
    from pensiondesk.county import admin
    from pensiondesk.county.store import create_county_engine, session_scope, sqlite_url
    from pensiondesk.store.models import CountyResident
    from pensiondesk.sync.client import SyncClient, SyncError
    from pensiondesk.sync.engine import enroll, run_sync, sync_state
    from pensiondesk.sync.outbox import counts_by_state

    persons = min(ctx.sized(100_000, 10_000), ctx.dataset.persons)
    county = ensure_county(ctx.dataset.path, persons, progress=ctx.say)
    work = ctx.work_dir / "pull"
    work.mkdir(exist_ok=True)
    log = work / "server.log"
    county_template, laptop_template = work / "county.sqlite", work / "laptop.sqlite"
    shutil.copyfile(county.path, county_template)

    from sqlalchemy.orm import sessionmaker

    engine = create_county_engine(sqlite_url(county_template))
    try:
        with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            code = admin.issue_enrolment_code(s, county.village_code)
    finally:
        engine.dispose()
    laptop = open_database(laptop_template)  # a new, empty laptop: its village comes with the enrolment
    try:
        with _county_server(county_template, log) as server:
            enroll(laptop, server.url, code, device_name="bench")
        _checkpoint(county_template)
        with laptop.session() as s:
            queued = sum(counts_by_state(s).values())
            state = sync_state(s)
            assert state is not None and state.device_token
            token = state.device_token
    finally:
        laptop.close()
    _checkpoint(laptop_template)

    bodies: list[bytes] = []
    waited: list[float] = []  # time spent in HTTP calls (the server's work and the transfer)
    server_rss: list[float] = []
    runs = 0

    def one_pull(*, capture: bool = False, traced: bool = False) -> float:
        """One sync from fresh copies; the seconds it took (or, when ``traced``, the peak heap in MB)."""
        nonlocal runs
        runs += 1  # fresh names: a -wal file left by an earlier run must never meet a new copy
        county_db, copy = work / f"county-run{runs}.sqlite", work / f"laptop-run{runs}.sqlite"
        shutil.copyfile(county_template, county_db)
        shutil.copyfile(laptop_template, copy)
        with _county_server(county_db, log) as server:
            db = open_database(copy, create=False)
            client = SyncClient(server.url, token)
            send = client.http.request
            waiting: list[float] = []

            def timed(method: str, url: str, **kwargs: Any) -> requests.Response:
                began = time.perf_counter()
                try:
                    response = send(method, url, **kwargs)
                finally:
                    waiting.append(time.perf_counter() - began)
                if capture and "/v1/pull" in url:
                    bodies.append(response.content)
                return response

            client.http.request = timed  # type: ignore[method-assign,assignment]
            try:
                started = time.perf_counter()
                if traced:
                    result = traced_peak_mb(lambda: run_sync(db, client, check=False))
                else:
                    run_sync(db, client, check=False)
                    result = time.perf_counter() - started
                    waited.append(sum(waiting))
                rss = _peak_rss_mb(server.proc.pid)
                if rss is not None and not traced:
                    server_rss.append(rss)
                with db.session() as s:
                    arrived = s.scalar(select(func.count()).select_from(CountyResident)) or 0
            except SyncError as exc:
                errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
                raise RuntimeError(f"{exc}; county server log: {' | '.join(errors)[-800:]}") from exc
            finally:
                client.close()
                db.close()
        for leftover in (county_db, copy):
            for path in (leftover, *(leftover.with_name(leftover.name + s) for s in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
        if arrived != persons:
            raise RuntimeError(f"{arrived:,} county residents arrived of a roster of {persons:,} persons")
        return result

    one_pull(capture=True)  # warm-up, and the response bodies for the baseline
    waited.clear()
    timed_runs = max(1, min(ctx.repeats, 2))  # each run starts a county server on fresh copies, and takes a minute
    ours = Stats.of([one_pull() for _ in range(timed_runs)])
    peak = None if ctx.quick else one_pull(traced=True)

    pages = work / "pages"
    pages.mkdir(exist_ok=True)
    for i, body in enumerate(bodies):
        (pages / f"{i:06d}.json").write_bytes(body)
    size = sum(map(len, bodies))
    headers = {"PensionDesk-Protocol": "1", "Authorization": f"Bearer {token}"}
    with _Server([REPLAY_SERVER, "{port}", str(pages)], "/health", log) as replay, requests.Session() as http:

        def get_all() -> None:
            for i in range(len(bodies)):
                response = http.get(replay.url + "/v1/pull", params={"page": i}, headers=headers, timeout=60)
                response.raise_for_status()
                response.content  # noqa: B018 - read, and discard

        baseline = repeat(get_all, ctx.repeats)
    wait = statistics.median(waited)
    rss = statistics.median(server_rss) if server_rss else None
    return Measurement(
        ours=ours,
        baseline=baseline,
        peak_mb=peak,
        peak_kind="tracemalloc",
        notes=[
            f"{persons:,} persons in {len(bodies)} pull pages ({size / 1e6:.1f} MB of JSON); ours is run_sync"
            f" (handshake, {queued} records to push, pull until caught up; no summary check) of an empty enrolled"
            " laptop against pensiondesk-county serve on SQLite; all persons checked in county_resident;"
            f" {wait:.2f} s of it in HTTP calls (server and transfer), {ours.median - wait:.2f} s on the laptop"
            " (parsing and applying pages)" + (f"; county server peak RSS {rss:.0f} MB" if rss is not None else ""),
        ],
        extra={
            "persons": persons,
            "pages": len(bodies),
            "bytes": size,
            "http_wait_s": wait,
            "laptop_s": ours.median - wait,
            "server_peak_rss_mb": rss,
            "county_built_s": round(county.seconds, 1),
        },
    )


# --- 8. progress report ------------------------------------------------------------------------------------------

#: The tables the progress report reads.
PROGRESS_TABLES = ("person", "contribution", "survival_check", "benefit_case")


@figure(
    "progress_report",
    "progress report over 100,000 people",
    target=Target.absolute(2.0, "≤ 2 s"),
    baseline="SELECT count(*) over the same tables (sqlite3)",
    issue="progress reports",
    module="pensiondesk.services.progress",
)
def progress(ctx: Context) -> Measurement:
    """The township's stage report: the four rates by group, the 催缴名单, printed to PDF (domain.md §15)."""
    from pensiondesk.documents.progress_report import render_progress_report
    from pensiondesk.services.progress import Measure, progress_list, progress_report

    as_of = ctx.dataset.as_of
    db = open_database(ctx.dataset.path, create=False)
    figures_only: list[float] = []
    listed = 0

    def ours() -> int:
        nonlocal listed
        started = time.perf_counter()
        with db.session() as session:
            report = progress_report(session, as_of=as_of)
            figures_only.append(time.perf_counter() - started)
            unpaid = progress_list(session, Measure.PAYMENT, as_of=as_of)
        listed = len(unpaid)
        # The renderer reads through Protocols that mypy does not match to the frozen dataclasses: the same fields.
        lists: Any = {Measure.PAYMENT.value: unpaid}
        printable: Any = report
        return render_progress_report(printable, io.BytesIO(), lists=lists, printed_on=as_of)

    raw = sqlite3.connect(f"{ctx.dataset.path.as_uri()}?mode=ro", uri=True)

    def counts() -> None:
        for table in PROGRESS_TABLES:
            raw.execute(f"SELECT count(*) FROM {table}").fetchone()

    try:
        pages = ours()  # warm-up, and the page count
        ours_time = repeat(ours, ctx.repeats, warmup=0)
        baseline = repeat(counts, ctx.repeats)
        peak = ctx.peak_mb(ours)
    finally:
        db.close()
        raw.close()
    return Measurement(
        ours=ours_time,
        baseline=baseline,
        peak_mb=peak,
        peak_kind="tracemalloc",
        notes=[
            f"figures alone {statistics.median(figures_only) * 1000:.0f} ms (median); 催缴名单 of {listed:,}"
            f" persons; {pages} pages",
        ],
        extra={"figures_only_s": statistics.median(figures_only), "unpaid": listed, "pages": pages},
    )


# --- 9. GUI memory -------------------------------------------------------------------------------------------------


@figure(
    "gui_memory",
    "peak memory, 100,000 people open in the GUI",
    target=Target.delta(250, "≤ +250 MB over baseline"),
    baseline="bare app start (QApplication + empty QMainWindow, shown)",
)
def gui_memory(ctx: Context) -> Measurement:
    """Peak RSS of the program after opening the list and dragging its scroll bar to the end, in a child."""
    env = child_env(ctx.work_dir / "home")
    runs = max(1, min(ctx.repeats, ctx.sized(3, 1)))  # RSS hardly varies between runs; each scrolls the whole list
    ours, baseline, reports = [], [], []
    for _ in range(runs):
        bare = run_child(BARE_APP, env=env)
        run = run_child(START_AND_SCROLL, str(ctx.dataset.path), env=env)
        if bare.max_rss_mb is None or run.max_rss_mb is None:
            raise RuntimeError("this platform does not report a child's peak RSS (/proc/self/status)")
        baseline.append(bare.max_rss_mb)
        ours.append(run.max_rss_mb)
        reports.append(run.report)
    last = reports[-1]
    if not last.get("last_row_painted"):
        raise RuntimeError(f"the scroll did not reach the last row: {last}")
    return Measurement(
        ours=Stats.of(ours),
        baseline=Stats.of(baseline),
        unit="MB",
        peak_mb=Stats.of(ours).median,
        peak_kind="child RSS, VmHWM",
        notes=[
            f"peak RSS (VmHWM) of each child; {last['rows']:,} rows, {last['fetches']} fetches while"
            f" scrolling ({last['rows_fetched']:,} rows read), {last['rows_cached']:,} rows left in the cache",
        ],
        extra={k: last[k] for k in ("rows", "fetches", "rows_fetched", "rows_cached")},
    )
