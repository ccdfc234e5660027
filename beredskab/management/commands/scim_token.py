"""`manage.py scim_token create NAME` / `rotate NAME` / `list`: a provisioning client's
bearer token, printed once (only its hash is stored)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beredskab.models import ScimToken
from beredskab.scim import tokens


class Command(BaseCommand):
    help = "Create, rotate or list SCIM provisioning tokens (the token is printed once)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "list"])
        parser.add_argument("name", nargs="?", default="")
        parser.add_argument("--days", type=int, default=None, help="days until it expires")

    def handle(self, *args, action, name, days, **options):
        if action == "list":
            for row in ScimToken.objects.all():
                self.stdout.write(f"{row.name}\texpires {row.expires_at:%Y-%m-%d}")
            return
        if not name:
            raise CommandError("Give the client's NAME, e.g. entra-id.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        if action == "create":
            if ScimToken.objects.filter(name=name).exists():
                raise CommandError(f"A token named {name!r} exists; use rotate.")
            row, token = tokens.create(name, days)
        else:
            if not ScimToken.objects.filter(name=name).exists():
                raise CommandError(f"No token named {name!r}; use create.")
            row, token = tokens.rotate(name, days)
        self.stdout.write(token)
        self.stderr.write(
            f"Token for {row.name}, expires {row.expires_at:%Y-%m-%d}. "
            "It is shown only now: paste it into Entra ID as the Secret Token."
        )
