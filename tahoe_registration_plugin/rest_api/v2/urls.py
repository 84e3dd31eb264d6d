"""v2 routes."""
from django.urls import path

from tahoe_registration_plugin.rest_api.v2.views import RegistrationViewV2

app_name = "v2"

registrations = RegistrationViewV2.as_view()

urlpatterns = [
    path("registrations/", registrations, name="registrations"),
    # Also answered without the slash, since a redirect would lose the POST body.
    path("registrations", registrations),
]
