"""
A site's registration extension form, as an operator installs one (``REGISTRATION_EXTENSION_FORM``):
a model tied to the user and a ``ModelForm`` with a required and an optional field. Test settings
install this app; the tests name the form in the setting where they need it.
"""
