"""An empty gunicorn configuration: the benchmark's servers take every setting from their command-line
flags (``bench/server.py``). Naming this module with ``--config`` stops gunicorn from reading the project's
``./gunicorn.conf.py`` (its access log, worker recycling and environment variables would change what the
benchmark measures from one deployment to the next)."""
