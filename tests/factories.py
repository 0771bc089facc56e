"""Factories that build state through the real services, as users would."""

from decimal import Decimal

import factory

from myApp.accounts import services
from myApp.accounts.models import Role, User
from myApp.curriculum import models as curriculum

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


def link_parent_and_child(*, parent: User, child: User, share: bool = False):
    """Link them as people do: the child makes a pairing code, the parent enters it, and the
    child grants sharing when ``share``."""
    _, code = services.pairing_code_create(child=child)
    link = services.pairing_code_redeem(parent=parent, code=code)
    return services.child_consent_set(link=link, by=child, share=True) if share else link


# --- Curriculum content (staff-managed data, so plain ORM rows) ---------------------

STEPS = [
    {"prompt": "What makes an opening memorable?", "kind": "text"},
    {"prompt": "Pick the strongest opener.", "kind": "choice", "choices": ["A question", "An apology"]},
    {"prompt": "How confident do you feel?", "kind": "scale"},
]


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.Level

    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda level: f"Level {level.number}")
    milestone_threshold = 70


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.Module

    level = factory.SubFactory(LevelFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.LazyAttribute(lambda module: "ABCD"[module.order % 4])
    title = factory.LazyAttribute(lambda module: f"Module {module.code}")
    xp_reward = 50
    coin_reward = 10
    ticket_reward = 2


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.Lesson

    module = factory.SubFactory(ModuleFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.LazyAttribute(lambda lesson: f"Lesson {lesson.order}")
    steps = factory.LazyFunction(lambda: [dict(step) for step in STEPS])
    xp_reward = 10


class KnowledgeBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.KnowledgeBlock

    module = factory.SubFactory(ModuleFactory)
    order = factory.Sequence(lambda n: n)
    title = "Opening strong"
    summary = "Start with a question or a story."
    body = "An opening earns the audience's attention in the first thirty seconds."


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.District

    slug = factory.Sequence(lambda n: f"district-{n}")
    name = factory.LazyAttribute(lambda district: district.slug.title())


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.Venue

    district = factory.SubFactory(DistrictFactory)
    module = factory.SubFactory(ModuleFactory)
    slug = factory.Sequence(lambda n: f"venue-{n}")
    name = factory.LazyAttribute(lambda venue: venue.slug.title())
    ticket_cost = 1
    xp_reward = 20
    coin_reward = 5


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = curriculum.Course

    title = factory.Sequence(lambda n: f"Course {n}")
    course_number = factory.Sequence(lambda n: 100 + n)
    course_order = factory.Sequence(lambda n: n)
    country = "India"
    price = Decimal("0.00")
