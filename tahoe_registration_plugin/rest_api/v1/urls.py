"""v1 routes."""
from django.urls import path

from tahoe_registration_plugin.rest_api.v1.views import RegistrationViewV1

app_name = "v1"

registrations = RegistrationViewV1.as_view()

urlpatterns = [
    path("registrations/", registrations, name="registrations"),
    # Also answered without the slash, since a redirect would lose the POST body.
    path("registrations", registrations),
]
