"""v2's request: v1's fields, and the courses to enroll the new learner in."""
from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import serializers

from tahoe_registration_plugin.conf import settings
from tahoe_registration_plugin.data import Enrollment
from tahoe_registration_plugin.rest_api.serializers import RegistrationSerializer, StringField


class EnrollmentItemSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One course to enroll in: its id, and optionally a mode (else the course's default)."""

    course_id = StringField(help_text="A course key, e.g. `course-v1:Org+Course+Run`.")
    mode = StringField(required=False, help_text="An enrollment mode the course offers, e.g. `verified`.")


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
        limit = settings.max_enrollments
        if len(data) > limit:
            self.fail("too_many", limit=limit)
        enrollments, problems, seen = [], [], set()
        for position, item in enumerate(data, start=1):
            enrollment, problem = self._item(item)
            if problem is None and enrollment.course_key in seen:
                problem = _("the course is listed twice.")
            if problem is not None:
                label = item.get("course_id") if isinstance(item, dict) else item
                problems.append(_("Item {position} ({course_id}): {problem}").format(
                    position=position, course_id=label, problem=problem,
                ))
            else:
                seen.add(enrollment.course_key)
                enrollments.append(enrollment)
        if problems:
            raise serializers.ValidationError(problems)
        return tuple(enrollments)

    @staticmethod
    def _item(item):
        """``(Enrollment, None)``, or ``(None, what is wrong with it)``."""
        if not isinstance(item, dict):
            return None, _('must be an object: {"course_id": …, "mode": …}.')
        course_id, mode = item.get("course_id"), item.get("mode")
        if not isinstance(course_id, str):
            return None, _("course_id must be a string.")
        if mode is not None and (not isinstance(mode, str) or not mode):
            return None, _("mode must be a non-empty string.")
        try:
            course_key = CourseKey.from_string(course_id)
        except InvalidKeyError:
            return None, _("not a valid course id.")
        return Enrollment(course_key, mode), None


class RegistrationSerializerV2(RegistrationSerializer):  # pylint: disable=abstract-method
    """v1's fields, plus ``enrollments``: JSON bodies only (a form cannot carry a list of objects)."""

    enrollments = EnrollmentsField(required=False, help_text=(
        "Courses to enroll the learner in, with the account: all of them or nothing."
    ))

    def new_account(self):
        return replace(super().new_account(), enrollments=self.validated_data.get("enrollments", ()))
