import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_redirects_anonymous_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_serves_the_danish_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["Content-Language"] == "da"
    assert b'lang="da"' in response.content


@pytest.mark.django_db
def test_it_shows_the_home_page_to_an_employee(client_as, employee):
    response = client_as(employee).get(reverse("home"))
    assert response.status_code == 200
    assert "Employee" in response.content.decode()
