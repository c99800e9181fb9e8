"""The Django admin behind the console's sign-in: one sign-in page, second factor included."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth.views import redirect_to_login
from django.forms.boundfield import BoundField
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from backend.console.services import second_factor_required
from backend.core.access import login_admin_refused
from backend.core.admin_access import agency_owned, agency_records


def admin_site_guard(site: AdminSite) -> None:
    """Send the admin's sign-in to the console's, and let nobody in who still owes the second
    factor (administrators must give it when CONSOLE_2FA_REQUIRED is on), nor an officer's login
    that is not an active administrator's (a leaver, or a role taken away)."""
    has_permission = site.has_permission

    def guarded(request: HttpRequest) -> bool:
        user = request.user
        if not has_permission(request) or login_admin_refused(user):
            # A leaver, or an officer whose administrator role was taken away, is out even with
            # a staff login.
            return False
        return not second_factor_required(user) or user.is_verified()

    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        after = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if user.is_authenticated:
            if has_permission(request) and not login_admin_refused(user):
                # An administrator who has not given the code yet: to the code, not the password.
                return redirect_to_login(after, reverse("console:second-factor"))
            # Signed in, but not an administrator: the sign-in page would only sign them in
            # again and send them back here, round and round. The console's "not found", with
            # the way back to their start, as for any page their roles do not open.
            raise Http404
        return redirect_to_login(after, reverse("console:sign-in"))

    site.has_permission = guarded  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """A picker's search results, each as its model admin labels it (``autocomplete_label(obj)``,
    e.g. a unit with its agency), or as the object's str() otherwise. On a form of one agency's
    records (an officer's, a unit's), an agency's administrator is offered their own agency's
    agency, units, officers and logins alone, as the form accepts (AgencyScopedAdminMixin): the
    search asks the picked model's admin, which may be shared (agencies). On a shared or joint
    record's form (a joint team's leader), every agency's agencies, units and officers, as that
    form accepts (PICKED_FROM_EVERY_AGENCY); never another agency's operation, team, inspection,
    scheduler target or wave (JOINT_RECORDS), programme or case, whatever the form."""

    def get_queryset(self) -> Any:
        every_agency = not agency_owned(self.source_field.model)
        self.request.every_agency = every_agency  # type: ignore[attr-defined]
        return agency_records(self.request.user, super().get_queryset(), every_agency=every_agency)

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


def admin_site_autocomplete_labels(site: AdminSite) -> None:
    """The site's autocomplete view (every autocomplete field's search) answers through
    LabelledAutocompleteJsonView. Before the site's URLs are built, as the guard above."""

    def autocomplete_view(request: HttpRequest) -> HttpResponse:
        return LabelledAutocompleteJsonView.as_view(admin_site=site)(request)  # type: ignore[no-any-return]

    site.autocomplete_view = autocomplete_view  # type: ignore[method-assign]


class StoredDateTimeField(forms.SplitDateTimeField):
    """The admin's date and time boxes, which show a stored time to the second: posted back as
    shown, they keep the stored value, microseconds and all. The plain field cleaned what was
    posted, so every save of a form left unchanged wrote each time back cut to the second (an
    operation's, a shift's, a conflict's "declared at"), a change no one made. A time changed in
    the boxes is saved as typed.

    Cleaning is where a field sees what the form showed: the same hook Django's FileField uses to
    keep its file when nothing new is posted. ``form.initial`` holds the stored value whole; the
    bound field's initial is what was shown."""

    def _clean_bound_field(self, bf: BoundField) -> Any:
        value = super()._clean_bound_field(bf)
        stored = bf.form.initial.get(bf.name)
        if isinstance(stored, dt.datetime) and value == stored.replace(microsecond=0):
            return stored
        return value


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with a label of its own. Django's template writes
    "Date:" and "Time:" as plain text, and the field's own label points at neither box (a field of
    two has no single box to point at), so both boxes had no name (axe: label, critical). The boxes
    are grouped under the field's label by console/admin.js."""

    template_name = "console/admin/split_datetime.html"
