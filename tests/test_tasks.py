"""Background tasks: django.tasks with the database-backed queue and its worker."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from myApp.analytics.models import TelemetryEvent
from myApp.analytics.tasks import record_telemetry

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_runs_tasks_immediately_in_tests(owner):
    result = record_telemetry.enqueue(name="page_view", module_code="A", user_id=owner.pk, properties={"ms": 12})
    event = TelemetryEvent.objects.get(pk=result.return_value)
    assert (event.name, event.module_code, event.user, event.properties) == ("page_view", "A", owner, {"ms": 12})


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_it_queues_in_the_database_until_the_worker_runs(owner):
    with override_settings(TASKS=DATABASE_QUEUE):
        record_telemetry.enqueue(name="page_view", user_id=owner.pk, properties={})
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        assert not TelemetryEvent.objects.exists()
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert TelemetryEvent.objects.get().user == owner
