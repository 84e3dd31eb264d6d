"""
The steps of the platform's registration the Open edX backend reproduces, where it cannot call a
platform function that takes them as an API registration needs (docs/decisions/0005).
"""
import datetime
import json
from dataclasses import replace

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tahoe_registration_plugin.backends.base import extension_form_values, save_new_user
from tahoe_registration_plugin.backends.openedx_platform import EXTENSION_FORM_GETTERS, platform
from tahoe_registration_plugin.errors import RegistrationRefused

REGISTERED_EVENT = "edx.bi.user.account.registered"
REFUSED_BY_FILTER_MESSAGE = _("The site refused this registration.")
# What analysts see as the registration's app (the platform's own view takes it from the form).
APP_NAME = "tahoe_registration_api"
# The profile's fields the platform's do_create_account takes from the form.
PROFILE_FIELDS = ("name", "level_of_education", "gender", "mailing_address", "country", "goals", "year_of_birth")


def new_extension_form(**kwargs):
    """The site's extension form, through the platform's getter (None where the site has none)."""
    registration_form = platform("registration_form")
    getter = next(getattr(registration_form, name) for name in EXTENSION_FORM_GETTERS
                  if hasattr(registration_form, name))
    return getter(**kwargs)


def create_account_for_closed_site(form, extension_form):
    """
    The records ``do_create_account`` writes, for a site whose public account creation is off.

    ``do_create_account`` refuses every caller then; an API key is an administrator's grant,
    like the instructor dashboard's "register and enroll", which the platform lets create
    accounts on such sites the same way (see docs/decisions/0004). The forms were validated.
    """
    data = form.cleaned_data
    student_models = platform("student_models")
    user = get_user_model()(username=data["username"], email=data["email"], is_active=False)
    user.set_password(platform("password_policy").normalize_password(data["password"]))
    registration = student_models.Registration()
    save_new_user(user, extension_form, registration)
    profile = student_models.UserProfile(user=user, **{name: data.get(name) for name in PROFILE_FIELDS})
    if form.cleaned_extended_profile:
        profile.meta = json.dumps(form.cleaned_extended_profile)
    profile.save()
    return user, profile, registration


def track_registration(user, profile, registration):
    """
    The registration in Segment, as the platform's ``_track_user_registration`` sends it, with
    what a server-to-server registration has (no cookies, no campaign, no third-party provider,
    no marketing opt-in). Each call is a no-op without ``LMS_SEGMENT_KEY``.
    """
    segment = platform("segment")
    segment.identify(user.id, {
        "email": user.email, "username": user.username, "name": profile.name, "age": profile.age or -1,
        "yearOfBirth": profile.year_of_birth or datetime.datetime.now(datetime.timezone.utc).year,
        "education": profile.level_of_education_display, "address": profile.mailing_address,
        "gender": profile.gender_display, "country": str(profile.country) if profile.country else "",
        "is_marketable": False, "anonymous_id": "",
    })
    properties = {
        "category": "conversion", "email": user.email, "label": None, "provider": None,
        "is_gender_selected": bool(profile.gender_display), "is_year_of_birth_selected": bool(profile.year_of_birth),
        "is_education_selected": bool(profile.level_of_education_display), "is_goal_set": bool(profile.goals),
        "total_registration_time": 0, "activation_key": registration.activation_key, "host": "",
        "app_name": APP_NAME, "utm_campaign": "", "anonymous_id": "",
    }
    traits = {**properties, "user_id": user.id, "joined_date": user.date_joined.strftime("%Y-%m-%d")}
    segment.track(user.id, REGISTERED_EVENT, properties=properties, traits=traits)


def filtered_by_the_site(account, extension_form):
    """
    ``account`` as the ``StudentRegistrationRequested`` filter's pipeline leaves it.

    The filter sees what the platform's own registration view would pass it: the account's
    fields and the extension form's, in a ``QueryDict`` (the password is kept out of the
    pipeline by the filter itself). A step that raises ``PreventRegistration`` refuses it. The
    extension form (built, not validated yet) is bound to the values the filter left, as the
    platform builds its form from the filtered data.
    """
    extension_values = extension_form_values(extension_form, account)
    form_data = QueryDict(mutable=True)
    for name, value in {"username": account.username, "email": account.email, "name": account.name,
                        **extension_values}.items():
        form_data[name] = value
    if account.has_password:
        form_data["password"] = account.password
    filters = platform("filters")
    try:
        form_data = filters.StudentRegistrationRequested.run_filter(form_data=form_data)
    except filters.StudentRegistrationRequested.PreventRegistration as refusal:
        status_code = refusal.status_code if 400 <= (refusal.status_code or 0) < 500 else 400
        raise RegistrationRefused(str(refusal) or REFUSED_BY_FILTER_MESSAGE, status_code) from refusal
    filtered_extension_values = {name: form_data.get(name) for name in extension_values}
    if extension_form is not None:
        extension_form.data = filtered_extension_values
    return replace(
        account,
        username=form_data.get("username", account.username),
        email=form_data.get("email", account.email),
        name=form_data.get("name", account.name),
        extra_fields={**account.extra_fields, **filtered_extension_values},
    )
