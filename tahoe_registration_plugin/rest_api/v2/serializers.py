"""v2's request: v1's fields, and the courses to enroll the new learner in."""
from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import serializers

from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.data import Enrollment
from tahoe_registration_plugin.enrollments import item_problem
from tahoe_registration_plugin.rest_api.serializers import RegistrationSerializer, StringField


class EnrollmentItemSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One course to enroll in: its id, and optionally a mode (else the course's default)."""

    course_id = StringField(help_text="A course key, e.g. `course-v1:Org+Course+Run`.", error_messages={
        name: _("course_id must be a string.") for name in ("required", "null", "blank", "not_a_string")
    })
    mode = StringField(required=False, allow_null=True, help_text="An enrollment mode the course offers, e.g. "
                       "`verified`.", error_messages={
                           name: _("mode must be a non-empty string.") for name in ("blank", "not_a_string")
                       })

    def validate_course_id(self, value):
        try:
            return CourseKey.from_string(value)
        except InvalidKeyError as error:
            raise serializers.ValidationError(_("not a valid course id.")) from error

    def to_enrollment(self, item):
        """The item as an ``Enrollment``, or raise ``ValidationError`` with what is wrong with it."""
        if not isinstance(item, dict):
            raise serializers.ValidationError(_('must be an object: {"course_id": …, "mode": …}.'))
        try:
            values = self.run_validation(item)
        except serializers.ValidationError as error:
            # One problem per item: the course's first, else the mode's.
            raise serializers.ValidationError(next(iter(error.detail.values()))[0]) from error
        return Enrollment(values["course_id"], values.get("mode"))


class EnrollmentsField(serializers.ListField):
    """
    The ``enrollments`` list, each problem reported as one message naming its item (``Item 2
    (course-v1:…): …``), so that a caller sees at once which course was refused.
    """

    child = EnrollmentItemSerializer()
    default_error_messages = {
        # Formatted by DRF: the braces of the example are doubled.
        "not_a_list": _('Must be a list of {{"course_id": …, "mode": …}} objects.'),
        "too_many": _("At most {limit} courses can be enrolled in with one registration."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        limit = api_settings.max_enrollments
        if len(data) > limit:
            self.fail("too_many", limit=limit)
        enrollments, problems = [], []
        for position, item in enumerate(data, start=1):
            try:
                enrollments.append(self.child.to_enrollment(item))
            except serializers.ValidationError as error:
                label = item.get("course_id") if isinstance(item, dict) else item
                problems.append(item_problem(position, label, error.detail[0]))
        if problems:
            raise serializers.ValidationError(problems)
        return tuple(enrollments)


class RegistrationSerializerV2(RegistrationSerializer):  # pylint: disable=abstract-method
    """v1's fields, plus ``enrollments``: JSON bodies only (a form cannot carry a list of objects)."""

    enrollments = EnrollmentsField(required=False, help_text=(
        "Courses to enroll the learner in, with the account: all of them or nothing."
    ))

    class Meta:
        # The model's name in the OpenAPI document.
        ref_name = "RegistrationV2"

    def new_account(self):
        return replace(super().new_account(), enrollments=self.validated_data.get("enrollments", ()))
