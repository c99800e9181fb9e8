"""The shell's pages: sign-in with its second factor, sign-out, the home page, passwords."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from backend.console import nav, services
from backend.console.access import console_page
from backend.console.forms import LimitedPasswordResetForm, SignInForm, TokenForm
from backend.core.access import principal_for

ICON = "console/favicon.ico"


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on any page that names no icon of its own (the
    console's and the admin's name it): to the icon among the static files, which WhiteNoise
    serves (hashed and cached for a year once collected). Remembered by the browser for a day."""
    response = HttpResponseRedirect(static(ICON))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("console:home")


class SignInView(auth_views.LoginView):
    template_name = "console/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = False

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        services.signin_succeeded_record(user=user, request=self.request, step="password")
        if services.second_factor_required(user):
            query = urlencode({REDIRECT_FIELD_NAME: self.get_redirect_url() or reverse("console:home")})
            return redirect(f"{reverse('console:second-factor')}?{query}")
        return response


@sensitive_post_parameters()
@csrf_protect
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the officer's authenticator, or enrolment of one."""
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("console:sign-in"))
    if not services.second_factor_required(user) or user.is_verified():
        return redirect(_next_url(request))
    device = services.second_factor_device(user)
    if device is None:
        return _enrol(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            services.signin_succeeded_record(user=user, request=request, step="second_factor")
            return redirect(_next_url(request))
        services.signin_failed_record(username=user.get_username(), request=request, reason="second_factor")
        form.add_error(
            "token",
            _("That code is not right or has expired. Wait for the next code and try again.")
            if allowed
            else _("Too many wrong codes. Wait a minute and try again."),
        )
    return render(request, "console/second_factor.html", {"form": form, "next": _next_url(request)})


def _enrol(request: HttpRequest) -> HttpResponse:
    device = services.second_factor_enrolment_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_enrolment_confirm(
            device=device, token=form.cleaned_data["token"], request=request
        ):
            otp_login(request, device)
            messages.success(
                request, _("Your authenticator is set up. You will be asked for a code at each sign-in.")
            )
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not right. Check the clock of your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        # No fixed size but a viewBox, so the page's box scales the code instead of cropping it.
        "qr_svg": mark_safe(  # noqa: S308 - segno's own markup
            qr.svg_inline(scale=4, dark="#111", light="#fff", title=_("QR code"), omitsize=True).strip()
        ),
        "next": _next_url(request),
    }
    return render(request, "console/second_factor_enrol.html", context)


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("console:sign-in")


@console_page()
def home(request: HttpRequest) -> HttpResponse:
    principal = principal_for(request.user)
    return render(request, "console/home.html", {"sections": nav.sections_for(principal, request.user)})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "console/password_change.html"
    success_url = reverse_lazy("console:home")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return console_page()(super().dispatch)(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="console/password_reset.html",
    form_class=LimitedPasswordResetForm,
    email_template_name="console/password_reset_email.txt",
    subject_template_name="console/password_reset_subject.txt",
    success_url=reverse_lazy("console:password-reset-sent"),
    from_email=None,
    extra_email_context={"site_name": getattr(settings, "OTP_TOTP_ISSUER", "Joint inspections")},
)
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="console/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="console/password_reset_confirm.html",
    success_url=reverse_lazy("console:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetCompleteView.as_view(
    template_name="console/password_reset_done.html"
)
