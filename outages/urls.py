from django.urls import path

from outages.views import report, status, steps

app_name = "outages"

urlpatterns = [
    path("", status.index, name="index"),
    path("meld/", report.report, name="report"),
    path("<int:pk>/", report.detail, name="detail"),
    path("<int:pk>/erklaer/", steps.declare, name="declare"),
    path("<int:pk>/afvis/", steps.dismiss, name="dismiss"),
    path("<int:pk>/leverandoer/", steps.contacted, name="contacted"),
    path("<int:pk>/eta/", steps.eta, name="eta"),
    path("<int:pk>/genopretter/", steps.restoring, name="restoring"),
    path("<int:pk>/genoprettet/", steps.restored, name="restored"),
    path("<int:pk>/luk/", steps.close, name="close"),
]
