"""Give a login back to a person who was deactivated and has come back.

Deactivating a person in the directory disables their login at once; activating them
again does not: a login that opens again is a grant of access, so it takes an
operator on the server (as createsuperuser and create_login do). On the timeline.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from beredskab.management.commands.create_login import reactivate


class Command(BaseCommand):
    help = "Enable the login of a person who is active in the directory again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login {username}.")
        reactivate(user, actor="manage.py reactivate_login")
        self.stdout.write(self.style.SUCCESS(f"The login {username} is active again."))
