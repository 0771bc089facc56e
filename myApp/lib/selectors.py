"""Read helpers shared by every app's selectors and viewsets."""

from django.db.models import Q, QuerySet


def owned_by(queryset: QuerySet, *, user, owner_fields: tuple[str, ...]) -> QuerySet:
    """Rows where any of ``owner_fields`` is ``user``; staff see every row."""
    if user.is_staff:
        return queryset
    ownership = Q()
    for field in owner_fields:
        ownership |= Q(**{field: user})
    return queryset.filter(ownership)
