"""v2 routes, each also answered without its trailing slash (a redirect would lose a POST body); documented once."""
from django.urls import path

from tahoe_registration_plugin.rest_api.v2.courses import CoursesView
from tahoe_registration_plugin.rest_api.v2.enrollments import EnrollmentsView
from tahoe_registration_plugin.rest_api.v2.users import UsersView
from tahoe_registration_plugin.rest_api.v2.views import RegistrationViewV2
from tahoe_registration_plugin.rest_api.views import undocumented

app_name = "v2"

urlpatterns = [
    path("registrations/", RegistrationViewV2.as_view(), name="registrations"),
    path("registrations", undocumented(RegistrationViewV2).as_view()),
    path("enrollments/", EnrollmentsView.as_view(), name="enrollments"),
    path("enrollments", undocumented(EnrollmentsView).as_view()),
    path("users/", UsersView.as_view(), name="users"),
    path("users", undocumented(UsersView).as_view()),
    path("courses/", CoursesView.as_view(), name="courses"),
    path("courses", undocumented(CoursesView).as_view()),
]
