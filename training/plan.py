"""The plan's training (section 2): the onboarding module of seven short courses for
everyone with IT access, and modules aimed at frontdesk and at leaders.

Idempotent: a module or course that exists (by key) is left as the systemkoordinator
edited it; only missing ones are created. Titles are Danish data, as on the platform.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from beredskab.plan_content import MINDZEED_PAGE
from beredskab.roles import Role
from training.models import Course, DeadlineFrom, Module

# The plan names no address per course, only its Mindzeed page on the staff intranet
# ("Du finder flere oplysninger om Mindzeed på medarbejderportalen"): every course
# links there. The address guessed before (the platform's own, per course) is replaced
# where staff left it as it was.
COURSE_URL = MINDZEED_PAGE
GUESSED_PLATFORM = "https://app.mindzeed.com/courses/"

MODULES = [
    {
        "key": "onboarding",
        "name": "Onboarding: informationssikkerhed for alle",
        "for_everyone": True,
        "roles": [],
        "position": 1,
        "deadline_from": DeadlineFrom.START_DATE,
        "courses": [
            ("phishing", "Phishing: genkend falske mails og links"),
            ("passwords-mfa", "Adgangskoder og totrinsbekræftelse (MFA)"),
            ("mobile-devices", "Mobile enheder: telefon, tablet og bærbar"),
            ("personal-data", "Borgernes personoplysninger: behandling efter GDPR"),
            ("report-incident", "Sådan anmelder du en sikkerhedshændelse"),
            ("social-engineering", "Social engineering: manipulation i telefonen og ved skranken"),
            ("remote-work", "Hjemmearbejde og arbejde uden for kontoret"),
        ],
    },
    {
        "key": "frontdesk",
        "name": "Frontdesk og borgerservice",
        "for_everyone": False,
        "roles": [Role.FRONTDESK],
        "position": 2,
        "deadline_from": DeadlineFrom.ASSIGNED,
        "courses": [
            ("frontdesk-identity", "Identifikation af borgere ved skranke og telefon"),
            ("frontdesk-sms", "Sikker brug af SMS og post til borgere"),
        ],
    },
    {
        "key": "leaders",
        "name": "Ledere: informationssikkerhed og beredskab",
        "for_everyone": False,
        "roles": [Role.LEDER],
        "position": 3,
        "deadline_from": DeadlineFrom.ASSIGNED,
        "courses": [
            ("leaders-breach", "Når uheldet er ude: brud på persondatasikkerheden"),
            ("leaders-culture", "Sikkerhedskultur i din afdeling"),
        ],
    },
]


def load_courses(stdout=None) -> int:
    created = 0
    for spec in MODULES:
        module, made = Module.objects.get_or_create(
            key=spec["key"],
            defaults={
                "name": spec["name"],
                "for_everyone": spec["for_everyone"],
                "position": spec["position"],
            },
        )
        if made:
            created += 1
            module.roles.set(Group.objects.filter(name__in=[str(r) for r in spec["roles"]]))
        for position, (key, title) in enumerate(spec["courses"], start=1):
            course, made = Course.objects.get_or_create(
                key=key,
                defaults={
                    "module": module,
                    "title": title,
                    "url": COURSE_URL,
                    "deadline_days": 30,
                    "deadline_from": spec["deadline_from"],
                    "position": position,
                },
            )
            created += made
            if not made and course.url == GUESSED_PLATFORM + key:
                Course.objects.filter(pk=course.pk, url=course.url).update(url=COURSE_URL)
    if created and stdout is not None:
        stdout.write(f"Training: {created} modules and courses created")
    return created
