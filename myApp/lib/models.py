from django.db import models


class TimeStampedModel(models.Model):
    """Adds audit timestamps; every mutable table in the project uses it."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
