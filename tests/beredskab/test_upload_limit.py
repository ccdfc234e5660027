"""Uploads are refused while they stream in, as soon as they pass the limit, with the
field's Danish message and a 400 (issue 24, item 11)."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from beredskab.forms.fields import TableFileField
from beredskab.uploads import Refused, TooLargeUpload
from incidents.models import Incident

PNG = b"\x89PNG\r\n\x1a\n"
LIMIT = 64 * 1024
SENT = 4 * 1024 * 1024


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    settings.UPLOAD_MAX_FILE_BYTES = LIMIT
    settings.UPLOAD_MAX_REQUEST_BYTES = 8 * 1024 * 1024
    settings.MEDIA_ROOT = tmp_path


class CountingStream(io.BytesIO):
    """The request body, counting how much of it the server read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def multipart_request(data: dict, **extra) -> tuple[WSGIRequest, CountingStream]:
    body = encode_multipart(BOUNDARY, data)
    environ = RequestFactory().generic("POST", "/upload/", body, MULTIPART_CONTENT).environ
    stream = CountingStream(body)
    environ["wsgi.input"] = stream
    environ["CONTENT_LENGTH"] = str(extra.get("content_length", len(body)))
    return WSGIRequest(environ), stream


def test_it_stops_reading_a_too_large_file_long_before_its_end():
    big = SimpleUploadedFile("big.png", PNG + b"x" * SENT, content_type="image/png")
    request, stream = multipart_request({"description": "tekst", "attachments": big})

    assert request.POST["description"] == "tekst"  # the fields before the file are kept
    assert "attachments" not in request.FILES
    refused = request.upload_refused
    assert refused.field_name == "attachments" and refused.file_name == "big.png"
    assert refused.limit == LIMIT
    # The handler stopped within one chunk (64 KiB) past the limit; the body is 4 MB.
    assert stream.bytes_read < LIMIT + 2 * 64 * 1024
    assert stream.bytes_read < SENT / 10


def test_it_reads_about_5_mb_of_a_50_mb_upload_with_the_default_limits(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 5 * 1024 * 1024
    settings.UPLOAD_MAX_REQUEST_BYTES = 100 * 1024 * 1024  # only the per-file limit acts
    huge = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"x" * (50 * 1024 * 1024))
    request, stream = multipart_request({"attachments": huge})

    assert "attachments" not in request.FILES
    assert stream.bytes_read < 6 * 1024 * 1024


def test_it_stops_at_the_first_file_of_a_request_that_declares_itself_too_large(settings):
    settings.UPLOAD_MAX_FILE_BYTES = SENT * 2
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", PNG + b"x" * SENT, content_type="image/png")
    request, stream = multipart_request({"description": "tekst", "attachments": big})

    assert "attachments" not in request.FILES
    assert request.upload_refused.limit == 1024 * 1024
    assert stream.bytes_read < 256 * 1024


def test_it_lets_a_file_within_the_limit_through():
    small = SimpleUploadedFile("small.png", PNG + b"x" * 1000, content_type="image/png")
    request, _stream = multipart_request({"attachments": small})
    assert request.FILES["attachments"].size == len(PNG) + 1000
    assert not hasattr(request, "upload_refused")


def test_it_refuses_a_too_large_attachment_with_a_danish_message_and_400(
    client_as, employee, django_capture_on_commit_callbacks
):
    big = SimpleUploadedFile("stor.png", PNG + b"x" * SENT, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(employee).post(
            reverse("incidents:report"),
            {"description": "Skærmbillede af mailen", "attachments": [big]},
        )
    assert response.status_code == 400
    errors = str(response.context["form"].errors["attachments"])
    assert "stor.png er for stor" in errors
    assert not Incident.objects.exists()


def test_it_shows_a_refused_table_file_as_too_large_at_the_field():
    class ImportForm(forms.Form):
        file = TableFileField()

    refused = Refused(field_name="file", file_name="bookinger.csv", received=LIMIT + 1, limit=LIMIT)
    form = ImportForm(data={}, files={"file": TooLargeUpload(refused)})
    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == "too_large"
