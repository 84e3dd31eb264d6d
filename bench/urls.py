"""The standalone project's URLs, and the load test's reference endpoint beside them."""
from django.urls import path

from bench import reference
from test_urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("bench/reference/registrations/", reference.register),
    path("bench/reference/enrollments/", reference.enroll),
]
