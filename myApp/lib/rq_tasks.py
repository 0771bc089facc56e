"""A ``django.tasks`` backend that queues in Redis and runs on RQ workers (``manage.py rq_worker``).

Chosen with ``TASKS_BACKEND=rq`` (settings); the database queue (django-tasks-db) stays the default.

Why not django-tasks-rq: it is built on the ``django-tasks`` backport, not on Django's own ``django.tasks``.
With Django 6.1 it enqueues, but ``@task`` then makes backport ``Task`` objects, ``enqueue`` returns backport
``TaskResult`` objects (not ``django.tasks.TaskResult``), Django's task signals never fire (the backport's
do), and it installs a second task framework plus django-rq, rq-scheduler and freezegun at run time. This
module is the same idea on Django's own interface with only ``rq``: jobs are JSON (no pickles in Redis),
each job calls the ``Task`` by its import path, and results and errors come back as ``django.tasks`` types.

A job is pushed when the enqueuing transaction commits (at once outside one), like the database queue
whose row appears on commit: a worker never runs against rows that were rolled back or not yet visible.
"""

import logging
from dataclasses import replace
from functools import cached_property
from traceback import format_exception

from django.db import close_old_connections, transaction
from django.tasks import TaskContext, TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

logger = logging.getLogger(__name__)

RUN_TASK = "myApp.lib.rq_tasks.run_task"
STATUS = {
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}  # every other RQ state (queued, deferred, scheduled...) is READY: not run yet


class RQBackend(BaseTaskBackend):
    supports_get_result = True
    # RQ runs a deferred job only with a scheduler process, and RQ has no priorities: refused, not ignored.
    supports_defer = False
    supports_priority = False

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.redis_url = self.options["REDIS_URL"]
        self.job_timeout = self.options.get("JOB_TIMEOUT", 600)
        self.result_ttl = self.options.get("RESULT_TTL", 86400)

    @cached_property
    def connection(self) -> Redis:
        # Bounded connects, so an unreachable Redis fails an enqueue instead of hanging its request; no read
        # timeout, since a worker blocks on the queue for longer than any request would wait.
        return Redis.from_url(self.redis_url, socket_connect_timeout=self.options.get("CONNECT_TIMEOUT", 5))

    def get_queue(self, name: str) -> Queue:
        return Queue(name, connection=self.connection, serializer=JSONSerializer)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        job_kwargs = {"backend": self.alias, "task": task.module_path, "args": result.args, "kwargs": result.kwargs}

        def push() -> None:
            try:
                self.get_queue(task.queue_name).enqueue_call(
                    RUN_TASK,
                    kwargs=job_kwargs,
                    job_id=result.id,
                    timeout=self.job_timeout,
                    result_ttl=self.result_ttl,
                    failure_ttl=self.result_ttl,
                    description=task.module_path,
                )
            except (RedisError, OSError):
                # After the commit: the request's own writes stand, so it must not answer 500 (a client would
                # retry what already happened). The task is not queued; the log says which and why.
                logger.exception("Task %s (%s) was not queued: Redis refused it", task.module_path, result.id)
                return
            task_enqueued.send(type(self), task_result=result)

        transaction.on_commit(push)
        return result

    def get_result(self, result_id):
        try:
            job = Job.fetch(result_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        return self._result_of(job)

    def _result_of(self, job: Job) -> TaskResult:
        task = import_string(job.kwargs["task"]).using(queue_name=job.origin, backend=self.alias)
        runs = job.results()  # newest first
        result = TaskResult(
            task=task,
            id=job.id,
            status=STATUS.get(job.get_status(), TaskResultStatus.READY),
            enqueued_at=job.enqueued_at,
            started_at=job.started_at,
            last_attempted_at=job.started_at,
            finished_at=job.ended_at,
            args=job.kwargs["args"],
            kwargs=job.kwargs["kwargs"],
            backend=self.alias,
            errors=[
                TaskError(exception_class_path=job.meta.get("exception_class_path", ""), traceback=run.exc_string)
                for run in reversed(runs)
                if run.exc_string
            ],
            worker_ids=[run.worker_name for run in reversed(runs)] or ([job.worker_name] if job.worker_name else []),
        )
        if result.status == TaskResultStatus.SUCCESSFUL and runs:
            object.__setattr__(result, "_return_value", runs[0].return_value)
        return result


def run_task(*, backend: str, task: str, args: list, kwargs: dict):
    """What an RQ job runs: the ``Task`` at ``task``, with Django's task signals around it."""
    # Around each job as around each request: drop connections that broke or outlived DATABASE_CONN_MAX_AGE,
    # keep the rest for the next job (rq_worker's forking worker closes its child's when the job ends).
    close_old_connections()
    job = get_current_job()
    rq_backend = task_backends[backend]
    result = replace(
        rq_backend._result_of(job),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=[job.worker_name] if job.worker_name else [],
    )
    object.__setattr__(result, "last_attempted_at", result.started_at)
    task_started.send(type(rq_backend), task_result=result)
    try:
        if result.task.takes_context:
            value = result.task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = result.task.call(*args, **kwargs)
        value = normalize_json(value)
    except Exception as error:
        path = f"{type(error).__module__}.{type(error).__qualname__}"
        job.meta["exception_class_path"] = path
        job.save_meta()
        result.errors.append(TaskError(exception_class_path=path, traceback="".join(format_exception(error))))
        finished = replace(result, status=TaskResultStatus.FAILED, finished_at=timezone.now())
        task_finished.send(type(rq_backend), task_result=finished)
        raise  # RQ records the failure (status, traceback) for get_result
    else:
        finished = replace(result, status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
        object.__setattr__(finished, "_return_value", value)
        task_finished.send(type(rq_backend), task_result=finished)
        return value
    finally:
        close_old_connections()
