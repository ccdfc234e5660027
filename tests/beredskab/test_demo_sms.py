from django.urls import reverse

from beredskab.models import OutboxMessage


def test_it_lists_what_the_console_backend_would_have_sent(client_as, employee, settings):
    settings.DEBUG = True
    settings.SMS_BACKEND = "console"
    OutboxMessage.objects.create(
        channel="sms",
        recipient="+4521980001",
        recipient_name="Lise",
        body="Kvittér: x",
        idempotency_key="demo-1",
    )
    response = client_as(employee).get(reverse("demo_sms"))
    assert response.status_code == 200
    assert "Kvittér: x" in response.content.decode()


def test_it_does_not_exist_outside_the_demo(client_as, employee, settings):
    settings.DEBUG = True
    settings.SMS_BACKEND = "twilio"
    assert client_as(employee).get(reverse("demo_sms")).status_code == 404
