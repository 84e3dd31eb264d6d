"""The extension form: ``company`` required, ``employee_id`` optional."""
from django import forms

from tests.extension_form.models import LearnerExtraInfo


class LearnerExtraInfoForm(forms.ModelForm):
    class Meta:
        model = LearnerExtraInfo
        fields = ["company", "employee_id"]
