"""gunicorn settings for the web processes, read from the environment.

    gunicorn -c gunicorn.conf.py myProject.wsgi

| variable | default | meaning |
| --- | --- | --- |
| GUNICORN_BIND | 0.0.0.0:8000 | address(es) to listen on, comma-separated (host:port or unix:/path) |
| GUNICORN_WORKERS | WEB_CONCURRENCY, else 2 x usable CPUs + 1 | worker processes |
| GUNICORN_THREADS | 1 | threads per worker; above 1 gunicorn uses its threaded (gthread) worker |
| GUNICORN_TIMEOUT | 30 | seconds a request may run before its worker is killed and replaced |
| GUNICORN_GRACEFUL_TIMEOUT | 30 | seconds workers get to finish their requests on restart or shutdown |
| GUNICORN_KEEPALIVE | 5 | seconds an idle keep-alive connection is held; above the proxy's upstream idle timeout |
| GUNICORN_MAX_REQUESTS | 1000 | requests after which a worker is replaced (bounds slow leaks); 0 = never |
| GUNICORN_MAX_REQUESTS_JITTER | 100 | random extra requests per worker, so workers are not all replaced at once |
| GUNICORN_ACCESSLOG | - | access log: - (standard output), a file path, or "off" |
| GUNICORN_LOGLEVEL | info | debug, info, warning, error, critical |
| GUNICORN_PRELOAD | false | import the app once in the master before forking (less memory, slower reloads) |
| GUNICORN_CONTROL_SOCKET | off | gunicornc's control socket: a path (one per instance on a host), or "off" |

The process is stateless (sessions, cache and throttle counters live in Redis and PostgreSQL), so run as
many instances as you like behind a proxy; the README's "Running at scale" section says what runs where.
gunicorn's own FORWARDED_ALLOW_IPS and GUNICORN_CMD_ARGS still apply. A bad value stops start-up with a
message naming the variable.
"""

import multiprocessing
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from myProject.env import env_bool, env_int, env_list, env_str


def _checked(read, *args, **kwargs):
    """A ``myProject.env`` reader; a bad value stops start-up with its message naming the variable."""
    try:
        return read(*args, **kwargs)
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None


bind = _checked(env_list, "GUNICORN_BIND", ["0.0.0.0:8000"])
# The CPUs this process may run on (a container's or taskset's limit), not every CPU the machine has.
_cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else multiprocessing.cpu_count()
_default_workers = _checked(env_int, "WEB_CONCURRENCY", _cpus * 2 + 1, minimum=1)
workers = _checked(env_int, "GUNICORN_WORKERS", _default_workers, minimum=1)
threads = _checked(env_int, "GUNICORN_THREADS", 1, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _checked(env_int, "GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _checked(env_int, "GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=0)
keepalive = _checked(env_int, "GUNICORN_KEEPALIVE", 5, minimum=0)
max_requests = _checked(env_int, "GUNICORN_MAX_REQUESTS", 1000, minimum=0)
max_requests_jitter = _checked(env_int, "GUNICORN_MAX_REQUESTS_JITTER", 100, minimum=0)
preload_app = _checked(env_bool, "GUNICORN_PRELOAD", False)

# gunicorn's default control socket is one path per user, so two instances on one host would take each
# other's (and the first to stop removes it): off unless an instance is given a path of its own.
_control_socket = env_str("GUNICORN_CONTROL_SOCKET", "off")
control_socket_disable = _control_socket.lower() == "off"
if not control_socket_disable:
    control_socket = _control_socket

_accesslog = env_str("GUNICORN_ACCESSLOG", "-")
accesslog = None if _accesslog.lower() == "off" else _accesslog
# The default format plus the time each request took, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = env_str("GUNICORN_LOGLEVEL", "info").lower()
if loglevel not in {"debug", "info", "warning", "error", "critical"}:
    raise SystemExit(f"GUNICORN_LOGLEVEL must be one of debug, info, warning, error, critical, got {loglevel!r}.")

# Worker heartbeats on a memory file system where there is one: a slow disk (or a container's overlay)
# must not make a busy worker look dead.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
