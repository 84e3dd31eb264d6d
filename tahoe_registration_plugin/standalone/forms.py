"""The standalone "forgot password" form, as strict as the LMS's."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX


class ForgotPasswordForm(forms.Form):
    """
    The LMS's ``PasswordResetFormNoActive`` (openedx/openedx-platform
    ``openedx/core/djangoapps/user_authn/views/password_reset.py``, commit 141ed804), reduced to
    what a learner notices: the address matches any case, inactive accounts are accepted, and an
    account whose password is unusable is refused, so no email goes out for it.
    """

    error_messages = {
        "unknown": "That e-mail address doesn't have an associated user account. Are you sure you've registered?",
        "unusable": "The user account associated with this e-mail address cannot reset the password.",
    }

    email = forms.EmailField(max_length=254)
    users = ()

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.users = list(get_user_model().objects.filter(email__iexact=email))
        if not self.users:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if any(user.password.startswith(UNUSABLE_PASSWORD_PREFIX) for user in self.users):
            raise forms.ValidationError(self.error_messages["unusable"], code="unusable")
        return email
