"""Versions of the API, mounted by the plugin's ``url_config`` under ``^tahoe/api/``."""
from django.urls import include, path

urlpatterns = [
    path("v1/", include("tahoe_registration_plugin.rest_api.v1.urls")),
    path("v2/", include("tahoe_registration_plugin.rest_api.v2.urls")),
]
