"""Attachments: size and type limits, stored outside the web root, served to those with access."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Attachment, Incident

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post(client, capture, *files):
    with capture(execute=True):
        return client.post(
            reverse("incidents:report"),
            {"description": "Skærmbillede af mailen", "attachments": list(files)},
        )


def test_it_stores_an_allowed_file_under_media_root_without_its_name(
    client_as, people, plan, private_media, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("mail 010203-1234.png", PNG, content_type="image/png")
    response = post(client_as(people["reporter"]), django_capture_on_commit_callbacks, upload)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    path = attachment.file.path
    assert path.startswith(str(private_media))
    assert "010203" not in path and "010203" not in attachment.original_name
    assert open(path, "rb").read() == PNG


def test_it_refuses_a_file_too_large(
    client_as, people, plan, settings, django_capture_on_commit_callbacks
):
    settings.INCIDENT_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.png", PNG + b"x" * 200, content_type="image/png")
    response = post(client_as(people["reporter"]), django_capture_on_commit_callbacks, upload)
    assert response.status_code == 400
    assert "big.png" in str(response.context["form"].errors["attachments"])
    assert not Incident.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_a_forbidden_type_and_a_disguised_file(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    client = client_as(people["reporter"])
    for upload in (
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("fake.png", b"<html><script>", content_type="image/png"),
        SimpleUploadedFile("page.html", b"<html>", content_type="text/html"),
    ):
        response = post(client, django_capture_on_commit_callbacks, upload)
        assert response.status_code == 400, upload.name
    assert not Incident.objects.exists()


def test_it_serves_the_file_to_the_reporter_and_the_systemkoordinator_only(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("mail.eml", b"From: x\r\n\r\nhej", content_type="message/rfc822")
    post(client_as(people["reporter"]), django_capture_on_commit_callbacks, upload)
    attachment = Attachment.objects.get()
    url = reverse("incidents:attachment", args=[attachment.incident_id, attachment.pk])
    own = client_as(people["reporter"]).get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "application/octet-stream"
    assert "attachment" in own["Content-Disposition"]
    assert own["X-Content-Type-Options"] == "nosniff"
    assert b"".join(own.streaming_content) == b"From: x\r\n\r\nhej"
    assert client_as(people["koordinator"]).get(url).status_code == 200
    assert client_as(people["it"]).get(url).status_code == 200


def test_it_hides_the_file_from_other_employees(
    client_as, people, plan, make_user, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("a.txt", b"tekst", content_type="text/plain")
    post(client_as(people["reporter"]), django_capture_on_commit_callbacks, upload)
    attachment = Attachment.objects.get()
    url = reverse("incidents:attachment", args=[attachment.incident_id, attachment.pk])
    colleague = make_user("medarbejder", username="colleague")
    assert client_as(colleague).get(url).status_code == 404
    other_incident = reverse("incidents:attachment", args=[attachment.incident_id + 99, 1])
    assert client_as(people["koordinator"]).get(other_incident).status_code == 404


def test_it_refuses_more_than_five_files(
    client_as, people, plan, django_capture_on_commit_callbacks
):
    files = [SimpleUploadedFile(f"{n}.txt", b"x", content_type="text/plain") for n in range(6)]
    response = post(client_as(people["reporter"]), django_capture_on_commit_callbacks, *files)
    assert response.status_code == 400
