from django.urls import path

from backend.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.second_factor, name="second-factor"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/password/reset/", views.password_reset, name="password-reset"),
    path("account/password/reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("account/password/reset/done/", views.password_reset_done, name="password-reset-done"),
]
