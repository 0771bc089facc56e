"""Django's PostgreSQL backend with two savings on every request (``myProject.env.database_config`` selects it).

**A health check without a round trip.** With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` on a persistent
connection before its first use in each request. A PostgreSQL server that ends a session (a restart, an
administrator's ``pg_terminate_backend``, an idle timeout) first sends the client an error message and then
closes the socket, so a session that has ended has bytes waiting to be read. The check here looks at the
socket without blocking: nothing to read means nothing happened since the last answer and the connection is
used as it is; anything to read (or a connection the driver already knows is broken) falls back to Django's
``SELECT 1``, which then finds it dead and reconnects. A peer that vanished without a word (a cut cable) is
found by neither check before the query's own timeout.

**Prepared statements for the hot reads** (``execute_prepared``): the first use on a connection sends
``PREPARE name AS ...; EXECUTE name(...)`` in one round trip, later uses ``EXECUTE`` only, so the server plans the
statement once per connection instead of on every request. Not behind a transaction-mode pooler
(``DATABASE_POOL_MODE=transaction`` sets ``PREPARED_STATEMENTS`` off: the next transaction may run on another
server connection), and a connection on which a first use failed stops preparing (the server may or may not
hold the statement).
"""

import hashlib
import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: set[str] = set()
        self.preparing = self.settings_dict.get("PREPARED_STATEMENTS", True)

    def init_connection_state(self):
        super().init_connection_state()
        self.prepared = set()  # a new server session holds none
        self.preparing = self.settings_dict.get("PREPARED_STATEMENTS", True)

    def close_if_health_check_failed(self):
        quiet = self.connection is not None and self.health_check_enabled and not self.health_check_done
        if quiet and self._quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """True when the driver holds the connection open and the server has sent nothing unasked for."""
        if self.pool or self.connection.closed or self.connection.info.transaction_status != 0:
            return False  # 0: idle. A session left in a transaction, or a broken one: let Django look.
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def execute_prepared(self, cursor, sql: str, params: list) -> None:
        """``cursor.execute(sql, params)`` as a prepared statement (see the module's docstring). ``sql`` uses
        ``%s`` placeholders, one per parameter, and ``%%`` for a literal ``%``."""
        if not self.preparing:
            cursor.execute(sql, params)
            return
        name = "speakpro_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
        arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
        if name in self.prepared:
            cursor.execute(f"EXECUTE {name}{arguments}", params)
            return
        numbered = sql % tuple(f"${index}" for index in range(1, len(params) + 1))
        try:
            cursor.execute(f"PREPARE {name} AS {numbered.replace('%', '%%')}; EXECUTE {name}{arguments}", params)
        except BaseException:
            self.preparing = False
            raise
        self.prepared.add(name)
