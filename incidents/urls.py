from django.urls import path

from incidents.views import attachments, report

app_name = "incidents"

urlpatterns = [
    path("", report.report_form, name="report"),
    # The name other pages link to since before the form existed; same page.
    path("", report.report_form, name="index"),
    path("mine/", report.mine, name="mine"),
    path("<int:pk>/kvittering/", report.receipt, name="receipt"),
    path("<int:pk>/bilag/<int:attachment_pk>/", attachments.attachment, name="attachment"),
]
