"""The demo timelines' later parts of the whole record: a restaging marrow, supportive care
(nerve-pain drugs, an anticoagulant after a thrombosis, referrals), and the outcome events
(a confirmed progression, one death). Fixed values relative to the course, no random draws,
so the random series of `demo_timeline` stay as they were. Every value is invented."""

import datetime
from decimal import Decimal

from tracker.services.whole_record import event_record, marrow_record, medication_record, referral_record


def _days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def restaging_marrow(builder, dates) -> None:
    """After an ASCT, the marrow at about six months: clear (< 5% plasma cells, IMWG CR)."""
    if builder.kind != "cr_asct" or len(dates) < 2:
        return
    marrow_record(
        patient=builder.patient,
        actor=builder.actor,
        evaluate=False,
        biopsy_date=_days(dates[1], 3),
        plasma_cells_pct=Decimal("1.0"),
        clonality="none",
        method="Trephine with CD138 immunohistochemistry",
        notes="Restaging after ASCT: no clonal plasma cells.",
    )


def supportive_care(builder, course, dates) -> None:
    """A nerve-pain drug from the baseline visit (NICE CG173 choices), physiotherapy, and what
    the archetype adds: duloxetine and a pain clinic when the neuropathy worsens, apixaban
    after the DVT of a partial responder."""
    p, a = builder.patient, builder.actor
    pain_drug = ("pregabalin", "75", "twice daily") if p.sex == "female" else ("amitriptyline", "10", "at night")
    medication_record(
        patient=p,
        actor=a,
        evaluate=False,
        drug=pain_drug[0],
        dose=Decimal(pain_drug[1]),
        dose_unit="mg",
        frequency=pain_drug[2],
        start_date=course.baseline_on,
        notes="Burning pain and paraesthesia in both feet.",
    )
    referral_record(
        patient=p,
        actor=a,
        evaluate=False,
        service="rehabilitation",
        referred_on=course.baseline_on,
        referral_status="discharged" if len(dates) >= 4 else "seen",
        status_on=_days(dates[3], 7) if len(dates) >= 4 else _days(course.anchor, 14),
        notes="Gait and balance training; ankle-foot orthoses.",
    )
    if builder.kind == "neuro_worse" and dates:
        medication_record(
            patient=p,
            actor=a,
            evaluate=False,
            drug="duloxetine",
            dose=Decimal("60"),
            dose_unit="mg",
            frequency="once daily",
            start_date=dates[-1],
        )
        referral_record(patient=p, actor=a, evaluate=False, service="pain", referred_on=dates[-1])
    if builder.kind == "rd_pr":
        dvt_on = _days(course.anchor, -120)
        medication_record(
            patient=p,
            actor=a,
            evaluate=False,
            drug="apixaban",
            dose=Decimal("5"),
            dose_unit="mg",
            frequency="twice daily",
            start_date=dvt_on,
            stop_date=_days(dvt_on, 182),
            notes="Six months for the treatment-related DVT.",
        )


def outcome_events(builder, course, dates) -> None:
    """A progression confirmed in clinic after the new PET lesion; for the deceased demo patient,
    palliative care and the death after the last follow-up."""
    p, a = builder.patient, builder.actor
    if builder.kind == "rt_radiological" and len(dates) >= 2:
        event_record(
            patient=p,
            actor=a,
            evaluate=False,
            event="progression",
            onset_date=_days(dates[-1], 9),
            notes="New FDG-avid lesion on PET-CT; radiological progression confirmed in clinic.",
        )
    if builder.deceased:
        referral_record(
            patient=p,
            actor=a,
            evaluate=False,
            service="palliative",
            referred_on=_days(course.end, -30),
            referral_status="seen",
            status_on=_days(course.end, -16),
        )
        event_record(
            patient=p,
            actor=a,
            evaluate=False,
            event="death",
            onset_date=_days(course.end, 5),
            grade=5,
            ctcae_term="Lung infection",
            treatment_related=False,
            cause="Aspiration pneumonia with advanced neuropathy",
        )
