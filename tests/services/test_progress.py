"""Progress figures (四率) against a worked example whose every count is derived by hand below."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from pensiondesk.domain.codes import PersonStatus, ReviewState, SurvivalMethod, SuspensionReason
from pensiondesk.services.pensioner_demo import add_resident, small_village
from pensiondesk.services.progress import Figure, Measure, progress_list, progress_report
from pensiondesk.store.db import Database, open_database
from pensiondesk.store.models import BenefitCase, Contribution, Person, SurvivalCheck

AS_OF = date(2026, 11, 20)  # cut-off 2026-06-30: 16 means born on or before 2010-06-30; cycle window from 2025-11-01


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "village.sqlite")
    yield database
    database.close()


def _paid(session: Session, person: Person, year: int, *, reversed_: bool = False) -> None:
    row = Contribution(person_id=person.id, year=year, tier_fen=200_00, personal_fen=200_00, paid_on=date(year, 4, 1))
    session.add(row)
    session.flush()
    if reversed_:
        session.add(
            Contribution(
                person_id=person.id,
                year=year,
                tier_fen=200_00,
                personal_fen=-200_00,
                paid_on=date(year, 5, 1),
                reverses_id=row.id,
            )
        )


def _approved(session: Session, person: Person, day: date) -> None:
    session.add(BenefitCase(person_id=person.id, reaches_60_on=day, review_state=ReviewState.APPROVED, approved_on=day))


def _checked(session: Session, person: Person, day: date) -> None:
    session.add(
        SurvivalCheck(person_id=person.id, checked_on=day, method=SurvivalMethod.HOME_VISIT, certifier="协办员")
    )


@pytest.fixture
def village(db: Database) -> None:
    with db.session() as s:
        village_id, (g1, g2, _g3) = small_village(s, groups=("一组", "二组", "三组"))
        n = iter(range(1, 100))

        def add(name: str, group: str, birth: date, status: PersonStatus, **kw: object) -> Person:
            return add_resident(
                s,
                village_id=village_id,
                group_id=group,
                name=name,
                birth_date=birth,
                status=status,
                sequence=next(n),
                **kw,
            )  # type: ignore[arg-type]

        c, r, ne = PersonStatus.CONTRIBUTING, PersonStatus.RECEIVING, PersonStatus.NOT_ENROLLED
        a = add("甲", g1, date(1980, 3, 1), c)
        _paid(s, a, 2026)  # paid this year
        b = add("乙", g1, date(1985, 3, 1), c)
        _paid(s, b, 2025)  # only last year: on the 催缴名单
        add("丙", g1, date(1990, 3, 1), ne)  # eligible, not enrolled
        add("丁", g1, date(2010, 7, 1), ne)  # 15 at the cut-off: not counted
        add("戊", g1, date(2010, 6, 30), ne)  # 16 on the cut-off day: eligible, not enrolled
        student = add("己", g1, date(2005, 3, 1), ne)
        student.is_student = True  # excluded
        g = add("庚", g1, date(1950, 3, 1), r)
        _approved(s, g, date(2020, 1, 10))
        _checked(s, g, date(2026, 1, 5))  # within the cycle
        h = add("辛", g1, date(1952, 3, 1), r)
        _approved(s, h, date(2019, 5, 1))
        _checked(s, h, date(2025, 10, 31))  # cycle ended 2026-10-31: not certified
        i = add(
            "壬", g2, date(1948, 3, 1), PersonStatus.SUSPENDED, status_reason=SuspensionReason.NO_SURVIVAL_PROOF.value
        )
        _approved(s, i, date(2010, 1, 1))
        _checked(s, i, date(2024, 5, 1))
        j = add("癸", g2, date(1949, 3, 1), r)
        _approved(s, j, date(2026, 3, 1))  # newly approved: certified by the approval
        add("子", g2, date(1949, 3, 1), PersonStatus.TERMINATED)
        ell = add("丑", g2, date(1970, 3, 1), c)
        _paid(s, ell, 2026, reversed_=True)  # reversed: does not count
        s.flush()


def _rates(figures: dict[Measure, Figure]) -> list[tuple[int, int, str]]:
    return [(f.numerator, f.denominator, f.rate_text) for f in figures.values()]


def test_worked_example(db: Database, village: None) -> None:
    with db.session() as s:
        report = progress_report(s, as_of=AS_OF)
    one, two, three = report.groups
    # 一组: eligible 甲乙丙戊庚辛 (6), enrolled 甲乙庚辛 (4); contributors 甲乙, paid 甲; pensioners 庚辛, both paid
    # normally; certified 庚 only.
    assert _rates(one.figures) == [(4, 6, "66.67%"), (1, 2, "50.00%"), (2, 2, "100.00%"), (1, 2, "50.00%")]
    # 二组: eligible 壬癸丑 (子 is terminated), all enrolled; contributor 丑 whose payment was reversed; pensioners
    # 壬 (suspended) and 癸 (paid); certified 癸 (approved 2026-03-01, inside the cycle window).
    assert _rates(two.figures) == [(3, 3, "100.00%"), (0, 1, "0.00%"), (1, 2, "50.00%"), (1, 2, "50.00%")]
    assert _rates(three.figures) == [(0, 0, "—")] * 4
    assert three[Measure.ENROLMENT].rate is None
    assert _rates(report.total.figures) == [(7, 9, "77.78%"), (1, 3, "33.33%"), (3, 4, "75.00%"), (2, 4, "50.00%")]
    assert report.total[Measure.ENROLMENT].rate == Decimal("77.78")
    assert report.cutoff == date(2026, 6, 30) and report.year == 2026
    assert [g.name for g in report.groups] == ["一组", "二组", "三组"]


def test_lists_behind_the_figures(db: Database, village: None) -> None:
    with db.session() as s:
        unpaid = progress_list(s, Measure.PAYMENT, as_of=AS_OF)
        assert [(p.name, p.detail) for p in unpaid] == [("乙", "上次缴费 2025 年"), ("丑", "从未缴费")]
        assert [p.name for p in progress_list(s, Measure.ENROLMENT, as_of=AS_OF)] == ["丙", "戊"]
        assert [p.name for p in progress_list(s, Measure.BENEFIT, as_of=AS_OF)] == ["壬"]
        uncertified = progress_list(s, Measure.CERTIFICATION, as_of=AS_OF)
        assert [(p.name, p.detail) for p in uncertified] == [
            ("辛", "上次认证 2025-10-31"),
            ("壬", "上次认证 2024-05-01"),
        ]
        done = progress_list(s, Measure.CERTIFICATION, as_of=AS_OF, missing=False)
        assert sorted(p.name for p in done) == ["庚", "癸"]
        report = progress_report(s, as_of=AS_OF)
        first = report.groups[0].group_id
        assert [p.name for p in progress_list(s, Measure.ENROLMENT, as_of=AS_OF, group_id=first)] == ["丙", "戊"]
        # Every list has exactly the missing count of its figure.
        for measure in Measure:
            assert len(progress_list(s, measure, as_of=AS_OF)) == report.total[measure].missing
