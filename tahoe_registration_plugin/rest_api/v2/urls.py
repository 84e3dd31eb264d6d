"""v2 routes."""
from django.urls import path

from tahoe_registration_plugin.rest_api.v2.views import RegistrationViewV2
from tahoe_registration_plugin.rest_api.views import undocumented

app_name = "v2"

urlpatterns = [
    path("registrations/", RegistrationViewV2.as_view(), name="registrations"),
    # Also answered without the slash, since a redirect would lose the POST body; documented once.
    path("registrations", undocumented(RegistrationViewV2).as_view()),
]
