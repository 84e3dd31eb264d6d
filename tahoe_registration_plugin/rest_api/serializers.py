"""The registration request's fields and their rules, which both versions accept (v2 adds its own)."""
import copy

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty

from tahoe_registration_plugin import identities
from tahoe_registration_plugin.data import NewAccount


class StrictStringMixin:
    """Accept only strings: a number or a list where text is expected is an error, not coerced."""

    default_error_messages = {"not_a_string": _("Not a valid string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StringField(StrictStringMixin, serializers.CharField):
    pass


def checked(check, value):
    """``check(value)``, its refusal as a field error."""
    try:
        return check(value)
    except identities.IdentityError as error:
        raise serializers.ValidationError(str(error)) from error


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    """An email address, refused first for invisible characters (which make it look valid or not)."""

    def to_internal_value(self, data):
        return checked(identities.check_visible, super().to_internal_value(data))


class FlagField(serializers.BooleanField):
    """
    DRF's boolean words in any case (``true``/``false``, ``1``/``0``, ``yes``/``no``, ``on``/``off``);
    ``null``, ``""`` and absence mean the default, as DRF reads them.

    Unlike DRF's HTML-form behaviour, a form that leaves the field out means "use the default",
    not ``false``.
    """

    default_empty_html = empty
    default_error_messages = {"invalid": _("Must be a boolean: true or false.")}

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().lower()
        return super().to_internal_value(data)


class RegistrationSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Validates the body of ``POST registrations/``. Fields it does not declare are passed on as
    ``extra_fields``: the platform backend gives the site's registration extension form those it
    declares, and ignores the rest.
    """

    username = StringField()
    email = StrictEmailField(max_length=254)
    name = StringField(max_length=255)
    password = StringField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)
    send_activation_email = FlagField(required=False, allow_null=True)

    class Meta:
        # The model's name in the OpenAPI document.
        ref_name = "RegistrationV1"

    def get_fields(self):
        # DRF deep-copies every declared field for each request, running each one's __init__ again;
        # a shallow copy is enough, as binding sets only the copy's own name and parent.
        declared = self._declared_fields  # pylint: disable=no-member
        return {name: copy.copy(field) for name, field in declared.items()}

    def validate_username(self, value):
        return checked(identities.check_username, value)

    def validate_email(self, value):
        return checked(identities.normalize_email, value)

    def validate_name(self, value):
        return checked(identities.check_name, value)

    def new_account(self):
        """The validated request as a ``NewAccount``; an empty or null password means none was given."""
        data = self.validated_data
        send_activation_email = data.get("send_activation_email")
        return NewAccount(
            username=data["username"],
            email=data["email"],
            name=data["name"],
            password=data.get("password") or None,
            send_activation_email=True if send_activation_email is None else send_activation_email,
            extra_fields=self._extra_fields(),
        )

    def _extra_fields(self):
        """The body's fields this serializer does not declare (a form's last value for each)."""
        body = self.initial_data
        return {name: body.get(name) for name in body if name not in self.fields}
