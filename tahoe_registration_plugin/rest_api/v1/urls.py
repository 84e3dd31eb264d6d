"""v1 routes."""
from django.urls import path

from tahoe_registration_plugin.rest_api.v1.views import RegistrationViewV1
from tahoe_registration_plugin.rest_api.views import undocumented

app_name = "v1"

urlpatterns = [
    path("registrations/", RegistrationViewV1.as_view(), name="registrations"),
    # Also answered without the slash, since a redirect would lose the POST body; documented once.
    path("registrations", undocumented(RegistrationViewV1).as_view()),
]
