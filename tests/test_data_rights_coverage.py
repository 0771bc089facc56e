"""The data-rights registry covers every model with a path to the user, for export and for erasure.

A new model (or a new foreign key on an old one) that leads to the user fails here until
``myApp/accounts/services/data_rights_rules.py`` says how it is exported and erased.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from myApp.lib import data_rights
from tests.factories import UserFactory

# Models that name the user without a foreign key: the session data, axes' login logs (by username).
NAMED_WITHOUT_A_KEY = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}


def _links(model) -> list:
    """The forward relations of ``model`` (foreign keys, one-to-ones, many-to-manys, generic ones aside)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many) and field.concrete
    ]


def paths_to_user(model, depth: int = 4) -> set[str]:
    """Every lookup from ``model`` that ends at the user model, following forward relations."""
    user_model = get_user_model()
    if model is user_model:
        return {"pk"}
    found: set[str] = set()
    for field in _links(model):
        target = field.related_model
        if target is None:
            continue
        if target is user_model:
            found.add(field.name)
        elif depth > 1 and target is not model:
            found |= {f"{field.name}__{rest}" for rest in paths_to_user(target, depth - 1) if rest != "pk"}
    return found


def models_with_a_path() -> dict[str, set[str]]:
    every = {model._meta.label: paths_to_user(model) for model in apps.get_models()}
    return {label: paths for label, paths in every.items() if paths or label in NAMED_WITHOUT_A_KEY}


def test_it_finds_contrib_models_too():
    """The enumeration itself: the admin log, the devices (knox's token model) and the sessions are in it."""
    found = models_with_a_path()
    assert {"admin.LogEntry", "accounts.DeviceToken", "sessions.Session", "accounts.User"} <= set(found)
    assert "usersessions.SessionSentence" in found  # two relations away: session -> client -> clinician


def test_it_has_an_export_and_an_erasure_rule_for_every_model_with_a_path_to_the_user():
    missing = []
    for label in sorted(models_with_a_path()):
        rule = data_rights.rule_for(label)
        if rule is None or rule.export is None or not rule.erase:
            missing.append(label)
    assert missing == [], f"Declare export and erasure for these models in data_rights_rules.py: {missing}"


def test_it_names_every_direct_link_to_the_user_in_an_erasure_step():
    """Each foreign key to the user (a new one on an old model included) has its own step: delete, set null,
    anonymise, keep (with a why). Longer paths go through a model that has its own rule."""
    missing = []
    for label, paths in sorted(models_with_a_path().items()):
        rule = data_rights.rule_for(label)
        named = {step.path for step in rule.erase} if rule else set()
        missing += [f"{label}.{path}" for path in paths if "__" not in path and path not in named]
    assert missing == [], f"Say what erasure does with these paths to the user: {missing}"


def test_it_registers_no_model_that_does_not_exist():
    for rule in data_rights.rules():
        assert rule.model_class is not None


@pytest.mark.django_db
def test_it_declares_paths_that_the_database_can_follow():
    user = UserFactory()
    for rule in data_rights.rules():
        model = rule.model_class
        for path in rule.export.paths:
            model._default_manager.filter(**{path: data_rights.user_value(path, user)}).exists()
        for step in rule.erase:
            if step.action in (data_rights.DELETE, data_rights.SET_NULL, data_rights.ANONYMISE):
                model._default_manager.filter(**{step.path: data_rights.user_value(step.path, user)}).exists()
