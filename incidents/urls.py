from django.urls import path

from incidents.views import (
    attachments,
    detail,
    exports,
    gdpr,
    kinds,
    letters,
    log,
    report,
    viewlog,
)

app_name = "incidents"

urlpatterns = [
    path("", report.report_form, name="report"),
    # The name other pages link to since before the form existed; same page.
    path("", report.report_form, name="index"),
    path("mine/", report.mine, name="mine"),
    path("log/", log.log, name="log"),
    path("log/export.csv", exports.export_csv, name="export_csv"),
    path("log/export.pdf", exports.export_pdf, name="export_pdf"),
    path("kaeder/", kinds.kind_chains, name="kind_chains"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/kvittering/", report.receipt, name="receipt"),
    path("<int:pk>/frigiv/", detail.release, name="release"),
    path("<int:pk>/status/", detail.transition, name="transition"),
    path("<int:pk>/ny-eskalering/", detail.new_escalation, name="new_escalation"),
    path("<int:pk>/opmaerksom/", detail.awareness, name="awareness"),
    path("<int:pk>/taskforce/", detail.taskforce, name="taskforce"),
    path("<int:pk>/vurdering/", gdpr.assess, name="assess"),
    path("<int:pk>/beslutning/", gdpr.decide, name="decide"),
    path("<int:pk>/fakta/", gdpr.facts, name="facts"),
    path("<int:pk>/dpo-anbefaling/", gdpr.advise, name="advise"),
    path("<int:pk>/anmeldelse/", gdpr.notify, name="notify"),
    path("<int:pk>/datatilsynet/", gdpr.draft, name="draft"),
    path("<int:pk>/datatilsynet.pdf", gdpr.draft_pdf, name="draft_pdf"),
    path("<int:pk>/visninger/", viewlog.view_log, name="view_log"),
    path("<int:pk>/breve/", letters.letters_page, name="letters"),
    path("<int:pk>/breve/tekst/", letters.save_text, name="letters_text"),
    path("<int:pk>/breve/liste/", letters.import_list, name="letters_import"),
    path("<int:pk>/breve/sendt/", letters.record_sent, name="letters_sent"),
    path("<int:pk>/breve/<int:part>.pdf", letters.letters_pdf, name="letters_pdf"),
    path("<int:pk>/bilag/<int:attachment_pk>/", attachments.attachment, name="attachment"),
]
