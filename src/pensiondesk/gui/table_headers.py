"""Column headings of the tables (表头), and their translation.

The pages keep their headings in Chinese (column widths are looked up by them, and some come from the printed
documents or the services); what is shown goes through :func:`heading`, which translates in the context
``TableHeader`` when the interface is English. Every heading is listed in :data:`HEADINGS` with
``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` (``tools/update_translations.py``) collects it: a new column needs its
heading added here, and ``tests/gui/test_i18n.py`` names any heading the English window still shows in Chinese.
"""

from __future__ import annotations

from pensiondesk.gui.qt import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["CONTEXT", "HEADINGS", "heading"]

CONTEXT = "TableHeader"

HEADINGS = (
    # people
    QT_TRANSLATE_NOOP("TableHeader", "序号"),
    QT_TRANSLATE_NOOP("TableHeader", "姓名"),
    QT_TRANSLATE_NOOP("TableHeader", "性别"),
    QT_TRANSLATE_NOOP("TableHeader", "年龄"),
    QT_TRANSLATE_NOOP("TableHeader", "出生日期"),
    QT_TRANSLATE_NOOP("TableHeader", "公民身份号码"),
    QT_TRANSLATE_NOOP("TableHeader", "村民小组"),
    QT_TRANSLATE_NOOP("TableHeader", "户主"),
    QT_TRANSLATE_NOOP("TableHeader", "联系电话"),
    QT_TRANSLATE_NOOP("TableHeader", "情况"),
    QT_TRANSLATE_NOOP("TableHeader", "备注"),
    QT_TRANSLATE_NOOP("TableHeader", "日期"),
    QT_TRANSLATE_NOOP("TableHeader", "状态"),
    QT_TRANSLATE_NOOP("TableHeader", "原因"),
    QT_TRANSLATE_NOOP("TableHeader", "标题"),
    # likely duplicates (疑似重复登记排查)
    QT_TRANSLATE_NOOP("TableHeader", "疑似原因"),
    QT_TRANSLATE_NOOP("TableHeader", "甲"),
    QT_TRANSLATE_NOOP("TableHeader", "乙"),
    QT_TRANSLATE_NOOP("TableHeader", "判定"),
    # money: receipts, books, day close, unpaid list
    QT_TRANSLATE_NOOP("TableHeader", "票据号码"),
    QT_TRANSLATE_NOOP("TableHeader", "号码"),
    QT_TRANSLATE_NOOP("TableHeader", "参保人"),
    QT_TRANSLATE_NOOP("TableHeader", "年度"),
    QT_TRANSLATE_NOOP("TableHeader", "档次"),
    QT_TRANSLATE_NOOP("TableHeader", "金额"),
    QT_TRANSLATE_NOOP("TableHeader", "金额（元）"),
    QT_TRANSLATE_NOOP("TableHeader", "重打"),
    QT_TRANSLATE_NOOP("TableHeader", "字轨"),
    QT_TRANSLATE_NOOP("TableHeader", "号码段"),
    QT_TRANSLATE_NOOP("TableHeader", "领用人"),
    QT_TRANSLATE_NOOP("TableHeader", "下一个号码"),
    QT_TRANSLATE_NOOP("TableHeader", "开具"),
    QT_TRANSLATE_NOOP("TableHeader", "作废"),
    QT_TRANSLATE_NOOP("TableHeader", "遗失"),
    QT_TRANSLATE_NOOP("TableHeader", "未用"),
    QT_TRANSLATE_NOOP("TableHeader", "上次缴费"),
    # the estimate (documents/estimate.py ESTIMATE_HEADER)
    QT_TRANSLATE_NOOP("TableHeader", "缴费档次"),
    QT_TRANSLATE_NOOP("TableHeader", "个人每年缴"),
    QT_TRANSLATE_NOOP("TableHeader", "政府补贴/年"),
    QT_TRANSLATE_NOOP("TableHeader", "政府代缴/年"),
    QT_TRANSLATE_NOOP("TableHeader", "集体补助/年"),
    QT_TRANSLATE_NOOP("TableHeader", "每年记入账户"),
    QT_TRANSLATE_NOOP("TableHeader", "个人累计缴"),
    QT_TRANSLATE_NOOP("TableHeader", "到龄时账户余额"),
    QT_TRANSLATE_NOOP("TableHeader", "个人账户养老金/月"),
    QT_TRANSLATE_NOOP("TableHeader", "月养老金合计"),
    # pensioners: reaching 60, survival checks, deaths
    QT_TRANSLATE_NOOP("TableHeader", "年满60周岁"),
    QT_TRANSLATE_NOOP("TableHeader", "最早起始年月"),
    QT_TRANSLATE_NOOP("TableHeader", "已缴年限"),
    QT_TRANSLATE_NOOP("TableHeader", "尚缺年限"),
    QT_TRANSLATE_NOOP("TableHeader", "通知日期"),
    QT_TRANSLATE_NOOP("TableHeader", "办理状态"),
    QT_TRANSLATE_NOOP("TableHeader", "认证状态"),
    QT_TRANSLATE_NOOP("TableHeader", "上次认证"),
    QT_TRANSLATE_NOOP("TableHeader", "认证方式"),
    QT_TRANSLATE_NOOP("TableHeader", "周期截止"),
    QT_TRANSLATE_NOOP("TableHeader", "剩余天数"),
    QT_TRANSLATE_NOOP("TableHeader", "死亡日期"),
    QT_TRANSLATE_NOOP("TableHeader", "停发年月"),
    QT_TRANSLATE_NOOP("TableHeader", "多领金额"),
    QT_TRANSLATE_NOOP("TableHeader", "丧葬补助金"),
    QT_TRANSLATE_NOOP("TableHeader", "抵扣"),
    QT_TRANSLATE_NOOP("TableHeader", "实发"),
    QT_TRANSLATE_NOOP("TableHeader", "账户余额"),
    QT_TRANSLATE_NOOP("TableHeader", "垫付未还"),
    QT_TRANSLATE_NOOP("TableHeader", "继承人"),
    # public notices and objections
    QT_TRANSLATE_NOOP("TableHeader", "张贴日期"),
    QT_TRANSLATE_NOOP("TableHeader", "公示期至"),
    QT_TRANSLATE_NOOP("TableHeader", "人数"),
    QT_TRANSLATE_NOOP("TableHeader", "异议"),
    QT_TRANSLATE_NOOP("TableHeader", "提出日期"),
    QT_TRANSLATE_NOOP("TableHeader", "提出人"),
    QT_TRANSLATE_NOOP("TableHeader", "异议内容"),
    QT_TRANSLATE_NOOP("TableHeader", "处理结果"),
    # reports (services/progress.py Measure: rate, denominator, numerator)
    QT_TRANSLATE_NOOP("TableHeader", "参保率"),
    QT_TRANSLATE_NOOP("TableHeader", "应参保"),
    QT_TRANSLATE_NOOP("TableHeader", "已参保"),
    QT_TRANSLATE_NOOP("TableHeader", "缴费率"),
    QT_TRANSLATE_NOOP("TableHeader", "应缴费"),
    QT_TRANSLATE_NOOP("TableHeader", "已缴费"),
    QT_TRANSLATE_NOOP("TableHeader", "发放率"),
    QT_TRANSLATE_NOOP("TableHeader", "应发放"),
    QT_TRANSLATE_NOOP("TableHeader", "正常发放"),
    QT_TRANSLATE_NOOP("TableHeader", "认证率"),
    QT_TRANSLATE_NOOP("TableHeader", "应认证"),
    QT_TRANSLATE_NOOP("TableHeader", "已认证"),
)


def heading(text: str) -> str:
    """``text`` (a Chinese column heading) in the language of the interface."""
    return QCoreApplication.translate(CONTEXT, text)
