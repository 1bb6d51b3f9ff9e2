"""factory_boy factories shared by the tests."""

from __future__ import annotations

import factory

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.core.search import searchable
from danvan.units.models import Era, Kind, Level, Unit
from danvan.units.services import child_path


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Cán Bộ {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    is_official = True
    password = factory.django.Password("mat-khau-an-toan-2025")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = None  # must be given: a commune
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Thôn {n}")
    level = Level.VILLAGE
    kind = Kind.VILLAGE
    era = Era.CURRENT
    path = factory.LazyAttribute(lambda u: child_path(u.parent.path, u.code))
    search_text = factory.LazyAttribute(lambda u: searchable(u.name))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.HANDLER
    unit = None  # must be given
