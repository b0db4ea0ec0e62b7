"""Reading a roster file (读取花名册文件): .xlsx, .xls, .ods through python-calamine, .csv in UTF-8 or GBK.

What county rosters look like and what this module does about it:

* **Title rows above the header** — a merged title (``红旗村2026年城乡居民养老保险参保花名册``), then a line
  with the unit and date, then the header. :func:`find_header` scores each of the first rows by how many cells
  name a known column (see :mod:`pensiondesk.sheets.columns`) and takes the best one that names 姓名 or 身份证号.
* **Two-row merged headers** — ``身份信息`` spanning ``身份证号 | 性别`` in the row below, while ``姓名`` spans
  both rows. calamine gives a merged cell's value only in its top-left cell, so vertically merged cells are
  carried down; the row next to the best header row joins the header when it is mostly column names, and each
  column takes the name that is recognised (``身份证号`` rather than ``身份信息``). ODS files carry no merge
  information, which the same rule survives because it looks at both rows.
* **Vertically merged data cells** — a household's 户主姓名 or address merged over its members' rows is carried
  down to every row it covers (merges across columns — titles, footers such as ``制表人：`` — are left alone).
* **The format is read from the content**, not the extension: an .xlsx saved as ``.xls`` is read as what it is.
  Unreadable, corrupt, encrypted or empty files raise :class:`SheetError` with a plain-Chinese ``user_message``.
* **Several sheets** — the first sheet with a recognisable header is used, and the choice is said in ``notes``.
* **CSV** — a UTF-8 byte-order mark means UTF-8; otherwise strict UTF-8 is tried, then GB18030 (a superset of
  GBK, which is what Excel on Chinese Windows writes). UTF-16 with a BOM (Excel's "Unicode text") is read too,
  and the delimiter (comma, tab or semicolon) is chosen from the first lines.

Row numbers are kept as the coordinator sees them in Excel: 1-based, counting title rows and empty rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeAlias

from pensiondesk.sheets.columns import RosterField, exact_match

__all__ = [
    "HEADER_SCAN_ROWS",
    "CellValue",
    "HeaderGuess",
    "SheetError",
    "SheetTable",
    "find_header",
    "header_place",
    "read_table",
    "rows_text",
]

CellValue: TypeAlias = str | int | float | bool | date | datetime | time | timedelta | None


def rows_text(rows: Sequence[int]) -> str:
    """Rows as a coordinator reads them: ``第4行``; a two-row (merged) header ``第3、4行``."""
    return "第" + "、".join(str(r) for r in rows) + "行"


def header_place(sheet_name: str, header_rows: Sequence[int]) -> str:
    """Where the roster's header was found, said the same by the import window and the command line:
    ``工作表“花名册”，表头在第3、4行`` (every row of a merged header, not only the last)."""
    return f"工作表“{sheet_name}”，表头在{rows_text(header_rows)}"

#: How many rows from the top may hold title lines and the header.
HEADER_SCAN_ROWS = 30
#: A header row must name at least this many known columns, one of them 姓名 or 身份证号.
MIN_HEADER_FIELDS = 2

_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".et"}
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_KEY_FIELDS = {RosterField.NAME, RosterField.ID_NUMBER}
#: What ``zipfile`` raises for a damaged archive, beyond BadZipFile.
_ZIP_DAMAGE = (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError, zlib.error)


class SheetError(Exception):
    """A roster file that cannot be read; ``user_message`` says in plain Chinese why and what to do."""

    def __init__(self, user_message: str, *, path: Path | str | None = None, detail: str = "") -> None:
        self.user_message = user_message
        self.path = Path(path) if path is not None else None
        self.detail = detail
        super().__init__(f"{user_message} [{detail}]" if detail else user_message)


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is: its rows (0-based indexes into the sheet's rows) and the text of each column."""

    rows: tuple[int, ...]
    headers: tuple[str, ...]
    fields: frozenset[RosterField]

    @property
    def data_start(self) -> int:
        """0-based index of the first row below the header."""
        return self.rows[-1] + 1


@dataclass
class SheetTable:
    """One sheet of a roster, as read: header texts and data rows with their Excel row numbers.

    ``rows`` are the cells below the header exactly as the file holds them (str, int, float, bool, date,
    datetime …; an empty cell is ``""`` or ``None``); rows may be shorter than ``headers``. ``rows[i]`` is the
    row the coordinator sees as number ``first_data_row + i``.
    """

    path: Path
    file_format: str  # xlsx | xlsb | xls | ods | csv
    sheet_name: str
    sheet_names: tuple[str, ...]
    header_rows: tuple[int, ...]  # 1-based, as Excel numbers them
    headers: tuple[str, ...]
    rows: list[list[Any]]
    first_data_row: int
    encoding: str | None = None  # csv only
    notes: tuple[str, ...] = field(default=())

    @property
    def header_row(self) -> int:
        """The 1-based row number of the (last) header row: data starts right below it."""
        return self.header_rows[-1]

    @property
    def header_place(self) -> str:
        """``工作表“花名册”，表头在第3、4行`` (:func:`header_place`)."""
        return header_place(self.sheet_name, self.header_rows)

    def row_number(self, index: int) -> int:
        """The 1-based Excel row number of ``rows[index]``."""
        return self.first_data_row + index


# --- header detection ------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _row_fields(row: Sequence[object]) -> dict[int, RosterField]:
    found: dict[int, RosterField] = {}
    for index, value in enumerate(row):
        if isinstance(value, str) and value:
            matched = exact_match(value)
            if matched is not None:
                found[index] = matched
    return found


def _is_header_like(row: Sequence[object], row_fields: dict[int, RosterField]) -> bool:
    """Whether a row next to the header belongs to it: it names columns, and names make up half its cells.

    Data rows never qualify (at most one cell such as 户主 reads as a column name); a row that only repeats the
    header's names (cells merged over both rows, carried down) does, and so does a sub-header (身份证号 | 性别).
    """
    if not row_fields:
        return False
    filled = sum(1 for value in row if _cell_text(value))
    return len(row_fields) * 2 >= filled


def find_header(rows: Sequence[Sequence[object]], *, scan: int = HEADER_SCAN_ROWS) -> HeaderGuess | None:
    """Find the header among the first ``scan`` rows, or ``None`` when no row looks like one.

    A row scores one point per distinct known column it names (exact name, or with a note such as ``（必填）``);
    the best row with at least two, one of them 姓名 or 身份证号, wins (the upper one on a tie). The row below
    (or else above) joins it when it is mostly column names — a two-row header.
    """
    best: tuple[int, int, dict[int, RosterField]] | None = None
    limit = min(scan, len(rows))
    per_row = [_row_fields(rows[i]) for i in range(limit)]
    for index, found in enumerate(per_row):
        names = set(found.values())
        if len(names) < MIN_HEADER_FIELDS or not names & _KEY_FIELDS:
            continue
        if best is None or len(names) > best[1]:
            best = (index, len(names), found)
    if best is None:
        return None
    index, _, found = best
    header_rows = [index]
    if index + 1 < len(rows) and _is_header_like(rows[index + 1], _row_fields(rows[index + 1])):
        header_rows.append(index + 1)
    elif index > 0 and _is_header_like(rows[index - 1], per_row[index - 1]):
        header_rows.insert(0, index - 1)

    width = max(len(rows[i]) for i in header_rows)
    headers: list[str] = []
    fields: set[RosterField] = set()
    row_matches = [(rows[i], _row_fields(rows[i])) for i in header_rows]
    for column in range(width):
        texts = [_cell_text(row[column]) if column < len(row) else "" for row, _ in row_matches]
        # The lowest row that names a known column wins; else the distinct texts joined top to bottom.
        named = [(texts[k], matches[column]) for k, (_, matches) in enumerate(row_matches) if column in matches]
        if named:
            headers.append(named[-1][0])
            fields.add(named[-1][1])
        else:
            distinct = [t for k, t in enumerate(texts) if t and t not in texts[:k]]
            headers.append("/".join(distinct))
    return HeaderGuess(tuple(header_rows), tuple(headers), frozenset(fields))


# --- merged cells ----------------------------------------------------------------------------------------------


def _fill_merged(rows: list[list[Any]], ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None) -> None:
    """Carry each vertically merged cell's value (calamine keeps it in the top-left cell only) down its column.

    A header cell such as 姓名 merged over both rows of a two-row header reaches the lower row, and a household's
    merged 户主姓名 or address reaches every member's row. Merges across columns (the title, a group header such
    as 身份信息, a footer like 制表人：) keep their value in the first cell: carrying them right would put a
    footer into the name and ID columns.
    """
    if not ranges:
        return
    for (top, left), (bottom, right) in ranges:
        if left != right or top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        if value is None or value == "":
            continue
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if left < len(row) and (row[left] is None or row[left] == ""):
                row[left] = value


# --- file formats ----------------------------------------------------------------------------------------------


def _unreadable(path: Path, detail: str) -> SheetError:
    return SheetError(
        f"文件“{path.name}”已损坏或不完整，无法读取。请用 Excel 或 WPS 打开，确认内容能正常显示后，"
        "另存为 .xlsx 文件再导入。",
        path=path,
        detail=detail,
    )


def _sniff(path: Path, head: bytes) -> str:
    """The real format of the file from its first bytes: xlsx, ods, xls or csv; SheetError for anything else."""
    suffix = path.suffix.lower()
    if not head:
        raise SheetError(f"文件“{path.name}”是空的（0 字节），里面没有数据。请确认选择的文件是否正确。", path=path)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                    return "ods"
        except _ZIP_DAMAGE as exc:
            # NotImplementedError: a damaged header naming an unknown zip version or compression method;
            # RuntimeError: an encrypted member; zlib.error / ValueError: a damaged compressed member.
            raise _unreadable(path, f"zip: {type(exc).__name__}: {exc}") from exc
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if any(name.startswith("word/") for name in names):
            raise SheetError(
                f"文件“{path.name}”是 Word 文档，不是表格。请导入 Excel 花名册（.xlsx、.xls）。", path=path
            )
        raise _unreadable(path, "zip archive without a workbook")
    if head.startswith(_OLE_MAGIC):
        data = path.read_bytes()
        if _ENCRYPTED_STREAM in data:
            raise _password_protected(path)
        return "xls"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if stripped[:1] == b"<":
        raise SheetError(
            f"文件“{path.name}”实际上是网页（HTML/XML）格式，只是扩展名为 {suffix or '空'}。"
            "请用 Excel 或 WPS 打开它，另存为 .xlsx 文件后再导入。",
            path=path,
        )
    if suffix in _TEXT_SUFFIXES:
        return "csv"
    if suffix in _SPREADSHEET_SUFFIXES:
        raise SheetError(
            f"文件“{path.name}”的扩展名是 {suffix}，但内容不是 Excel 表格（可能是改了扩展名的文本文件）。"
            "请用 Excel 或 WPS 打开原始花名册，另存为 .xlsx 文件后再导入。",
            path=path,
        )
    raise SheetError(
        f"不能识别文件“{path.name}”的格式。能导入的是 Excel 表格（.xlsx、.xls）、WPS/LibreOffice 表格（.ods）"
        "和 CSV 文本（.csv）。",
        path=path,
    )


def _password_protected(path: Path) -> SheetError:
    return SheetError(
        f"文件“{path.name}”设置了打开密码，程序无法读取。请在 Excel 或 WPS 中输入密码打开，"
        "取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）并保存后再导入。",
        path=path,
    )


def _decode_csv(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding used: UTF-8 (BOM or not), UTF-16 (BOM), else GB18030/GBK."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SheetError(
        f"无法识别文本文件“{path.name}”的编码（既不是 UTF-8 也不是 GBK）。请用 Excel 或 WPS 打开它，"
        "另存为 .xlsx 文件后再导入。",
        path=path,
        detail=f"tried {candidates}",
    )


def _csv_delimiter(text: str) -> str:
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_cell(value: str) -> str:
    # Excel's way of keeping a long number as text in CSV: ="110105194912310021".
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1]
    return value


def _read_csv(path: Path, data: bytes) -> tuple[list[list[Any]], str]:
    text, encoding = _decode_csv(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    try:
        rows: list[list[Any]] = [[_csv_cell(v) for v in record] for record in reader]
    except csv.Error as exc:
        raise _unreadable(path, f"csv: {exc}") from exc
    return rows, encoding


# --- reading ---------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    name: str
    rows: list[list[Any]]
    guess: HeaderGuess | None


def _calamine_sheets(path: Path, sheet: str | None) -> tuple[tuple[str, ...], list[_Candidate]]:
    """Read the workbook's sheets in order until one has a header (or the named one), through calamine."""
    import python_calamine

    candidates: list[_Candidate] = []
    try:
        with path.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
            try:
                metadata = workbook.sheets_metadata
                names = tuple(m.name for m in metadata)
                visible = [
                    m.name
                    for m in metadata
                    if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                    and m.visible == python_calamine.SheetVisibleEnum.Visible
                ]
                hidden = [m.name for m in metadata if m.name not in visible]
                if sheet is not None:
                    if sheet not in names:
                        shown = "、".join(f"“{n}”" for n in names)
                        raise SheetError(
                            f"文件“{path.name}”中没有名为“{sheet}”的工作表；现有工作表：{shown}。", path=path
                        )
                    order = [sheet]
                else:
                    order = visible + hidden
                for name in order:
                    ws = workbook.get_sheet_by_name(name)
                    rows: list[list[Any]] = ws.to_python(skip_empty_area=False)
                    _fill_merged(rows, ws.merged_cell_ranges)
                    guess = find_header(rows)
                    candidates.append(_Candidate(name, rows, guess))
                    if guess is not None:
                        break
            finally:
                workbook.close()
    except SheetError:
        raise
    except python_calamine.PasswordError as exc:
        raise _password_protected(path) from exc
    except OSError as exc:
        raise _os_error(path, exc) from exc
    except BaseException as exc:
        # calamine reports damage as CalamineError and, for some malformed files, as a Rust panic (a
        # BaseException); neither is our bug, both mean "this file cannot be read".
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
            raise
        raise _unreadable(path, f"{type(exc).__name__}: {exc}") from exc
    return names, candidates


def _os_error(path: Path, exc: OSError) -> SheetError:
    if isinstance(exc, FileNotFoundError):
        return SheetError(f"找不到文件：{path}。请检查文件位置和名称。", path=path, detail=str(exc))
    if isinstance(exc, IsADirectoryError):
        return SheetError(f"“{path}”是一个文件夹，请选择其中的花名册文件。", path=path, detail=str(exc))
    if isinstance(exc, PermissionError):
        return SheetError(
            f"没有权限读取文件“{path.name}”，或它正被其他程序占用。如果它在 Excel 或 WPS 中打开着，请先关闭再导入。",
            path=path,
            detail=str(exc),
        )
    return SheetError(f"读取文件“{path.name}”时出错：{exc.strerror or exc}。", path=path, detail=str(exc))


def _header_missing(path: Path, sheet_names: Sequence[str], checked: Sequence[str]) -> SheetError:
    where = "、".join(f"“{n}”" for n in checked) or "（无）"
    return SheetError(
        f"在文件“{path.name}”中找不到花名册的表头（检查了工作表{where}的前 {HEADER_SCAN_ROWS} 行）。"
        "表头一行应写有“姓名”和“身份证号”（或“公民身份号码”）等列名；请检查表头，或在导入时指定工作表。",
        path=path,
        detail=f"sheets={list(sheet_names)}",
    )


def read_table(path: Path | str, *, sheet: str | None = None, header_row: int | None = None) -> SheetTable:
    """Read a roster file: choose the sheet, find the header, return the data rows with their row numbers.

    ``sheet`` names the sheet to use (default: the first with a recognisable header); ``header_row`` (1-based)
    overrides header detection when the coordinator points at the header row. Raises :class:`SheetError`.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    file_format = _sniff(path, head)
    notes: list[str] = []
    encoding: str | None = None
    if file_format == "csv":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _os_error(path, exc) from exc
        rows, encoding = _read_csv(path, data)
        sheet_names: tuple[str, ...] = (path.stem,)
        candidates = [_Candidate(path.stem, rows, find_header(rows))]
        label = {"utf-8-sig": "UTF-8（带 BOM）", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}
        notes.append(f"文本编码：{label.get(encoding, encoding)}")
    else:
        if file_format == "xls":
            from pensiondesk.sheets.probe import survives_reading

            survived, what = survives_reading(path)
            if not survived:  # a damaged .xls that would have aborted this process (see sheets/probe.py)
                raise _unreadable(path, what)
        sheet_names, candidates = _calamine_sheets(path, sheet)

    if not candidates:
        raise SheetError(f"文件“{path.name}”中没有任何工作表。请确认选择的文件是否正确。", path=path)
    chosen = candidates[-1]
    if header_row is not None:
        index = header_row - 1
        if not 0 <= index < len(chosen.rows):
            raise SheetError(
                f"指定的表头行（第{header_row}行）超出了工作表“{chosen.name}”的范围（共 {len(chosen.rows)} 行）。",
                path=path,
            )
        headers = tuple(_cell_text(v) for v in chosen.rows[index])
        guess: HeaderGuess | None = HeaderGuess((index,), headers, frozenset())
    else:
        guess = chosen.guess
    if guess is None:
        if not any(_cell_text(v) for c in candidates for row in c.rows[: HEADER_SCAN_ROWS * 10] for v in row):
            raise SheetError(f"文件“{path.name}”中没有任何数据。请确认选择的文件是否正确。", path=path)
        raise _header_missing(path, sheet_names, [c.name for c in candidates])
    if file_format != "csv" and len(candidates) > 1:
        skipped = "、".join(f"“{c.name}”" for c in candidates[:-1])
        notes.append(f"工作表{skipped}中没有花名册表头，已使用工作表“{chosen.name}”")
    elif file_format != "csv" and len(sheet_names) > 1:
        notes.append(f"文件有 {len(sheet_names)} 张工作表，已使用“{chosen.name}”")

    start = guess.data_start
    return SheetTable(
        path=path,
        file_format=file_format,
        sheet_name=chosen.name,
        sheet_names=sheet_names,
        header_rows=tuple(i + 1 for i in guess.rows),
        headers=guess.headers,
        rows=chosen.rows[start:],
        first_data_row=start + 1,
        encoding=encoding,
        notes=tuple(notes),
    )
