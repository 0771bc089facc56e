"""Writes for accounts: every state change of users, profiles, families, logins and API devices."""

from myApp.accounts.services.access_records import access_record_create, access_records_create
from myApp.accounts.services.data_rights import account_erase, export_filename, export_stream
from myApp.accounts.services.devices import (
    device_name_from_user_agent,
    device_token_create,
    device_token_revoke,
    device_token_touch,
    device_tokens_revoke_all,
)
from myApp.accounts.services.family import (
    child_account_create,
    child_consent_set,
    is_psychologist,
    may_link_children,
    pairing_code_create,
    pairing_code_normalise,
    pairing_code_redeem,
    psychologist_q,
    uses_family_links,
)
from myApp.accounts.services.logins import login_with_password
from myApp.accounts.services.users import (
    USERNAME_UNAVAILABLE,
    login_record,
    logout_record,
    password_check,
    profile_adjust_balance,
    profile_assign_ab_variant,
    profile_complete_onboarding,
    profile_ensure,
    profile_staff_update,
    profile_update,
    user_create,
    user_register,
)

__all__ = [
    "USERNAME_UNAVAILABLE",
    "access_record_create",
    "access_records_create",
    "account_erase",
    "child_account_create",
    "child_consent_set",
    "device_name_from_user_agent",
    "device_token_create",
    "device_token_revoke",
    "device_token_touch",
    "device_tokens_revoke_all",
    "export_filename",
    "export_stream",
    "is_psychologist",
    "login_record",
    "login_with_password",
    "logout_record",
    "may_link_children",
    "pairing_code_create",
    "pairing_code_normalise",
    "pairing_code_redeem",
    "password_check",
    "profile_adjust_balance",
    "profile_assign_ab_variant",
    "profile_complete_onboarding",
    "profile_ensure",
    "profile_staff_update",
    "profile_update",
    "psychologist_q",
    "user_create",
    "user_register",
    "uses_family_links",
]
