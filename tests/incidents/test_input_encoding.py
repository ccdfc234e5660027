"""Input that is not UTF-8 gets a Danish message: never stored as replacement
characters, never an attachment dropped without a word."""

from __future__ import annotations

from django.urls import reverse

from incidents.models import Attachment, Incident

BOUNDARY = "faultsboundary"


def multipart(parts: list[tuple[bytes, bytes]]) -> bytes:
    """[(Content-Disposition parameters, body)] as a multipart body, bytes as given."""
    out = b""
    for disposition, body in parts:
        out += b"--" + BOUNDARY.encode() + b"\r\n"
        out += b"Content-Disposition: form-data; " + disposition + b"\r\n"
        if b"filename" in disposition:
            out += b"Content-Type: image/png\r\n"
        out += b"\r\n" + body + b"\r\n"
    return out + b"--" + BOUNDARY.encode() + b"--\r\n"


def post(client, body: bytes, content_type: str):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    return client.generic("POST", reverse("incidents:report"), body, content_type=content_type)


def test_it_refuses_invalid_utf8_in_a_text_field_in_danish(client_as, people, plan):
    client = client_as(people["reporter"])
    response = post(
        client,
        b"description=Printeren+%E6der+papir&kind=other",
        "application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "ikke er gyldig tekst" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_refuses_invalid_utf8_in_a_multipart_text_field(client_as, people, plan):
    client = client_as(people["reporter"])
    body = multipart([(b'name="description"', b"Printeren \xe6der papir")])
    response = post(client, body, f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert "ikke er gyldig tekst" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_says_so_when_an_attachment_name_is_not_utf8(client_as, people, plan):
    client = client_as(people["reporter"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    body = multipart(
        [
            (b'name="description"', "Skærmbillede af fejlen".encode()),
            (b'name="attachments"; filename="sk\xe6rm.png"', png),
        ]
    )
    response = post(client, body, f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert "fils navn" in response.content.decode()
    assert not Incident.objects.exists()
    assert not Attachment.objects.exists()


def test_it_still_takes_utf8_text_and_file_names(client_as, people, plan):
    client = client_as(people["reporter"])
    body = multipart([(b'name="description"', "Printeren æder papir".encode())])
    response = post(client, body, f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 302
    assert Incident.objects.get().description == "Printeren æder papir"
