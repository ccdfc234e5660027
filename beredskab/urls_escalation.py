from django.urls import path

from beredskab.views import escalation

app_name = "escalation"

urlpatterns = [
    path("runs/", escalation.run_list, name="run_list"),
    path("runs/<int:pk>/", escalation.run_detail, name="run"),
    path("runs/<int:pk>/steps/<int:step_pk>/ack/", escalation.run_acknowledge, name="run_ack"),
    path("runs/<int:pk>/steps/<int:step_pk>/tick/", escalation.run_tick, name="run_tick"),
    path("runs/<int:pk>/close/", escalation.run_close, name="run_close"),
    path("chains/<int:chain_pk>/test/", escalation.chain_test, name="chain_test"),
    path("a/<str:token>/", escalation.ack_link, name="ack"),
]
