"""Factories that build state through the real services, as users would."""

import factory

from myApp.accounts import services
from myApp.accounts.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = PASSWORD
    role = Role.LEARNER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.user_create(**kwargs)


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True
    is_superuser = True


class ParentFactory(UserFactory):
    role = Role.PARENT
