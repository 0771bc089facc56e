"""``manage.py rq_worker``: run background tasks from the Redis queue (``TASKS_BACKEND=rq``).

Start one or more on any machine that reaches the same Redis and database; each takes jobs as they come.
By default every job runs in a forked child (RQ's ``Worker``), so a job that leaks memory or hangs past
``TASKS_JOB_TIMEOUT_SECONDS`` is ended without taking the worker down; ``--simple`` runs jobs in this
process (RQ's ``SimpleWorker``: no fork, for platforms without one and for tests). ``--burst`` stops
when the queue is empty. With the database queue (the default backend) run ``manage.py db_worker``.

RQ lives in this app only because a command needs an app; it serves every app's tasks.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.tasks import task_backends
from django.tasks.exceptions import InvalidTaskBackend
from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer

from myApp.lib.rq_tasks import RQBackend


class ForkingWorker(Worker):
    """RQ's worker, which runs each job in a forked child: the child closes its database connections when
    its job ends, instead of leaving them to die with the process."""

    def perform_job(self, job, queue, execution):
        try:
            return super().perform_job(job, queue, execution)
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = "Run an RQ worker for the django.tasks Redis queue (TASKS_BACKEND=rq)."

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", help="queue names (default: every queue the backend declares)")
        parser.add_argument("--backend", default="default", help="the TASKS alias to serve (default: default)")
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
        parser.add_argument("--simple", action="store_true", help="run jobs in this process instead of a fork")
        parser.add_argument("--name", help="the worker's name (default: RQ's random one)")

    def handle(self, *args, queues, backend, burst, simple, name, verbosity, **options):
        try:
            tasks_backend = task_backends[backend]
        except InvalidTaskBackend as error:
            raise CommandError(str(error)) from None
        if not isinstance(tasks_backend, RQBackend):
            raise CommandError(
                f"TASKS[{backend!r}] is {type(tasks_backend).__name__}, not the RQ backend: set TASKS_BACKEND=rq "
                "(with the database queue, run `manage.py db_worker`)."
            )
        unknown = sorted(set(queues) - tasks_backend.queues)
        if unknown:
            raise CommandError(f"unknown queue(s) {', '.join(unknown)}; the backend has {sorted(tasks_backend.queues)}")
        # Forked job processes must not share this process's database sockets.
        connections.close_all()
        worker_class = SimpleWorker if simple else ForkingWorker
        worker = worker_class(
            [tasks_backend.get_queue(queue) for queue in queues or sorted(tasks_backend.queues)],
            connection=tasks_backend.connection,
            serializer=JSONSerializer,
            name=name,
        )
        worker.work(burst=burst, logging_level="WARNING" if verbosity < 1 else "INFO")
