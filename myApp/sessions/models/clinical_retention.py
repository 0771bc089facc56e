"""A clinician's retention policy: how long a discharged client's therapy sessions and transcripts are kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q

# Record-keeping rules for therapists ask for years (often 7 or more, longer for children); a year is the least
# a clinician may choose, so a slip of the finger ("1" meant as months) cannot erase recent work.
KEEP_YEARS_MIN = 1
KEEP_YEARS_MAX = 25


class ClinicalRetentionPolicy(models.Model):
    """One per clinician. ``keep_years`` empty (the default, also with no row at all) keeps records for good."""

    clinician = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_retention_policy"
    )
    keep_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=f"Years after discharge a client's sessions and transcripts are kept ({KEEP_YEARS_MIN}-"
        f"{KEEP_YEARS_MAX}); empty keeps them.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(keep_years__isnull=True)
                | Q(keep_years__gte=KEEP_YEARS_MIN, keep_years__lte=KEEP_YEARS_MAX),
                name="clinical_retention_keep_years_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician}: " + (f"{self.keep_years} year(s) after discharge" if self.keep_years else "keep")
