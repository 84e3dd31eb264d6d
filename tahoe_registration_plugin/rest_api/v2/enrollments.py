"""``/tahoe/api/v2/enrollments/``: enroll or unenroll the site's learners (POST), list their enrollments (GET)."""
from django.utils.decorators import method_decorator
from edx_api_doc_tools import schema
from rest_framework.response import Response

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.enrollment_changes import change_enrollments
from tahoe_registration_plugin.enrollments import SiteCourses
from tahoe_registration_plugin.learners import SiteLearners
from tahoe_registration_plugin.rest_api.pagination import NextLinkPagination
from tahoe_registration_plugin.rest_api.v2 import docs
from tahoe_registration_plugin.rest_api.v2.serializers import EnrollmentChangeSerializer
from tahoe_registration_plugin.rest_api.views import SiteApiView


@method_decorator(schema(**docs.ENROLLMENTS_POST), name="post")
@method_decorator(schema(**docs.ENROLLMENTS_GET), name="get")
class EnrollmentsView(SiteApiView):
    endpoint = "enrollments"
    http_method_names = ["get", "post"]
    required_scopes = {"GET": scopes.READ, "POST": scopes.ENROLL}

    def post(self, request):
        serializer = EnrollmentChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = change_enrollments(
            serializer.enrollment_change(), site=self.site, api_key=self.api_key,
            idempotency_key=self.idempotency_key(request, operation="enrollments:"),
        )
        body = {"action": outcome.action, "results": [result.as_dict() for result in outcome.results]}
        if outcome.warnings:
            body["warnings"] = list(outcome.warnings)
        return Response(body)

    def get(self, request):
        backend = get_platform_backend()
        courses = SiteCourses(backend, self.site)
        rows = backend.enrollment_rows().filter(user__in=SiteLearners(backend, self.site).users())
        rows = rows.filter(courses.course_id_filter())
        course_id, learner = request.query_params.get("course_id"), request.query_params.get("learner")
        if course_id is not None:
            course = courses.find_by_id(course_id)
            rows = rows.filter(course_id=course.course_key) if course is not None else rows.none()
        if learner is not None:
            user = SiteLearners(backend, self.site).find(learner)
            rows = rows.filter(user=user) if user is not None else rows.none()
        paginator = NextLinkPagination(self.site)
        page = paginator.paginate_queryset(rows.select_related("user").order_by("pk"), request, view=self)
        return paginator.get_paginated_response([
            {"user_id": row.user_id, "username": row.user.username, "course_id": str(row.course_id),
             "mode": row.mode, "is_active": row.is_active, "created": row.created}
            for row in page if courses.includes_org(row.course_id.org)
        ])
