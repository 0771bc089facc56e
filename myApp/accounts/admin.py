from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.authtoken.models import TokenProxy

from myApp.accounts import services
from myApp.accounts.models import PERSONA_FIELDS, ChildPrivacySettings, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"
    # The economy changes only through services (atomic F() updates), never by hand-edit.
    readonly_fields = ["xp", "coins", "tickets", "ab_variant", "created_at", "updated_at"]
    fieldsets = [
        ("Persona", {"fields": [*PERSONA_FIELDS, "onboarding_completed"]}),
        ("Mode and family", {"fields": ["mode", "parent_name", "learning_profile", "district_full_access"]}),
        ("Economy", {"fields": ["xp", "coins", "tickets", "ab_variant"]}),
        ("Audit", {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", "is_active", "profile__mode", "profile__onboarding_completed"]
    search_fields = ["username", "email", "first_name", "last_name"]
    list_select_related = ["profile"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [*DjangoUserAdmin.fieldsets, ("Platform", {"fields": ["role"]})]
    add_fieldsets = [*DjangoUserAdmin.add_fieldsets, ("Platform", {"fields": ["email", "role"]})]
    actions = ["grant_ten_tickets", "revoke_api_tokens"]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The profile inline saves first when staff filled it in; otherwise make an empty one.
        super().save_related(request, form, formsets, change)
        services.profile_ensure(user=form.instance)

    @admin.action(description="Grant 10 tickets to the selected users")
    def grant_ten_tickets(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.profile_adjust_balance(user=user, tickets=10)
        self.message_user(request, f"Granted 10 tickets to {queryset.count()} user(s).", messages.SUCCESS)

    @admin.action(description="Revoke the API tokens of the selected users")
    def revoke_api_tokens(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.auth_token_revoke(user=user)
        self.message_user(request, f"Revoked API tokens of {queryset.count()} user(s).", messages.SUCCESS)


@admin.register(ChildPrivacySettings)
class ChildPrivacySettingsAdmin(admin.ModelAdmin):
    list_display = ["parent", "child", "share_quest_progress", "consent_granted_at", "consent_revoked_at"]
    list_filter = ["share_quest_progress"]
    search_fields = ["parent__username", "child__username"]
    list_select_related = ["parent", "child"]
    raw_id_fields = ["parent", "child"]
    # Consent is the child's to give: staff can see it here, changes go through the service.
    readonly_fields = [
        "share_quest_progress",
        "consent_granted_at",
        "consent_revoked_at",
        "consent_changed_by",
        "created_at",
        "updated_at",
    ]
    actions = ["revoke_consent"]

    @admin.action(description="Revoke consent for the selected links")
    def revoke_consent(self, request: HttpRequest, queryset: QuerySet[ChildPrivacySettings]) -> None:
        for link in queryset:
            services.child_consent_set(link=link, by=request.user, share=False)
        self.message_user(request, f"Revoked consent on {queryset.count()} link(s).", messages.SUCCESS)


# DRF's token admin lists every key in clear (and keys are primary keys, so they leak
# into every admin URL for a token). Tokens are not shown in the admin at all; staff
# revoke a user's tokens with the user action above, or deactivate the user.
admin.site.unregister(TokenProxy)
