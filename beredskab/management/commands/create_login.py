"""Create a login for a person in the directory, from the server's shell.

Django admin has no user pages (issue 24): the directory never writes a login, and
logins are not edited through generic forms. Until the provisioning issue gives the
portal its own pages, an operator with shell access (who can run createsuperuser
anyway) creates logins here. The login gets no password: its owner sets one through
"Forgot your password?", at the address given here. It gets exactly the roles granted
to the person (beredskab.grants), and the link is on the person's timeline.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from beredskab import grants, timeline
from beredskab.models import Person

ACTOR = "manage.py create_login"


class Command(BaseCommand):
    help = "Create a login for a person (no password: the owner sets it by password reset)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("person", type=int, help="The person's id in the directory.")
        parser.add_argument("username")
        parser.add_argument("email", help="The login's own address (for password reset).")

    @transaction.atomic
    def handle(self, *args, person: int, username: str, email: str, **options) -> None:
        users = get_user_model()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an e-mail address: {email}") from error
        found = Person.objects.select_for_update().filter(pk=person).first()
        if found is None:
            raise CommandError(f"No person with id {person}.")
        if found.user_id:
            raise CommandError(f"{found} already has a login ({found.user.get_username()}).")
        if not found.is_active:
            raise CommandError(f"{found} is inactive in the directory.")
        if users.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username} is taken.")
        user = users.objects.create_user(username=username, email=email, password=None)
        found.user = user
        found.save(update_fields=["user"])
        grants.login_linked(found, actor=ACTOR)
        self.stdout.write(self.style.SUCCESS(f"Created the login {username} for {found}."))


def reactivate(user, *, actor: str = ACTOR) -> None:
    """Give a leaver who came back their login again (their person must be active)."""
    person = Person.objects.filter(user=user).first()
    if person is None or not person.is_active:
        raise CommandError("The login's person must be active in the directory first.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    timeline.record(person, "person.login_reactivated", actor=actor, data={"changed": ["user"]})
