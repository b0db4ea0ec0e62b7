"""The printed stage report (城乡居民养老保险工作进度报告, domain.md §15), A4 landscape.

Page one: the title, the village and the statistics date, the table of the four rates (参保率, 缴费率, 发放率,
认证率) by villager group with the village total, a bar chart of 参保率 by group with the village rate as a
dashed line (a coordinator looks at it rather than reading it), the definitions of the rates, and the
committee's signature and stamp. Then the lists behind the figures as appendices — 未参保名单, 催缴名单,
未正常发放名单, 未认证名单 — with identity numbers masked (6 + 4) as anything printed should be; a list longer
than ``max_list_rows`` is counted, and its rows are in the .xlsx export.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any, Protocol

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from pensiondesk.documents.base import (
    A4_LANDSCAPE,
    FONT_NAME,
    PageFooter,
    SignatureBlock,
    TitleBlock,
    build_document,
    chinese_date,
    data_table,
    document_styles,
    escape_text,
    register_fonts,
)
from pensiondesk.domain.masking import mask_id_number

__all__ = [
    "PrintableFigure",
    "PrintableListRow",
    "PrintableProgress",
    "coverage_chart",
    "render_progress_report",
    "render_progress_report_bytes",
]

#: The order and labels of the four figures: (key, rate name, denominator label, numerator label).
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    ("enrolment", "参保率", "应参保", "已参保"),
    ("payment", "缴费率", "应缴费", "已缴费"),
    ("benefit", "发放率", "应发放", "正常发放"),
    ("certification", "认证率", "应认证", "已认证"),
)
_LIST_TITLES = {
    "enrolment": "未参保名单",
    "payment": "催缴名单（本年未缴费）",
    "benefit": "未正常发放名单",
    "certification": "未认证名单",
}
_BAR = colors.Color(0.22, 0.45, 0.70)
_TOTAL_FILL = colors.Color(0.90, 0.93, 0.97)
_TOTAL_LINE = colors.Color(0.8, 0.2, 0.2)


class PrintableFigure(Protocol):
    @property
    def numerator(self) -> int: ...
    @property
    def denominator(self) -> int: ...

    @property
    def rate(self) -> Decimal | None: ...
    @property
    def rate_text(self) -> str: ...


class PrintableGroup(Protocol):
    @property
    def name(self) -> str: ...

    def __getitem__(self, measure: str) -> PrintableFigure: ...


class PrintableListRow(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def group_name(self) -> str: ...
    @property
    def detail(self) -> str: ...

    @property
    def sex(self) -> object: ...


class PrintableProgress(Protocol):
    """What the report shows (see ``services.progress.ProgressReport``; measures keyed by their value)."""

    @property
    def as_of(self) -> date: ...
    @property
    def year(self) -> int: ...

    @property
    def village(self) -> object: ...
    @property
    def groups(self) -> Sequence[PrintableGroup]: ...
    @property
    def total(self) -> PrintableGroup: ...
    @property
    def definitions(self) -> Mapping[Any, str]: ...


def _figure(group: PrintableGroup, key: str) -> PrintableFigure:
    return group[key]


def _figures_table(report: PrintableProgress, styles_size: float, width: float) -> Table:
    register_fonts()
    header_top = ["村民小组"]
    header_bottom = [""]
    for _key, rate, denominator, numerator in MEASURES:
        header_top += [rate, "", ""]
        header_bottom += [denominator, numerator, rate]
    body = []
    for group in [*report.groups, report.total]:
        line = [group.name]
        for key, *_ in MEASURES:
            figure = _figure(group, key)
            line += [str(figure.denominator), str(figure.numerator), figure.rate_text]
        body.append(line)
    data = [header_top, header_bottom, *body]
    first = width * 0.13
    rest = (width - first) / 12
    table = Table(data, colWidths=[first] + [rest] * 12, repeatRows=2, hAlign="CENTER")
    last = len(data) - 1
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), styles_size),
        ("LEADING", (0, 0), (-1, -1), styles_size * 1.3),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.Color(0.25, 0.25, 0.25)),
        ("BOX", (0, 0), (-1, -1), 1.1, colors.Color(0.2, 0.2, 0.2)),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.88, 0.88, 0.88)),
        ("SPAN", (0, 0), (0, 1)),
        ("BACKGROUND", (0, last), (-1, last), _TOTAL_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for index in range(len(MEASURES)):
        column = 1 + 3 * index
        commands.append(("SPAN", (column, 0), (column + 2, 0)))
        commands.append(("LINEAFTER", (column + 2, 0), (column + 2, -1), 1.1, colors.Color(0.2, 0.2, 0.2)))
    table.setStyle(TableStyle(commands))
    return table


def coverage_chart(report: PrintableProgress, width: float, height: float = 62 * mm) -> Drawing:
    """参保率 by group as bars with their values, the village rate as a dashed line."""
    font = register_fonts()
    groups = list(report.groups)
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 38, 30
    chart.width, chart.height = width - 60, height - 52
    values = [float(_figure(g, "enrolment").rate or 0) for g in groups]  # drawing coordinates, not money
    chart.data = [values or [0.0]]
    chart.categoryAxis.categoryNames = [g.name for g in groups] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5 if len(groups) <= 10 else 6.5
    chart.categoryAxis.labels.dy = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].fillColor = _BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f%%"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.barWidth = 10
    drawing.add(chart)
    total = _figure(report.total, "enrolment").rate
    title = "各村民小组参保率"
    if total is not None:
        y = chart.y + chart.height * float(total) / 100
        line = Line(chart.x, y, chart.x + chart.width, y, strokeColor=_TOTAL_LINE, strokeWidth=0.9)
        line.strokeDashArray = [4, 3]
        drawing.add(line)
        title += f"（红色虚线为全村 {total}%）"
    drawing.add(String(width / 2, height - 10, title, fontName=font, fontSize=9.5, textAnchor="middle"))
    return drawing


def _appendix(
    number: int, key: str, rows: Sequence[PrintableListRow], styles_size: float, width: float, max_rows: int
) -> list[Flowable]:
    styles = document_styles(styles_size)
    heading = Paragraph(
        escape_text(f"附表{'一二三四'[number - 1]}　{_LIST_TITLES[key]}（共 {len(rows)} 人）"), styles.heading
    )
    if not rows:
        return [heading, Paragraph("无。", styles.plain)]
    if len(rows) > max_rows:
        return [
            heading,
            Paragraph(escape_text(f"名单较长（{len(rows)} 人），完整名单见同日导出的 Excel 进度表。"), styles.plain),
        ]
    header = ("序号", "姓名", "性别", "公民身份号码", "村民小组", "情况")
    body = [
        (
            str(i),
            row.name,
            str(getattr(row.sex, "label", row.sex)),
            mask_id_number(row.id_number),
            row.group_name,
            row.detail,
        )
        for i, row in enumerate(rows, start=1)
    ]
    story: list[Flowable] = [heading]
    chunk = 40  # small tables: platypus splits a long table in time that grows with its length
    for start in range(0, len(body), chunk):
        story.append(
            data_table(
                header,
                body[start : start + chunk],
                styles,
                width,
                column_weights=(0.6, 1.2, 0.6, 2.2, 1.5, 2.2),
            )
        )
    return story


def _story(
    report: PrintableProgress,
    lists: Mapping[str, Sequence[PrintableListRow]],
    printed_on: date,
    width: float,
    max_rows: int,
) -> list[Flowable]:
    styles = document_styles(11)
    place = report.village
    village = str(getattr(place, "name", ""))
    township = str(getattr(place, "township", ""))
    county = str(getattr(place, "county", ""))
    story: list[Flowable] = [
        TitleBlock(
            f"{village}城乡居民基本养老保险工作进度报告",
            styles,
            subtitle=f"{county}{township}{village}　　统计日期：{chinese_date(report.as_of)}　　年度：{report.year}",
            space_after=8,
        ),
        _figures_table(report, 9.5, width),
        Spacer(1, 8),
    ]
    notes: list[Flowable] = [Paragraph(escape_text(text), styles.note) for text in report.definitions.values()]
    notes.append(Spacer(1, 6))
    notes.append(
        SignatureBlock(
            committee=f"{village}村民委员会",
            date_text=chinese_date(printed_on),
            styles=document_styles(10.5),
            handler_label="填报人：",
            stamp_diameter=36 * mm,
        )
    )
    chart = coverage_chart(report, width * 0.6)
    side = Table([[chart, notes]], colWidths=[width * 0.6, width * 0.4], hAlign="LEFT")
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(KeepTogether([side]))
    number = 0
    for key, *_ in MEASURES:
        if key not in lists:
            continue
        number += 1
        story.append(PageBreak() if number == 1 else Spacer(1, 10))
        story += _appendix(number, key, lists[key], 10, width, max_rows)
    return story


def render_progress_report(
    report: PrintableProgress,
    out: str | os.PathLike[str] | IO[bytes],
    *,
    lists: Mapping[str, Sequence[PrintableListRow]] | None = None,
    printed_on: date | None = None,
    max_list_rows: int = 3000,
) -> int:
    """Print the stage report; ``lists`` maps a measure key (``payment`` …) to its missing list. Returns pages."""
    printed = printed_on or date.today()
    story = _story(report, lists or {}, printed, A4_LANDSCAPE.frame_width, max_list_rows)
    village = str(getattr(report.village, "name", ""))
    footer = PageFooter(printed_on=printed, left_text=f"{village}　工作进度报告")
    return build_document(
        out,
        story,
        A4_LANDSCAPE,
        footer,
        title=f"{village}城乡居民基本养老保险工作进度报告",
        author=f"{village}村民委员会",
        subject=f"统计日期 {report.as_of.isoformat()}",
    )


def render_progress_report_bytes(
    report: PrintableProgress,
    *,
    lists: Mapping[str, Sequence[PrintableListRow]] | None = None,
    printed_on: date | None = None,
) -> bytes:
    """The report as PDF bytes (for the preview)."""
    buffer = io.BytesIO()
    render_progress_report(report, buffer, lists=lists, printed_on=printed_on)
    return buffer.getvalue()
