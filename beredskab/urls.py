from django.contrib import admin
from django.urls import include, path

from beredskab.views import health, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("informationssikkerhed/", pages.infosec, name="infosec"),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("directory/", include("beredskab.urls_directory")),
    path("incidents/", include("incidents.urls")),
    path("outages/", include("outages.urls")),
    path("contactcenter/", include("contactcenter.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
]
