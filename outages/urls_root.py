"""Outages' one URL at the site's root: the service worker must be served from /sw.js
for its scope to be the whole site."""

from django.urls import path

from outages.views.offline import service_worker

urlpatterns = [
    path("sw.js", service_worker, name="service_worker"),
]
