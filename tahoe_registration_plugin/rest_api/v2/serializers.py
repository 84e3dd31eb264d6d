"""v2's requests: a registration (v1's fields, and the courses to enroll the new learner in), an enrollments call."""
from dataclasses import replace

from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import serializers

from tahoe_registration_plugin import identities
from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.data import Enrollment, EnrollmentChange
from tahoe_registration_plugin.errors import item_problem
from tahoe_registration_plugin.rest_api.serializers import (
    FlagField,
    RegistrationSerializer,
    StrictEmailField,
    StringField,
    checked,
)


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


class CourseIdField(StringField):
    """A course id, parsed; ``"not a valid course id."`` otherwise."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return CourseKey.from_string(value)
        except InvalidKeyError as error:
            raise serializers.ValidationError(_("not a valid course id.")) from error


class BoundedListField(serializers.ListField):
    """A list of 1 to ``limit()`` items, each problem named by its position (``Item 2 (…): …``)."""

    default_error_messages = {
        "not_a_list": _("Must be a list."),
        "empty": _("Must name at least one."),
        "too_many": _("At most {limit} are accepted in one call."),
    }

    def __init__(self, *, limit, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data:
            self.fail("empty")
        limit = self.limit()
        if len(data) > limit:
            self.fail("too_many", limit=limit)
        values, problems = [], []
        for position, item in enumerate(data, start=1):
            try:
                values.append(self.child.run_validation(item))
            except serializers.ValidationError as error:
                problems.append(item_problem(position, item if isinstance(item, str) else repr(item), error.detail[0]))
        if problems:
            raise serializers.ValidationError(problems)
        return tuple(values)


class LearnerField(StringField):
    """
    A username, or an email (any text with an ``@``) that a registration would accept, as sent:
    text that is no address is refused rather than pre-enrolled, and invisible or control
    characters, which no account's username or email holds, are refused in either.
    """

    def __init__(self, **kwargs):
        super().__init__(max_length=254, **kwargs)

    def to_internal_value(self, data):
        value = checked(identities.check_visible, super().to_internal_value(data))
        if "@" in value:
            StrictEmailField(max_length=254).run_validation(value)
            checked(identities.normalize_email, value)
        return value


class EnrollmentChangeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Validates the body of ``POST enrollments/`` (CONTRACT §10)."""

    action = serializers.ChoiceField(choices=[EnrollmentChange.ENROLL, EnrollmentChange.UNENROLL], help_text=(
        "`enroll` or `unenroll`."
    ))
    courses = BoundedListField(child=CourseIdField(), limit=lambda: api_settings.enrollments_max_courses,
                               help_text="1 to 20 course ids of the site (a setting).")
    learners = BoundedListField(child=LearnerField(), limit=lambda: api_settings.enrollments_max_learners,
                                help_text="1 to 100 emails or usernames (a setting).")
    mode = StringField(required=False, allow_null=True, help_text=(
        "`enroll` only: a mode every listed course offers; by default each course's default mode."
    ))
    auto_enroll = FlagField(required=False, allow_null=True, help_text=(
        "Default `true`: an email with no account yet is pre-enrolled, and enrolled once the account is activated."
    ))
    email_learners = FlagField(required=False, allow_null=True, help_text=(
        "Default `false`: send the platform's enrollment email to each learner whose enrollment changed."
    ))

    def validate(self, attrs):
        if attrs.get("mode") and attrs["action"] == EnrollmentChange.UNENROLL:
            raise serializers.ValidationError({"mode": [_("Only an enroll call takes a mode.")]})
        return attrs

    def enrollment_change(self):
        data = self.validated_data
        return EnrollmentChange(
            action=data["action"], course_keys=data["courses"], learners=data["learners"], mode=data.get("mode"),
            auto_enroll=data.get("auto_enroll") is not False, email_learners=bool(data.get("email_learners")),
        )
