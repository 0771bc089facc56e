# Whether a conversation is live is derived (myApp/sessions/expiry.py), no longer stored: ``is_active`` and
# ``expires_at`` go; the database keeps one *open* (not ended) conversation per user instead of one active.
# No data changes going forward: every is_active=False row already has ended_at (the old check constraint).

from django.db import migrations, models


def mark_open_as_active(apps, schema_editor):
    """Reverse only: ``is_active`` comes back true for open conversations and false for ended ones, before the
    one-active-per-user constraint returns."""
    Conversation = apps.get_model("usersessions", "Conversation")
    Conversation.objects.filter(ended_at__isnull=False).update(is_active=False)


class Migration(migrations.Migration):

    dependencies = [
        ('usersessions', '0003_conversation_client_reported_ip'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='conversation',
            name='conversations_one_active_per_user',
        ),
        migrations.RemoveConstraint(
            model_name='conversation',
            name='conversations_ended_has_time',
        ),
        migrations.RemoveIndex(
            model_name='conversation',
            name='conversations_active_activity',
        ),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['last_activity_at'], name='conversations_open_activity'),
        ),
        migrations.AddConstraint(
            model_name='conversation',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('user',), name='conversations_one_open_per_user'),
        ),
        migrations.RunPython(migrations.RunPython.noop, mark_open_as_active),
        migrations.RemoveField(
            model_name='conversation',
            name='expires_at',
        ),
        migrations.RemoveField(
            model_name='conversation',
            name='is_active',
        ),
    ]
