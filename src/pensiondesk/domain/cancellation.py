"""Death and cancellation arithmetic (死亡注销): stop month, overpayment, funeral subsidy (domain.md §7, §10).

The rules, stated once:

* **Stop month (停发年月).** The pension stops the month after the month of death: the month of death is still
  paid, the next is the first month not due. Died 2026-03-15 → stop month 2026-04 (also when death is on the
  1st or the last day of the month).

* **Overpayment (多领养老金).** Every month from the stop month through the month the pension was last paid
  (*paid through*) was paid without being due: ``months = paid_through − stop_month + 1`` (0 when payment had
  already stopped), ``amount = months × monthly pension``.
  Worked example: died 2026-03-15, stop month 2026-04, the bank paid through 2026-06 (reported late, in July),
  monthly pension 163.00 元 → April, May, June = 3 months × 163.00 = 489.00 元 overpaid.

* **Funeral subsidy (丧葬补助金)** [local: amount from the policy pack; Longjing pays 600 元]. Paid once to the
  legal heir of a pensioner who died while receiving benefits. It is refused, in this order of checking:
  no grant in the pack (本地政策未设), imprisoned at death (正在服刑), benefits stopped before death (死亡前已停发),
  not yet receiving at death (未领取待遇), another funeral grant received (已享受其他丧葬补助). When it is paid it
  first offsets the overpayment caused by late reporting: ``offset = min(grant, overpaid)``,
  ``payable = grant − offset``; what the grant cannot cover stays to be recovered (追回) from the heir.
  Worked examples with a 600.00 元 grant: overpaid 489.00 → offset 489.00, payable 111.00, nothing left to
  recover; overpaid 815.00 (5 × 163.00) → offset 600.00, payable 0.00, 215.00 still to recover; refused
  because benefits had stopped → offset 0, payable 0, the whole overpayment to recover.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pensiondesk.domain.pension import YearMonth, add_months, months_between

__all__ = [
    "BenefitAtDeath",
    "FuneralRefusal",
    "FuneralSettlement",
    "Overpayment",
    "funeral_settlement",
    "overpayment",
    "stop_month",
]


def stop_month(death_date: date) -> YearMonth:
    """停发年月: the first month not paid, the month after the month of death."""
    return add_months(YearMonth(death_date.year, death_date.month), 1)


@dataclass(frozen=True, slots=True)
class Overpayment:
    """多领养老金: months paid after the stop month and their amount in fen."""

    months: int
    amount_fen: int


def overpayment(stop: YearMonth, paid_through: YearMonth | None, monthly_fen: int) -> Overpayment:
    """Months from ``stop`` through ``paid_through`` (inclusive) times ``monthly_fen``; none if not paid."""
    if monthly_fen < 0:
        raise ValueError(f"monthly pension cannot be negative: {monthly_fen} fen")
    if paid_through is None:
        return Overpayment(0, 0)
    months = max(0, months_between(stop, paid_through) + 1)
    return Overpayment(months, months * monthly_fen)


class BenefitAtDeath(StrEnum):
    """Whether the person was being paid a pension when they died."""

    RECEIVING = "receiving"  # 领取待遇期间死亡
    STOPPED = "stopped"  # 死亡前已停发（暂停）
    NOT_RECEIVING = "not_receiving"  # 尚未领取待遇（参保缴费人员等）


class FuneralRefusal(StrEnum):
    """Why no funeral subsidy is paid (不予支付丧葬补助金的原因)."""

    NO_LOCAL_GRANT = "no_local_grant"
    IMPRISONED = "imprisoned"
    STOPPED_BEFORE_DEATH = "stopped_before_death"
    NOT_RECEIVING = "not_receiving"
    OTHER_GRANT = "other_grant"

    @property
    def label(self) -> str:
        return _REFUSAL_LABELS[self]


_REFUSAL_LABELS = {
    FuneralRefusal.NO_LOCAL_GRANT: "本地政策未设丧葬补助金",
    FuneralRefusal.IMPRISONED: "死亡时正在服刑，不予支付",
    FuneralRefusal.STOPPED_BEFORE_DEATH: "死亡前已停发养老金，不予支付",
    FuneralRefusal.NOT_RECEIVING: "死亡时尚未领取养老金，不予支付",
    FuneralRefusal.OTHER_GRANT: "已享受其他丧葬补助，不重复支付",
}


@dataclass(frozen=True, slots=True)
class FuneralSettlement:
    """丧葬补助金 with the offset of the overpayment, in fen."""

    grant_fen: int  # 应发丧葬补助金 (0 when refused)
    offset_fen: int  # 抵扣多领养老金
    payable_fen: int  # 实发 (to the heir's bank or social security card, never cash)
    overpaid_fen: int  # 多领养老金
    to_recover_fen: int  # 仍需追回的多领养老金
    refusal: FuneralRefusal | None = None

    @property
    def refusal_reason(self) -> str | None:
        return self.refusal.label if self.refusal else None


def funeral_settlement(
    grant_fen: int | None,
    *,
    benefit_at_death: BenefitAtDeath,
    imprisoned: bool = False,
    other_funeral_grant: bool = False,
    overpaid_fen: int = 0,
) -> FuneralSettlement:
    """The funeral subsidy for one death (see the module docstring for the order of refusals and the offset).

    ``grant_fen`` is the pack's amount (``pack.funeral_grant.amount``) or ``None`` when the pack sets none.
    """
    if overpaid_fen < 0:
        raise ValueError(f"overpayment cannot be negative: {overpaid_fen} fen")
    refusal: FuneralRefusal | None = None
    if not grant_fen:
        refusal = FuneralRefusal.NO_LOCAL_GRANT
    elif imprisoned:
        refusal = FuneralRefusal.IMPRISONED
    elif benefit_at_death is BenefitAtDeath.STOPPED:
        refusal = FuneralRefusal.STOPPED_BEFORE_DEATH
    elif benefit_at_death is BenefitAtDeath.NOT_RECEIVING:
        refusal = FuneralRefusal.NOT_RECEIVING
    elif other_funeral_grant:
        refusal = FuneralRefusal.OTHER_GRANT
    if refusal is not None or grant_fen is None:
        return FuneralSettlement(0, 0, 0, overpaid_fen, overpaid_fen, refusal)
    offset = min(grant_fen, overpaid_fen)
    return FuneralSettlement(grant_fen, offset, grant_fen - offset, overpaid_fen, overpaid_fen - offset, None)
