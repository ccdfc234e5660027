"""Link a login to its Entra ID account by the account's immutable object id (oid).

From then on the person signs in with the municipality's account only: the login's
portal password is removed and no password reset applies to it. Provisioning (SCIM)
links people the same way; this command is the admin's path. On the timeline.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beredskab import entra


class Command(BaseCommand):
    help = "Link a login to an Entra ID account (object id); the login loses its password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("oid", help="the account's Object ID in Entra ID (a GUID)")

    def handle(self, *args, username: str, oid: str, **options) -> None:
        try:
            oid = str(uuid.UUID(oid))
        except ValueError:
            raise CommandError(f"{oid!r} is not an Entra object id (a GUID).") from None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login {username}.")
        try:
            entra.link(user, oid, actor="manage.py link_entra")
        except entra.LinkError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{username} now signs in with Entra ID ({oid})."))
