"""Read helpers shared by every app's selectors and viewsets."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from myApp.lib.exceptions import NotAllowed


def owned_by(queryset: QuerySet, *, user, owner_fields: tuple[str, ...]) -> QuerySet:
    """Rows where any of ``owner_fields`` is ``user``; staff see every row."""
    if user.is_staff:
        return queryset
    ownership = Q()
    for field in owner_fields:
        ownership |= Q(**{field: user})
    return queryset.filter(ownership)


def user_acting_for(*, actor, user_id: int | None):
    """The user a request names in ``user_id``: the caller's own (the default), or anyone's for staff.

    A non-staff caller naming another user gets 403 whether or not that user
    exists, so the answer reveals nothing; staff naming an unknown user get 404.
    """
    if user_id is None or user_id == actor.pk:
        return actor
    if not actor.is_staff:
        raise NotAllowed("user_id must be your own.", errors={"user_id": ["You can only act for yourself."]})
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("No such user.")
    return user
