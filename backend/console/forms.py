from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backend.console import services
from backend.core.access import login_deactivated


class SignInForm(AuthenticationForm):
    """Username and password, refused after too many failures for the account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not right. Both are case-sensitive."),
        "throttled": _("Too many failed attempts for this account. Wait a few minutes and try again."),
        # A leaver's password still matches, but no page will open: told so, rather than sent to
        # the field app, which refuses them too.
        "leaver": _(
            "This account is no longer active. If you still need it, ask your agency's administrator."
        ),
        "not_console": _(
            "This account has no back-office role. Field officers sign in on the field app at /field/."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and not services.signin_attempt_reserve(username=username):
            services.signin_failed_record(username=username, request=self.request, reason="throttled")
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            services.signin_failed_record(username=username, request=self.request, reason="invalid")
            raise
        services.signin_attempts_clear(username=username)
        return cleaned

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if login_deactivated(user):
            raise ValidationError(self.error_messages["leaver"], code="leaver")
        if not services.may_use_console(user):
            raise ValidationError(self.error_messages["not_console"], code="not_console")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most a few mails per address in the sign-in window; the
    page answers the same whether a mail went, so it tells nobody which addresses exist."""

    def get_users(self, email: str) -> Any:
        if not services.password_reset_reserve(email=email):
            return iter(())
        return super().get_users(email)
