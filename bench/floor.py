"""P6's floor: the same rows as ``load`` (users, their conversations, the messages) written by plain
``INSERT ... SELECT generate_series`` statements, with every constraint and index in place, timed and
then rolled back so the data set is left as it was.

Used only when the ``load`` target does not offer its own floor (``floor_seconds`` in its module).
Profiles and knowledge blocks are left out, so the floor is a little generous to ``load``'s rival.
"""

import time

from django.db import connection, transaction

USERS = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                           date_joined, role)
SELECT '!', false, 'benchfloor' || i, '', '', 'benchfloor' || i || '@example.com', false, true, now(), 'learner'
FROM generate_series(1, %(users)s) AS i
"""
CONVERSATIONS = """
INSERT INTO conversations (session_id, metadata, user_agent, device_type, message_count, started_at,
                           last_activity_at, ended_at, updated_at, user_id)
SELECT gen_random_uuid(), '{}'::jsonb, '', 'unknown', 0, now(), now(), now(), now(), u.ids[1 + (i %% u.n)]
FROM generate_series(0, %(conversations)s - 1) AS i,
     (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM accounts_user
      WHERE username LIKE 'benchfloor%%') AS u
"""
MESSAGES = """
INSERT INTO messages (role, content, message_type, metadata, model_used, audio_url, transcript, created_at,
                      updated_at, conversation_id, user_id, safety_flag)
SELECT CASE WHEN i %% 2 = 0 THEN 'user' ELSE 'assistant' END,
       'How do I keep my voice steady when I speak to a room? message ' || i,
       'text', '{}'::jsonb, '', '', '', now(), now(), c.ids[1 + (i %% c.n)], c.users[1 + (i %% c.n)], ''
FROM generate_series(0, %(messages)s - 1) AS i,
     (SELECT array_agg(conversations.id ORDER BY conversations.id) AS ids,
             array_agg(conversations.user_id ORDER BY conversations.id) AS users, count(*) AS n
      FROM conversations JOIN accounts_user ON accounts_user.id = conversations.user_id
      WHERE accounts_user.username LIKE 'benchfloor%%') AS c
"""


class _Rollback(Exception):
    pass


def floor_seconds(*, users: int, conversations: int, messages: int) -> float:
    """Seconds to insert the rows in bulk SQL (then rolled back)."""
    params = {"users": max(users, 1), "conversations": max(conversations, 1), "messages": messages}
    elapsed = 0.0
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                began = time.perf_counter()
                for statement in (USERS, CONVERSATIONS, MESSAGES):
                    cursor.execute(statement, params)
                elapsed = time.perf_counter() - began
            raise _Rollback
    except _Rollback:
        pass
    return elapsed
