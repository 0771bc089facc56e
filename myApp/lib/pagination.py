from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


class Pagination(PageNumberPagination):
    """Page-number pagination: ``page`` from 1 (400 if not a whole number from 1; a page past the end is 404),
    ``page_size`` 1-100 (400 outside).

    A view whose rows a stored counter already counts defines ``known_row_count()`` (an int, or None to count):
    a page then costs the same at any number of rows, where ``COUNT(*)`` grows with them."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        # Not a page number at all ("abc", "0", "-1", "1.5"): a 400 naming the field, like a bad page_size; a
        # well-formed number past the end stays 404. DRF's own "last" is kept.
        if raw is not None and raw not in self.last_page_strings and not (raw.isascii() and raw.isdigit() and int(raw)):
            raise ValidationError({self.page_query_param: ["A whole number from 1."]})
        known = getattr(view, "known_row_count", None)
        count = known() if known is not None else None
        self.django_paginator_class = Paginator if count is None else partial(KnownCountPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = f"Rows per page, 1-{self.max_page_size} (default {self.page_size})."
        return parameters
