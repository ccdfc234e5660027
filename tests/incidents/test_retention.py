"""Retention: an incident closed INCIDENT_RETENTION_YEARS ago loses its personal data,
keeps its statistics, and its timeline still verifies."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from beredskab import timeline
from beredskab.models import OutboxMessage
from incidents import retention
from incidents.models import Incident, IncidentPurge
from incidents.services import gdpr, letters, triage
from incidents.services.report import add_attachment
from incidents.tasks import purge_retention
from incidents.viewlog import log_view

# Values only the purged incident holds: none may be left anywhere in the database.
PERSONAL = {
    "description": "Kirsten Purgesensdatter på Æblevej 12 fik en andens journal",
    "reason": "Lukket efter samtale med Kirsten Purgesensdatter",
    "members": "Bodil Taskforcesen",
    "rationale": "Journalen for Kirsten Purgesensdatter var synlig",
    "consequences": "Risiko for identitetstyveri hos Purgesensdatter",
    "file": "purgesensdatter-journal.pdf",
}


def a_closed_incident(make_incident, people) -> Incident:
    koordinator = people["koordinator"]
    incident = make_incident(description=PERSONAL["description"])
    add_attachment(
        incident,
        SimpleUploadedFile(PERSONAL["file"], b"%PDF-1.4 test", content_type="application/pdf"),
        user=people["reporter"],
        now=timezone.now(),
    )
    triage.decide_taskforce(
        incident,
        taskforce="yes",
        members=PERSONAL["members"],
        reason="Alvorligt",
        actor=koordinator,
    )
    gdpr.decide(
        incident,
        decision="notify",
        rationale=PERSONAL["rationale"],
        inform_subjects="yes",
        actor=koordinator,
    )
    gdpr.update_facts(incident, actor=koordinator, consequences=PERSONAL["consequences"])
    letters.save_text(
        incident,
        actor=koordinator,
        what_happened=PERSONAL["description"],
        consequences="c",
        measures="m",
        advice="a",
        contact="k",
    )
    letters.import_list(
        incident,
        "navn;adresse\nKirsten Purgesensdatter;Æblevej 12\n".encode("cp1252"),
        actor=koordinator,
    )
    log_view(people["it"], incident, "detail")
    triage.transition(incident, "closed", actor=koordinator, reason=PERSONAL["reason"])
    incident.refresh_from_db()
    return incident


def verify_timeline_ok() -> str:
    out = StringIO()
    call_command("verify_timeline", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_waits_for_the_retention_period(make_incident, people, settings):
    settings.INCIDENT_RETENTION_YEARS = 5
    incident = a_closed_incident(make_incident, people)
    assert retention.purge_due(timezone.now() + timedelta(days=4 * 365)) == 0
    settings.INCIDENT_RETENTION_YEARS = 3
    assert retention.purge_due(timezone.now() + timedelta(days=4 * 365)) == 1
    assert IncidentPurge.objects.get(incident=incident).retention_years == 3


def test_an_open_or_reopened_incident_is_never_due(make_incident, people):
    koordinator = people["koordinator"]
    open_one = make_incident()
    reopened = make_incident()
    triage.transition(reopened, "closed", actor=koordinator, reason="x")
    triage.transition(reopened, "reopened", actor=koordinator, reason="y")
    assert retention.purge_due(timezone.now() + timedelta(days=20 * 365)) == 0
    assert not IncidentPurge.objects.filter(incident__in=[open_one, reopened]).exists()


def test_it_purges_personal_fields_and_keeps_the_statistics(
    make_incident, people, private_media, django_capture_on_commit_callbacks
):
    incident = a_closed_incident(make_incident, people)
    assert [p for p in private_media.rglob("*") if p.is_file()]
    later = (timezone.now() + timedelta(days=6 * 365)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_retention(later) == 1
    assert purge_retention(later) == 0  # idempotent
    purged = Incident.objects.get(pk=incident.pk)
    assert purged.description == purged.taskforce_members == purged.decision_rationale == ""
    assert purged.reporter is None and purged.reporter_text == ""
    # Statistics stay.
    assert (purged.kind, purged.status, purged.decision, purged.reference) == (
        incident.kind,
        "closed",
        "notify",
        incident.reference,
    )
    assert purged.department_id == incident.department_id
    assert not purged.attachments.exists() and not purged.views.exists()
    assert not purged.letter_recipients.exists() and not hasattr(purged, "letter")
    assert not [p for p in private_media.rglob("*") if p.is_file()]
    events = list(timeline.events_for(purged))
    assert events[-1].kind == "incident.purged"
    assert all(e.is_purged for e in events[:-1])
    assert "OK:" in verify_timeline_ok()
    page_text = events[0].description
    assert PERSONAL["description"] not in page_text


def test_the_command_lists_and_purges(make_incident, people, settings):
    settings.INCIDENT_RETENTION_YEARS = 1
    incident = a_closed_incident(make_incident, people)
    out = StringIO()
    call_command("purge_incidents", "--dry-run", stdout=out)
    assert out.getvalue() == ""  # closed today: not due yet
    call_command("purge_incidents", stdout=out)
    assert "purged: 0" in out.getvalue()
    Incident.objects.filter(pk=incident.pk).update(status="closed")
    settings.INCIDENT_RETENTION_YEARS = 1
    assert retention.due(timezone.now() + timedelta(days=400)).get() == incident
    assert not IncidentPurge.objects.exists()


def test_no_personal_value_is_left_in_the_database(
    postgres, transactional_db, make_incident, people, tmp_path
):
    incident = a_closed_incident(make_incident, people)
    assert retention.purge_due(timezone.now() + timedelta(days=6 * 365)) == 1
    assert verify_timeline_ok().startswith("OK:")
    assert IncidentPurge.objects.filter(incident=incident).exists()
    assert OutboxMessage.objects.for_group(incident.run.group_key).exists()
    name = connection.settings_dict["NAME"]
    dump = subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--data-only", name],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode()
    assert incident.reference in dump  # the dump holds the incident...
    for field, value in PERSONAL.items():
        # ...but no personal value of it, in any table, whole or in part.
        assert value not in dump, field
    for word in ("Purgesensdatter", "Taskforcesen", "identitetstyveri", "Æblevej"):
        assert word not in dump, word


def test_it_refuses_a_retention_below_one_year():
    from tests.test_settings import clean_env, manage

    result = manage("check", env=clean_env(DJANGO_ENV="demo", INCIDENT_RETENTION_YEARS="0"))
    assert result.returncode != 0
    assert "INCIDENT_RETENTION_YEARS must be at least 1" in result.stderr


def test_beat_runs_the_purge_daily():
    from beredskab.celery import app

    entry = app.conf.beat_schedule["incidents-purge-retention"]
    assert entry["task"] == purge_retention.name == "incidents.purge_retention"
    assert entry["schedule"] == 24 * 60 * 60.0
