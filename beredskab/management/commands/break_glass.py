"""Mark and unmark break-glass accounts, from the server's shell (README "Break-glass
accounts"). Each change is on the timeline of the login's person (or of the login).

    manage.py break_glass add <username> [--label "Nødkonto 1 (boks A)"]
    manage.py break_glass remove <username>
    manage.py break_glass list
"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from beredskab import breakglass
from beredskab.models import BreakGlassAccount


def _actor() -> str:
    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in a container is not an error
        who = "?"
    return f"manage.py break_glass ({who})"


class Command(BaseCommand):
    help = "Mark, unmark or list break-glass accounts."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Mark a login as a break-glass account.")
        add.add_argument("username")
        add.add_argument("--label", default="", help="e.g. where the sealed envelope is kept")
        remove = sub.add_parser("remove", help="Unmark a break-glass account.")
        remove.add_argument("username")
        sub.add_parser("list", help="List the break-glass accounts.")

    def handle(self, *args, action: str, **options) -> None:
        try:
            if action == "add":
                breakglass.add(options["username"], label=options["label"], actor=_actor())
                self.stdout.write(
                    self.style.SUCCESS(f"{options['username']} is a break-glass account.")
                )
            elif action == "remove":
                breakglass.remove(options["username"], actor=_actor())
                self.stdout.write(
                    self.style.SUCCESS(f"{options['username']} is no longer a break-glass account.")
                )
            else:
                for account in BreakGlassAccount.objects.select_related("user"):
                    self.stdout.write(
                        f"{account.user.get_username()}\t{account.label}\t"
                        f"{account.created_at:%Y-%m-%d}\t{account.created_by}"
                    )
        except breakglass.BreakGlassError as error:
            raise CommandError(str(error)) from error
