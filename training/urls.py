from django.urls import path

from training.views import completions, compliance, mine

app_name = "training"

urlpatterns = [
    path("", mine.index, name="index"),
    path("overblik/", compliance.compliance, name="compliance"),
    path("overblik.csv", compliance.compliance_csv, name="compliance_csv"),
    path("import/", completions.import_view, name="import"),
    path("tildeling/<int:pk>/gennemfoert/", completions.record, name="record"),
]
