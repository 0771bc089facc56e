"""``lib.api.validated_query``: a query serializer's answer, remembered only where that cannot change it."""

import itertools
import uuid

import pytest
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from myApp.lib import api


class Query(serializers.Serializer):
    session_id = serializers.UUIDField()
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=200)
    user_id = serializers.IntegerField(required=False, min_value=1)  # optional, no default


_ticks = itertools.count()


class WithCallableDefault(serializers.Serializer):
    tick = serializers.IntegerField(required=False, default=lambda: next(_ticks))


class WithList(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


def test_answer_is_the_serializers_and_a_fresh_dict_each_time():
    session = uuid.uuid4()
    query = QueryDict(f"session_id={session}&limit=50")
    first = api.validated_query(Query, query)
    assert first == {"session_id": session, "limit": 50}
    first["limit"] = 1  # a caller changing its answer does not change the next caller's
    assert api.validated_query(Query, query) == {"session_id": session, "limit": 50}


def test_repeated_key_takes_the_last_value_as_drf_does():
    session = uuid.uuid4()
    assert api.validated_query(Query, QueryDict(f"session_id={session}&limit=3&limit=7"))["limit"] == 7


def test_defaults_apply_and_the_order_of_keys_does_not_matter():
    session = uuid.uuid4()
    assert api.validated_query(Query, QueryDict(f"session_id={session}"))["limit"] == 20
    assert api.validated_query(Query, QueryDict(f"limit=9&session_id={session}")) == api.validated_query(
        Query, QueryDict(f"session_id={session}&limit=9")
    )


def test_invalid_input_raises_every_time_with_field_messages():
    query = QueryDict("session_id=not-a-uuid&limit=0")
    for _ in range(2):
        with pytest.raises(ValidationError) as raised:
            api.validated_query(Query, query)
        assert set(raised.value.detail) == {"session_id", "limit"}


def test_a_callable_default_is_evaluated_per_call():
    assert (
        api.validated_query(WithCallableDefault, QueryDict(""))["tick"]
        != api.validated_query(WithCallableDefault, QueryDict(""))["tick"]
    )


def test_a_list_answer_is_not_shared_between_callers():
    first = api.validated_query(WithList, QueryDict(""))
    first["ids"].append(1)
    assert api.validated_query(WithList, QueryDict(""))["ids"] == []


def test_a_scalar_query_serializer_is_validated_once_per_query_string(monkeypatch):
    calls = []
    validate = api._validate
    monkeypatch.setattr(api, "_validate", lambda cls, data: calls.append(1) or validate(cls, data))
    query = QueryDict(f"session_id={uuid.uuid4()}")  # limit and the absent optional fields: defaults
    for _ in range(3):
        api.validated_query(Query, query)
    assert len(calls) == 1
