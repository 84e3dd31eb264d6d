"""``POST /tahoe/api/v2/registrations/``: v1's operation with v2's bodies and no deprecation headers."""
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from edx_api_doc_tools import schema

from tahoe_registration_plugin import scopes
from tahoe_registration_plugin.rest_api import docs
from tahoe_registration_plugin.rest_api.v2.serializers import RegistrationSerializerV2
from tahoe_registration_plugin.rest_api.views import RegistrationView

CONFLICT_MESSAGES = {
    ("username",): _("Username already exists"),
    ("email",): _("Email already exists"),
    ("email", "username"): _("Both email and username already exist"),
}


@method_decorator(schema(**docs.V2), name="post")
class RegistrationViewV2(RegistrationView):
    api_version = "v2"
    serializer_class = RegistrationSerializerV2

    def scopes_needed(self, request):
        # Enrolling with the account needs the enroll scope too (checked before anything is validated).
        enrollments = request.data.get("enrollments") if hasattr(request.data, "get") else None
        return [scopes.REGISTER, *([scopes.ENROLL] if enrollments else [])]

    def success_body(self, result):
        body = {"user_id": result.user_id}
        if result.enrollments:
            body["enrollments"] = [enrollment.as_dict() for enrollment in result.enrollments]
        return body

    def conflict_body(self, fields):
        return {"user_message": CONFLICT_MESSAGES[tuple(fields)], "invalid-params": fields}

    def invalid_body(self, field_errors):
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in sorted(field_errors.items()))
        message = _("Invalid parameters on user creation ({problems})").format(problems=problems)
        return {"user_message": message, "field_errors": field_errors}
