"""The Redis queue for django.tasks (TASKS_BACKEND=rq, myApp/lib/rq_tasks.py), on the real Redis and
PostgreSQL: project tasks enqueued by one process and run by RQ workers, in this process and in another."""

import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.tasks import TaskResult, TaskResultStatus, task, task_backends
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.test import override_settings

from myApp.analytics.models import TelemetryEvent
from myApp.analytics.tasks import record_telemetry
from myApp.lib.rq_tasks import RQBackend
from tests.factories import UserFactory
from tests.processes import ROOT, run_manage, shared_environ

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL); this run uses local memory"),
    pytest.mark.django_db(transaction=True),  # workers see only committed rows, as on another machine
]


@task
def refuse(*, reason: str) -> None:
    raise ValueError(reason)


@pytest.fixture
def rq_queue():
    """TASKS pointed at the RQ backend on the test Redis; yields the backend, with an empty queue."""
    tasks = {
        "default": {
            "BACKEND": "myApp.lib.rq_tasks.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"REDIS_URL": settings.REDIS_URL, "JOB_TIMEOUT": 60, "RESULT_TTL": 600},
        }
    }
    with override_settings(TASKS=tasks):
        rq_backend = task_backends["default"]
        assert isinstance(rq_backend, RQBackend)
        rq_backend.get_queue("default").empty()
        yield rq_backend
        rq_backend.get_queue("default").empty()


def run_worker() -> None:
    call_command("rq_worker", "--burst", "--simple", verbosity=0)


def test_it_queues_a_project_task_in_redis_until_a_worker_runs_it(rq_queue):
    user = UserFactory()
    result = record_telemetry.enqueue(name="page_view", module_code="A", user_id=user.pk, properties={"ms": 12})

    assert isinstance(result, TaskResult)
    assert result.status == TaskResultStatus.READY
    assert rq_queue.get_queue("default").count == 1
    assert rq_queue.get_result(result.id).status == TaskResultStatus.READY
    assert not TelemetryEvent.objects.exists()

    run_worker()

    event = TelemetryEvent.objects.get()
    assert (event.name, event.module_code, event.user, event.properties) == ("page_view", "A", user, {"ms": 12})
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == event.pk
    assert result.errors == []
    assert len(result.worker_ids) == 1
    assert result.enqueued_at <= result.started_at <= result.finished_at
    assert rq_queue.get_queue("default").count == 0


def test_it_records_a_failed_task_with_its_exception(rq_queue):
    result = refuse.enqueue(reason="no thanks")
    run_worker()

    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert [error.exception_class_path for error in result.errors] == ["builtins.ValueError"]
    assert "ValueError: no thanks" in result.errors[0].traceback
    with pytest.raises(ValueError, match="Task failed"):
        _ = result.return_value


def test_it_sends_djangos_task_signals(rq_queue):
    seen = []

    def record(signal_name):
        return lambda sender, task_result, **kwargs: seen.append((signal_name, task_result.status))

    handlers = {signal: record(name) for signal, name in [(task_enqueued, "enqueued"), (task_started, "started")]}
    handlers[task_finished] = record("finished")
    for signal, handler in handlers.items():
        signal.connect(handler)
    try:
        record_telemetry.enqueue(name="page_view", properties={})
        refuse.enqueue(reason="no")
        run_worker()
    finally:
        for signal, handler in handlers.items():
            signal.disconnect(handler)
    assert seen == [
        ("enqueued", TaskResultStatus.READY),
        ("enqueued", TaskResultStatus.READY),
        ("started", TaskResultStatus.RUNNING),
        ("finished", TaskResultStatus.SUCCESSFUL),
        ("started", TaskResultStatus.RUNNING),
        ("finished", TaskResultStatus.FAILED),
    ]


def test_it_pushes_a_job_only_when_its_transaction_commits(rq_queue):
    queue = rq_queue.get_queue("default")
    with transaction.atomic():
        kept = record_telemetry.enqueue(name="kept", properties={})
        assert queue.count == 0
    assert queue.count == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        dropped = record_telemetry.enqueue(name="dropped", properties={})
        raise RuntimeError("the request failed")
    assert queue.count == 1
    with pytest.raises(TaskResultDoesNotExist):
        rq_queue.get_result(dropped.id)

    run_worker()
    assert list(TelemetryEvent.objects.values_list("name", flat=True)) == ["kept"]
    assert rq_queue.get_result(kept.id).status == TaskResultStatus.SUCCESSFUL


def test_an_unreachable_redis_loses_the_task_not_the_request(rq_queue, caplog):
    """The push runs after the commit: a Redis that refuses it is logged, and the request's writes stand."""
    with socket.socket() as probe:  # a loopback port nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = RQBackend(
        alias="down", params={"QUEUES": ["default"], "OPTIONS": {"REDIS_URL": f"redis://127.0.0.1:{port}/0"}}
    )
    user = UserFactory()
    with transaction.atomic():
        result = down.enqueue(record_telemetry, (), {"name": "lost", "properties": {}})
        user.first_name = "Kept"
        user.save(update_fields=["first_name"])
    assert type(user).objects.get(pk=user.pk).first_name == "Kept"
    assert f"{record_telemetry.module_path} ({result.id}) was not queued" in caplog.text
    assert rq_queue.get_queue("default").count == 0


def test_it_refuses_what_rq_cannot_honour(rq_queue):
    with pytest.raises(InvalidTask, match="priority"):
        record_telemetry.using(priority=10).enqueue(name="x", properties={})
    with pytest.raises(InvalidTask, match="Queue 'other'"):
        record_telemetry.using(queue_name="other").enqueue(name="x", properties={})


def test_the_worker_command_refuses_the_database_queue():
    database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database_queue), pytest.raises(CommandError, match="TASKS_BACKEND=rq"):
        run_worker()


def test_the_worker_command_refuses_an_unknown_queue(rq_queue):
    with pytest.raises(CommandError, match="unknown queue"):
        call_command("rq_worker", "mail", "--burst")


@pytest.mark.postgres
def test_tasks_enqueued_in_one_process_run_on_a_forking_worker_in_another(rq_queue):
    """The deployment path: TASKS_BACKEND=rq from the environment, `manage.py rq_worker` as its own process
    (forking a child per job) on the same Redis and database."""
    users = UserFactory.create_batch(3)
    results = [
        record_telemetry.enqueue(name="visit", user_id=user.pk, properties={"n": n}) for n, user in enumerate(users)
    ]

    worker = run_manage(
        shared_environ(TASKS_BACKEND="rq", TASKS_REDIS_URL=settings.REDIS_URL), "rq_worker", "--burst", timeout=120
    )
    assert worker.returncode == 0, worker.stderr

    assert sorted(TelemetryEvent.objects.values_list("user_id", "properties")) == sorted(
        (user.pk, {"n": n}) for n, user in enumerate(users)
    )
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert TelemetryEvent.objects.get(pk=result.return_value).name == "visit"


@pytest.mark.postgres
def test_two_workers_on_one_queue_run_each_task_exactly_once(rq_queue):
    """Workers on several machines: two worker processes drain one queue together; no task runs twice
    or is left behind (which worker takes which task is up to them)."""
    user = UserFactory()
    results = [record_telemetry.enqueue(name="tick", user_id=user.pk, properties={"n": n}) for n in range(20)]
    environ = shared_environ(TASKS_BACKEND="rq", TASKS_REDIS_URL=settings.REDIS_URL)
    command = [sys.executable, "manage.py", "rq_worker", "--burst"]
    workers = [
        subprocess.Popen([*command, "--name", f"machine-{n}"], cwd=ROOT, env=environ, stderr=subprocess.PIPE, text=True)
        for n in (1, 2)
    ]
    try:
        errors = [worker.communicate(timeout=120)[1] for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0], errors

    assert sorted(n for (n,) in TelemetryEvent.objects.values_list("properties__n")) == list(range(20))
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert len(result.worker_ids) == 1 and result.worker_ids[0] in {"machine-1", "machine-2"}
