"""Clinical sessions (issue 11, seed 003): clients, therapy sessions, sentences, insights, profiles, and the
record of status changes.

Their PostgreSQL-only GIN indexes are migration 0009 (a data migration imports no app code).
"""

import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import myApp.curriculum.search
import myApp.lib.json_input
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('usersessions', '0007_message_user_time_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Client',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('display_name', models.CharField(help_text='How the clinician names the client.', max_length=120)),
                ('age', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(130)])),
                ('gender', models.CharField(blank=True, max_length=64)),
                ('demographics', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('clinical_notes', models.TextField(blank=True, max_length=20000)),
                ('risk_factors', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('treatment_history', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('clinician', models.ForeignKey(help_text='The psychologist whose client this is; only they (and staff, recorded) see the records.', on_delete=django.db.models.deletion.PROTECT, related_name='clinical_clients', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, help_text="The client's own platform account, if they have one (never gives them access to the records).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='client_records', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['display_name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ClientProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('needs_assessment', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('trajectory_analysis', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('progress_metrics', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('risk_factors', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('protective_factors', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('treatment_goals', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('intervention_history', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('client', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='usersessions.client')),
            ],
            options={
                'ordering': ['client_id'],
            },
        ),
        migrations.CreateModel(
            name='TherapySession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('date', models.DateTimeField()),
                ('duration_minutes', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('session_type', models.CharField(choices=[('individual', 'Individual'), ('group', 'Group'), ('family', 'Family')], default='individual', max_length=16)),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], default='scheduled', max_length=16)),
                ('audio_file_path', models.CharField(blank=True, max_length=500)),
                ('transcript_status', models.CharField(choices=[('pending', 'Pending'), ('processing', 'Processing'), ('completed', 'Completed'), ('failed', 'Failed')], default='pending', max_length=16)),
                ('analysis_status', models.CharField(choices=[('pending', 'Pending'), ('processing', 'Processing'), ('completed', 'Completed'), ('failed', 'Failed')], default='pending', max_length=16)),
                ('analysis_error', models.CharField(blank=True, help_text='Why the last analysis failed.', max_length=500)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='usersessions.client')),
            ],
            options={
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SessionStatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(choices=[('transcript_status', 'Transcript'), ('analysis_status', 'Analysis'), ('status', 'Session')], max_length=32)),
                ('from_status', models.CharField(max_length=16)),
                ('to_status', models.CharField(max_length=16)),
                ('reason', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='usersessions.therapysession')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SessionSentence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('start_ms', models.PositiveIntegerField()),
                ('end_ms', models.PositiveIntegerField()),
                ('sequence_number', models.PositiveIntegerField()),
                ('text', models.TextField(max_length=5000)),
                ('speaker', models.CharField(default='unknown', max_length=64)),
                ('confidence', models.FloatField(blank=True, null=True)),
                ('keywords', models.JSONField(blank=True, null=True)),
                ('sentiment', models.FloatField(blank=True, null=True)),
                ('emotion_scores', models.JSONField(blank=True, null=True)),
                ('search_vector', models.GeneratedField(db_persist=True, expression=myApp.curriculum.search.StoredSearchVector(('text', '')), null=True, output_field=django.contrib.postgres.search.SearchVectorField())),
                ('session', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sentences', to='usersessions.therapysession')),
            ],
            options={
                'ordering': ['session_id', 'sequence_number'],
            },
        ),
        migrations.CreateModel(
            name='SessionInsight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('insight_type', models.CharField(choices=[('cognitive_distortion', 'Cognitive distortion'), ('schema', 'Schema'), ('progress', 'Progress'), ('risk', 'Risk'), ('theme', 'Theme')], max_length=32)),
                ('confidence', models.FloatField()),
                ('severity', models.CharField(blank=True, choices=[('', 'Not rated'), ('low', 'Low'), ('medium', 'Medium'), ('high', 'High')], default='', max_length=16)),
                ('title', models.CharField(max_length=200)),
                ('description', models.TextField(max_length=5000)),
                ('evidence', models.TextField(blank=True, max_length=5000)),
                ('recommendations', models.JSONField(blank=True, default=dict, validators=[myApp.lib.json_input.JSONDocumentValidator(kind=dict, max_bytes=65536)])),
                ('therapeutic_method', models.CharField(help_text='CBT, Schema, DBT, ...', max_length=32)),
                ('intervention_priority', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('urgent', 'Urgent')], default='medium', max_length=16)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='draft', max_length=16)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evidence_sentence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='usersessions.sessionsentence')),
                ('session', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='insights', to='usersessions.therapysession')),
            ],
            options={
                'ordering': ['session_id', 'created_at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='client',
            index=models.Index(fields=['clinician', 'display_name'], name='clinical_client_caseload'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('age__lte', 130)), name='clinical_client_age_lte_130'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('clinician', 'user'), name='clinical_client_user_once'),
        ),
        migrations.AddIndex(
            model_name='therapysession',
            index=models.Index(fields=['client', '-date'], name='clinical_session_client_date'),
        ),
        migrations.AddConstraint(
            model_name='therapysession',
            constraint=models.CheckConstraint(condition=models.Q(('session_type__in', ['individual', 'group', 'family'])), name='clinical_session_type_valid'),
        ),
        migrations.AddConstraint(
            model_name='therapysession',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['scheduled', 'in_progress', 'completed', 'cancelled'])), name='clinical_session_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='therapysession',
            constraint=models.CheckConstraint(condition=models.Q(('transcript_status__in', ['pending', 'processing', 'completed', 'failed'])), name='clinical_session_transcript_valid'),
        ),
        migrations.AddConstraint(
            model_name='therapysession',
            constraint=models.CheckConstraint(condition=models.Q(('analysis_status__in', ['pending', 'processing', 'completed', 'failed'])), name='clinical_session_analysis_valid'),
        ),
        migrations.AddConstraint(
            model_name='therapysession',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('duration_minutes__gt', 0), ('duration_minutes__lte', 1440)), ('duration_minutes__isnull', True), _connector='OR'), name='clinical_session_duration_range'),
        ),
        migrations.AddIndex(
            model_name='sessionstatuschange',
            index=models.Index(fields=['session', 'created_at'], name='clinical_status_change_session'),
        ),
        migrations.AddConstraint(
            model_name='sessionstatuschange',
            constraint=models.CheckConstraint(condition=models.Q(('field__in', ['transcript_status', 'analysis_status', 'status'])), name='clinical_status_change_field'),
        ),
        migrations.AddIndex(
            model_name='sessionsentence',
            index=models.Index(fields=['session', 'start_ms'], name='idx_session_time'),
        ),
        migrations.AddConstraint(
            model_name='sessionsentence',
            constraint=models.UniqueConstraint(fields=('session', 'sequence_number'), name='clinical_sentence_sequence_unique'),
        ),
        migrations.AddConstraint(
            model_name='sessionsentence',
            constraint=models.CheckConstraint(condition=models.Q(('end_ms__gte', models.F('start_ms'))), name='clinical_sentence_end_after_start'),
        ),
        migrations.AddConstraint(
            model_name='sessionsentence',
            constraint=models.CheckConstraint(condition=models.Q(('confidence__isnull', True), models.Q(('confidence__gte', 0), ('confidence__lte', 1)), _connector='OR'), name='clinical_sentence_confidence_range'),
        ),
        migrations.AddConstraint(
            model_name='sessionsentence',
            constraint=models.CheckConstraint(condition=models.Q(('sentiment__isnull', True), models.Q(('sentiment__gte', -1), ('sentiment__lte', 1)), _connector='OR'), name='clinical_sentence_sentiment_range'),
        ),
        migrations.AddIndex(
            model_name='sessioninsight',
            index=models.Index(fields=['session', 'insight_type'], name='idx_session_insight'),
        ),
        migrations.AddIndex(
            model_name='sessioninsight',
            index=models.Index(fields=['therapeutic_method'], name='idx_therapeutic_method'),
        ),
        migrations.AddIndex(
            model_name='sessioninsight',
            index=models.Index(fields=['session', 'status'], name='clinical_insight_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(('insight_type__in', ['cognitive_distortion', 'schema', 'progress', 'risk', 'theme'])), name='clinical_insight_type'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(('confidence__gte', 0), ('confidence__lte', 1)), name='clinical_insight_confidence_range'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(('severity__in', ['', 'low', 'medium', 'high'])), name='clinical_insight_severity'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(('intervention_priority__in', ['low', 'medium', 'high', 'urgent'])), name='clinical_insight_priority'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'approved', 'rejected'])), name='clinical_insight_status'),
        ),
        migrations.AddConstraint(
            model_name='sessioninsight',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reviewed_at__isnull', True), ('status', 'draft')), models.Q(models.Q(('status', 'draft'), _negated=True), ('reviewed_at__isnull', False)), _connector='OR'), name='clinical_insight_reviewed_when_decided'),
        ),
]
