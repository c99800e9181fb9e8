"""What an audit entry's operation (``verb``, the code of the service that acted) is called in
the reader's language. The log keeps the code, which stays searchable; the admin's list and
entry show the name, the entry the code beside it."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Promise] = {
    "access_report_read": _("access report read"),
    "admin_list": _("list read in the admin"),
    "admin_view": _("record read in the admin"),
    "admin_rights_grant": _("admin rights granted"),
    "api_token_create": _("sign-in on a phone or the API"),
    "api_token_revoke": _("sign-out on a phone or the API"),
    "attachment_store": _("photo or file received"),
    "availability_add": _("availability added"),
    "case_comment": _("case comment added"),
    "case_decide": _("case decided"),
    "case_follow_up_request": _("follow-up requested"),
    "case_notice_issue": _("notice issued"),
    "case_open": _("case opened"),
    "case_reopen": _("case reopened"),
    "checkin_record": _("check-in recorded"),
    "company_create": _("company created"),
    "conflict_declare": _("conflict of interest declared"),
    "conflict_withdraw": _("conflict of interest withdrawn"),
    "console_sign_in": _("console sign-in"),
    "console_sign_in_password": _("console sign-in: password"),
    "console_sign_in_second_factor": _("console sign-in: second factor"),
    "demo_logins_reset": _("demo sign-ins reset"),
    "due_work_cancel": _("due work cancelled"),
    "due_work_request": _("due work requested"),
    "inspection_cancel": _("inspection cancelled"),
    "inspection_issue": _("inspection issued"),
    "inspection_reschedule": _("inspection rescheduled"),
    "load_demo": _("demo data loaded"),
    "load_history": _("demo history loaded"),
    "login_reactivate": _("sign-in reactivated"),
    "officer_create": _("officer created"),
    "officer_reactivate": _("officer reactivated"),
    "officer_roles_set": _("officer's roles set"),
    "operation_create": _("operation created"),
    "operation_publish": _("operation published"),
    "operation_update": _("operation updated"),
    "outreach_import_activities": _("outreach activities imported"),
    "outreach_import_hotline_calls": _("hotline calls imported"),
    "person_request_access": _("access request served"),
    "person_request_erasure": _("erasure request served"),
    "prosecution_record": _("prosecution recorded"),
    "protection_service_record": _("protection service recorded"),
    "referral_notify": _("referral notified"),
    "referral_open": _("referral opened"),
    "referral_update": _("referral updated"),
    "registry_import_apply": _("registry import applied"),
    "registry_import_place": _("registry import: site placed"),
    "registry_import_upload": _("registry import uploaded"),
    "report_publish": _("report published"),
    "retention_apply": _("retention applied"),
    "second_factor_enrol": _("second factor enrolled"),
    "second_factor_reset": _("second factor reset"),
    "sessions_end": _("sessions ended"),
    "sign_in_unlock": _("sign-in unlocked"),
    "site_create": _("site created"),
    "site_set_risk": _("site's risk set"),
    "site_update": _("site updated"),
    "submission_approve": _("submission approved"),
    "submission_delete": _("submission deleted"),
    "submission_ingest": _("checklist received"),
    "submission_return": _("submission returned"),
    "team_create": _("team created"),
    "team_set_members": _("team's members set"),
    "template_version_create": _("checklist version created"),
    "template_version_draft_from": _("checklist draft started from a version"),
    "template_version_publish": _("checklist version published"),
    "template_version_retire": _("checklist version retired"),
    "victim_details_get": _("victim's details shown"),
    "victim_details_record": _("victim's details recorded"),
    "victim_details_refused": _("victim's details refused"),
    "violation_catalogue_load": _("violation catalogue loaded"),
    "violation_legal_basis_confirm": _("legal basis confirmed"),
}
# The admin's own changes (``admin_mixins``): ``admin_<model>_<action>``.
ADMIN_ACTIONS: dict[str, Promise] = {
    "create": _("created in the admin"),
    "update": _("changed in the admin"),
    "delete": _("deleted in the admin"),
}


def verb_label(verb: str) -> str:
    """``verb`` named in the active language; a code no name is known for stays as recorded."""
    if verb in VERBS:
        return str(VERBS[verb])
    model_name, _sep, action = verb.removeprefix("admin_").rpartition("_")
    if verb.startswith("admin_") and action in ADMIN_ACTIONS:
        model = next((m for m in apps.get_models() if m._meta.model_name == model_name), None)
        if model is not None:
            # "Site: created in the admin", with the language's colon.
            return gettext("%(model)s: %(action)s") % {
                "model": model._meta.verbose_name,
                "action": ADMIN_ACTIONS[action],
            }
    return verb
