"""``manage.py demo_code USERNAME``: the current sign-in code of a demo login's authenticator.

Planners, reviewers, victim protection and administrators give a second factor at console
sign-in. On the demo, anyone trying it may not want to enrol a phone: this prints the six-digit
code an authenticator app would show, for demo logins only, whether the login has confirmed its
authenticator or is in the middle of enrolling one (the code then confirms it).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backend.demo.city import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo login (demo logins only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo login, e.g. demo-planner.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if username not in {login[1] for login in DEMO_LOGINS}:
            raise CommandError(f"{username} is not a demo login; real accounts use their own authenticator.")
        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "id").first()
        if device is None:
            raise CommandError(
                f"{username} has no authenticator yet: sign in once at /sign-in/ (the page sets one up), "
                "then run this again."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
