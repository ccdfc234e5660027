"""Danish first, whatever the browser says; the language switch wins."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_answers_in_danish_to_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "da"


@pytest.mark.django_db
def test_it_answers_in_english_once_chosen_with_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="da")
    assert response["Content-Language"] == "en"
