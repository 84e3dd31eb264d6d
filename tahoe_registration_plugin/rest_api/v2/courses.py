"""``GET /tahoe/api/v2/courses/``: the site's courses, with the modes each offers now (CONTRACT §12)."""
from dataclasses import replace

from django.utils.decorators import method_decorator
from edx_api_doc_tools import schema

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.enrollments import SiteCourses
from tahoe_registration_plugin.rest_api.pagination import NextLinkPagination
from tahoe_registration_plugin.rest_api.v2 import docs
from tahoe_registration_plugin.rest_api.views import SiteApiView


@method_decorator(schema(**docs.COURSES_GET), name="get")
class CoursesView(SiteApiView):
    endpoint = "courses"
    http_method_names = ["get"]
    required_scopes = {"GET": scopes.READ}

    def get(self, request):
        backend = get_platform_backend()
        paginator = NextLinkPagination(self.site)
        page = paginator.paginate_queryset(SiteCourses(backend, self.site).listed(), request, view=self)
        return paginator.get_paginated_response([
            replace(course, modes=backend.course_modes(course.course_key)).as_dict() for course in page
        ])
