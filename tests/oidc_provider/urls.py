from django.urls import include, path
from oauth2_provider import views as oauth_views

from tests.oidc_provider import views

urlpatterns = [
    path("healthz", views.healthz),
    path("login/", views.login_view),
    path("control/", views.control_view),
    path(
        "o/authorize/",
        views.record_authorize(oauth_views.AuthorizationView.as_view()),
    ),
    path("o/", include("oauth2_provider.urls")),
]
