"""factory_boy factories: synthetic clinics, users and patients for tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tracker.models import Clinic, Patient

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
