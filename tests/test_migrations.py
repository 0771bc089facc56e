"""Migrations: self-contained code, and the data moves of "derive, don't store"."""

import ast
import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import myApp

APP_MIGRATIONS = sorted(Path(myApp.__file__).parent.glob("*/migrations/0*.py"))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", APP_MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.stem}")
def test_it_runs_no_app_code_in_a_data_migration(path):
    """A migration that runs code (RunPython) freezes what it needs: the app code it would import
    changes later, and the migration must do what it did on the day it was written. (Schema-only
    migrations may name app callables Django serialises into model state: managers, validators.)"""
    source = path.read_text()
    if "RunPython" not in source:
        return
    app_imports = sorted(name for name in _imported_modules(path) if name.split(".")[0] == "myApp")
    assert app_imports == [], f"{path.name} imports {app_imports}"


def _leaf_targets(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_completion_and_variants_when_stored_state_becomes_derived():
    executor = MigrationExecutor(connection)
    leaves = _leaf_targets(executor)
    before = [("curriculum", "0005_json_document_bounds"), ("accounts", "0004_username_case_insensitive_unique")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    try:
        User = old.get_model("accounts", "User")
        Profile = old.get_model("accounts", "Profile")
        Level = old.get_model("curriculum", "Level")
        Module = old.get_model("curriculum", "Module")
        UserProgress = old.get_model("curriculum", "UserProgress")
        user = User.objects.create(username="old-timer", password="!")
        Profile.objects.create(user=user, ab_variant="", district_full_access={"old-town": True})
        level = Level.objects.create(number=1, title="Foundations")
        modules = [Module.objects.create(level=level, code=code, order=n, title=code) for n, code in enumerate("ABCD")]
        rewarded = timezone.now() - datetime.timedelta(days=3)
        UserProgress.objects.create(user=user, module=modules[0], status="completed", rewarded_at=rewarded)
        UserProgress.objects.create(user=user, module=modules[1], status="completed")  # no timestamps at all
        UserProgress.objects.create(user=user, module=modules[2], status="in_progress")
        UserProgress.objects.create(user=user, module=modules[3], status="unlocked")

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new = executor.loader.project_state(leaves).apps

        progress = {
            row.module.code: row.completed_at
            for row in new.get_model("curriculum", "UserProgress").objects.select_related("module")
        }
        assert progress["A"] == rewarded
        assert progress["B"] is not None  # it said completed: the fact survives, at its last update
        assert (progress["C"], progress["D"]) == (None, None)  # in progress is derived from submissions now
        assert new.get_model("accounts", "Profile").objects.get(user_id=user.pk).ab_variant in ("A", "B")
    finally:
        MigrationExecutor(connection).migrate(leaves)
