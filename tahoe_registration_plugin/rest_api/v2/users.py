"""``GET /tahoe/api/v2/users/``: one of the site's learners by email or username, or all of them (CONTRACT §11)."""
from django.utils.decorators import method_decorator
from edx_api_doc_tools import schema
from rest_framework.response import Response

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.backends import get_platform_backend
from tahoe_registration_plugin.enrollments import SiteCourses
from tahoe_registration_plugin.learners import SiteLearners
from tahoe_registration_plugin.rest_api.pagination import NextLinkPagination
from tahoe_registration_plugin.rest_api.v2 import docs
from tahoe_registration_plugin.rest_api.views import SiteApiView


@method_decorator(schema(**docs.USERS_GET), name="get")
class UsersView(SiteApiView):
    endpoint = "users"
    http_method_names = ["get"]
    required_scopes = {"GET": scopes.READ}

    def get(self, request):
        backend = get_platform_backend()
        learners = SiteLearners(backend, self.site)
        params = request.query_params
        if "email" in params or "username" in params:
            # One page of at most one learner; an empty value names no one.
            identifier = params.get("email") or params.get("username")
            user = learners.find(identifier) if identifier else None
            return Response({"results": self._described([user] if user is not None else [], backend), "next": None})
        paginator = NextLinkPagination(self.site)
        page = paginator.paginate_queryset(learners.users().order_by("pk"), request, view=self)
        return paginator.get_paginated_response(self._described(page, backend))

    def _described(self, users, backend):
        """The users as the contract shows them, each with their enrollments in the site's courses (one query)."""
        courses = SiteCourses(backend, self.site)
        enrollments = {}
        for row in backend.enrollment_rows().filter(user__in=[user.pk for user in users]).order_by("pk"):
            if courses.includes_org(row.course_id.org):
                enrollments.setdefault(row.user_id, []).append(
                    {"course_id": str(row.course_id), "mode": row.mode, "is_active": row.is_active}
                )
        return [{
            "user_id": user.pk, "username": user.username, "email": user.email, "name": _name(user),
            "is_active": user.is_active, "date_joined": user.date_joined, "enrollments": enrollments.get(user.pk, []),
        } for user in users]


def _name(user):
    profile = getattr(user, "profile", None)
    return profile.name if profile is not None else user.get_full_name()
