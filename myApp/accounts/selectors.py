"""Reads for accounts that are more than one ORM call."""

from django.db.models import QuerySet

from myApp.accounts.models import ChildPrivacySettings, User
from myApp.lib.selectors import owned_by

CHILD_LINK_OWNERS = ("parent", "child")


def child_links() -> QuerySet[ChildPrivacySettings]:
    return ChildPrivacySettings.objects.select_related("parent", "child", "consent_changed_by").order_by(
        "-created_at", "-pk"
    )


def child_links_for_user(*, user: User) -> QuerySet[ChildPrivacySettings]:
    """Links where the user is the parent or the child; staff see every link."""
    return owned_by(child_links(), user=user, owner_fields=CHILD_LINK_OWNERS)


def user_with_profile(*, user: User) -> User:
    return User.objects.select_related("profile").get(pk=user.pk)
