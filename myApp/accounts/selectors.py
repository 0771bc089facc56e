"""Reads for accounts that are more than one ORM call."""

from django.db.models import QuerySet

from myApp.accounts.models import ChildPrivacySettings, User

CHILD_LINK_OWNERS = ("parent", "child")


def child_links() -> QuerySet[ChildPrivacySettings]:
    return ChildPrivacySettings.objects.select_related("parent", "child", "consent_changed_by").order_by(
        "-created_at", "-pk"
    )


def user_with_profile(*, user: User) -> User:
    return User.objects.select_related("profile").get(pk=user.pk)
