"""factory_boy factories: synthetic clinics, users, patients and every kind of clinical record."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.record_kinds import record_model
from tracker.models import (
    Clinic,
    Patient,
)
from tracker.services.labs import lab_result_record
from tracker.services.patients import checklist_save
from tracker.services.records import (
    engraftment_save,
    imaging_record,
    ncs_study_record,
    symptom_report_record,
    treatment_record,
    visit_record,
)
from tracker.services.whole_record import (
    event_record,
    lesion_record,
    marrow_record,
    medication_record,
    referral_record,
)

PASSWORD = "correct-horse-battery-9"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"clinic{n}")
    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()

    @factory.post_generation
    def clinics(self, create, extracted, **kwargs):
        for clinic in extracted or []:
            clinic.members.add(self)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"T{n:05d}")
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    birth_date = datetime.date(1970, 5, 17)
    sex = "female"
    clinic = factory.SubFactory(ClinicFactory)


# --- clinical records: one line per record in a test -----------------------------------------
# Each factory saves through the record's own service (the one write path), so a factory-made
# record is validated, converted (labs), audited and in history exactly like one entered on a
# form. Flags are not re-evaluated unless a test asks: pass `evaluate=True`. Models come from
# the record-type registry, by kind.


def _day(n: int) -> datetime.date:
    """A distinct clinical date per record, so natural keys never collide."""
    return datetime.date(2020, 1, 1) + datetime.timedelta(days=n)


class _ServiceFactory(factory.django.DjangoModelFactory):
    """Creates through `service(actor=..., evaluate=..., **fields)` instead of `Model.objects.create`."""

    class Meta:
        abstract = True

    @classmethod
    def service(cls):
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, actor=None, evaluate=False, **fields):
        return cls.service()(actor=actor, evaluate=evaluate, **fields)


class TreatmentFactory(_ServiceFactory):
    class Meta:
        model = record_model("treatment")

    patient = factory.SubFactory(PatientFactory)
    category = "systemic_anti_plasma_cell"
    intent = "frontline"
    regimen = "Rd"
    start_date = factory.Sequence(_day)

    @classmethod
    def service(cls):
        return treatment_record


class VisitFactory(_ServiceFactory):
    class Meta:
        model = record_model("visit")

    patient = factory.SubFactory(PatientFactory)
    visit_date = factory.Sequence(_day)
    onls_arm = 1
    onls_leg = 1

    @classmethod
    def service(cls):
        return visit_record


class ImagingStudyFactory(_ServiceFactory):
    class Meta:
        model = record_model("imaging")

    patient = factory.SubFactory(PatientFactory)
    study_date = factory.Sequence(_day)
    modality = "pet_ct"

    @classmethod
    def service(cls):
        return imaging_record


class MarrowBiopsyFactory(_ServiceFactory):
    class Meta:
        model = record_model("marrow")

    patient = factory.SubFactory(PatientFactory)
    biopsy_date = factory.Sequence(_day)
    plasma_cells_pct = Decimal("4.0")
    clonality = "lambda"
    method = "trephine, CD138"

    @classmethod
    def service(cls):
        return marrow_record


class ClinicalEventFactory(_ServiceFactory):
    class Meta:
        model = record_model("event")

    patient = factory.SubFactory(PatientFactory)
    event = "dvt"
    onset_date = factory.Sequence(_day)
    grade = 2

    @classmethod
    def service(cls):
        return event_record


class ImagingLesionFactory(_ServiceFactory):
    """A lesion; its imaging study (same patient, date and modality) is recorded first if need be."""

    class Meta:
        model = record_model("lesion")

    patient = factory.SubFactory(PatientFactory)
    study_date = factory.Sequence(_day)
    modality = "pet_ct"
    site = "L3 vertebral body"
    appearance = "sclerotic"
    size_mm = Decimal("18.0")
    suv_max = Decimal("4.2")
    lesion_status = "known"

    @classmethod
    def service(cls):
        return lesion_record

    @classmethod
    def _create(cls, model_class, *args, actor=None, evaluate=False, **fields):
        study = {key: fields[key] for key in ("patient", "study_date", "modality")}
        if not record_model("imaging").objects.filter(**study).exists():
            imaging_record(actor=actor, evaluate=False, **study)
        return super()._create(model_class, *args, actor=actor, evaluate=evaluate, **fields)


class MedicationFactory(_ServiceFactory):
    class Meta:
        model = record_model("medication")

    patient = factory.SubFactory(PatientFactory)
    drug = "pregabalin"
    dose = Decimal("75")
    dose_unit = "mg"
    frequency = "twice daily"
    start_date = factory.Sequence(_day)

    @classmethod
    def service(cls):
        return medication_record


class ReferralFactory(_ServiceFactory):
    class Meta:
        model = record_model("referral")

    patient = factory.SubFactory(PatientFactory)
    referred_on = factory.Sequence(_day)
    referral_status = "requested"

    # The model's `service` field would clash with the `service()` hook, so the field is set
    # here and the hook is bypassed.
    @classmethod
    def _create(cls, model_class, *args, actor=None, evaluate=False, **fields):
        fields.setdefault("service", "rehabilitation")
        return referral_record(actor=actor, evaluate=evaluate, **fields)


class SymptomReportFactory(_ServiceFactory):
    class Meta:
        model = record_model("symptoms")

    patient = factory.SubFactory(PatientFactory)
    reported_on = factory.Sequence(_day)
    source = "staff"
    numbness_tingling = 3

    @classmethod
    def service(cls):
        return symptom_report_record


class LabResultFactory(_ServiceFactory):
    """`value` and `unit` as typed (unit blank: the analyte's canonical unit), converted by the service."""

    class Meta:
        model = record_model("lab")

    patient = factory.SubFactory(PatientFactory)
    analyte = "vegf"
    specimen = "serum"
    collected_on = factory.Sequence(_day)
    value = "500"

    @classmethod
    def service(cls):
        return lab_result_record


class NerveConductionStudyFactory(_ServiceFactory):
    """One study with one motor row (peroneal, left) unless `rows` says otherwise."""

    class Meta:
        model = record_model("ncs")

    patient = factory.SubFactory(PatientFactory)
    study_date = factory.Sequence(_day)
    rows = factory.LazyFunction(
        lambda: [{"nerve": "peroneal", "side": "left", "kind": "motor", "cmap_amp_mv": Decimal("2.5")}]
    )

    @classmethod
    def service(cls):
        return ncs_study_record


class DiagnosticChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = record_model("checklist")

    patient = factory.SubFactory(PatientFactory)

    @classmethod
    def _create(cls, model_class, *args, actor=None, **fields):
        return checklist_save(actor=actor, **fields)


class EngraftmentSyndromeFactory(factory.django.DjangoModelFactory):
    """For an ASCT treatment (made here unless given)."""

    class Meta:
        model = record_model("engraftment")

    treatment = factory.SubFactory(TreatmentFactory, category="asct", intent="frontline", regimen="HDM-ASCT")
    present = False

    @classmethod
    def _create(cls, model_class, *args, actor=None, **fields):
        return engraftment_save(actor=actor, **fields)
