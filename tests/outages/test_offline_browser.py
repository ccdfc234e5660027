"""With the server gone, a visited playbook page is answered by the service worker (a real browser).

Playwright's offline mode does not block service-worker fetches, so the test puts a
TCP forwarder of its own between Chromium and the live server and stops it: to the
browser the portal has gone away, exactly as in a power cut.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from beredskab.roles import Role
from outages.models import Playbook
from outages.plan import load_power_playbook
from tests.conftest import PASSWORD
from tests.e2e.support import PHONE, launch

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Forwarder:
    """127.0.0.1:<port> → the live server, until stop()."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        self.running = False
        self.listener.close()
        for connection in self.connections:
            try:
                connection.close()
            except OSError:
                pass


def test_a_visited_playbook_page_is_answered_by_the_service_worker_without_the_server(
    live_server, make_user, chromium_path, allow_orm_beside_playwright
):
    make_user(Role.MEDARBEJDER, Role.BEREDSKABSGRUPPE, username="offline-group")
    load_power_playbook()
    playbook = Playbook.objects.order_by("pk").first()
    path = reverse("outages:playbook", args=[playbook.pk])
    forwarder = Forwarder(urlparse(live_server.url).port)
    base = f"http://127.0.0.1:{forwarder.port}"

    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = launch(p, chromium_path)
            try:
                page = browser.new_context(viewport=PHONE, locale="da-DK").new_page()
                page.goto(base + reverse("login"))
                page.locator("#id_login").fill("offline-group")
                page.locator("#id_password").fill(PASSWORD)
                page.locator("form.form button[type=submit]").click()
                page.wait_for_url(base + reverse("home"))
                page.goto(base + path)
                # Wait until the service worker controls the page, then visit once more
                # so the page goes through it and into its copy.
                page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                page.wait_for_function("navigator.serviceWorker.controller !== null")
                page.reload()
                online_text = page.locator("h1").inner_text()

                forwarder.stop()
                response = page.reload()
                assert response is not None and response.from_service_worker
                assert page.locator("h1").inner_text() == online_text
                assert playbook.name in page.content()
            finally:
                browser.close()
    finally:
        forwarder.stop()
