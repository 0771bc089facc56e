"""The API's ``OPTIONS`` answers (``REST_FRAMEWORK["DEFAULT_METADATA_CLASS"]``). A module of its own: DRF reads the
setting while ``rest_framework.views`` is imported, so it must not import the views itself."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request


class FieldsMetadata(SimpleMetadata):
    """``OPTIONS`` describes what a route's PUT and POST take without looking an object up. DRF's own calls
    ``get_object()`` for a PUT, which a collection route that takes PUT (``/api/v1/clients/retention-policy/``)
    cannot answer (a 500 found by the fuzz test); and on an object route it told an existing object from a missing
    one by whether the fields were listed."""

    def determine_actions(self, request, view) -> dict:
        actions = {}
        for method in {"PUT", "POST"} & set(view.allowed_methods):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
            except (exceptions.APIException, PermissionDenied, Http404):
                continue
            else:
                actions[method] = self.get_serializer_info(view.get_serializer())
            finally:
                view.request = request
        return actions
