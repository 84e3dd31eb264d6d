"""
API keys in the admin: created, rotated and revoked by their sites' administrators.

A new key's secret is shown once, on a page of its own that the add form redirects to: the key's
seed waits in the creator's session until that page has shown it (the secret itself is stored
nowhere), so a refresh shows it no more, and a form sent twice creates one key. The key's
``secret_shown_at``, claimed by one conditional UPDATE, makes it once when the page is loaded
several times at once.
"""
import secrets

from django import forms
from django.contrib import admin, messages
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tahoe_registration_plugin import keys, scopes
from tahoe_registration_plugin.admin.presentation import key_label, text_column, timestamp_column
from tahoe_registration_plugin.admin.site_scope import AdministeredSiteFilter, SiteScopedAdmin
from tahoe_registration_plugin.apps import URL_NAMESPACE
from tahoe_registration_plugin.conf import api_settings
from tahoe_registration_plugin.models import ApiKey

REGISTRATIONS_URL_NAME = f"{URL_NAMESPACE}:v2:registrations"
# Seeds of keys created in this session and not shown yet: {key id: seed}.
UNSHOWN_SEEDS = "tahoe_registration_unshown_key_seeds"


class ScopesField(forms.MultipleChoiceField):
    """The key's scopes as checkboxes, stored comma-separated; at least one."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=scopes.CHOICES, initial=list(scopes.DEFAULT), help_text=_(
            "What the key may do; changed here, it takes effect within seconds, with the same secret."
        ), **kwargs)

    def prepare_value(self, value):
        return scopes.parse(value) if isinstance(value, str) else value

    def clean(self, value):
        return scopes.joined(super().clean(value))


class ApiKeyChangeForm(forms.ModelForm):
    scopes = ScopesField()

    class Meta:
        model = ApiKey
        fields = ("name", "description", "expires_at", "scopes")


class ApiKeyAddForm(forms.ModelForm):
    """The add form, with a one-time token: the same form sent again is the same key."""

    form_token = forms.CharField(widget=forms.HiddenInput, initial=lambda: secrets.token_urlsafe(24))
    scopes = ScopesField()

    class Meta:
        model = ApiKey
        fields = ("site", "name", "description", "expires_at", "scopes")


@admin.register(ApiKey)
class ApiKeyAdmin(SiteScopedAdmin):
    """Keys by prefix and site; the secret is shown once, when the key is created or rotated."""

    # Short headers and values that wrap, the prefix and name in one column (as on the records' pages):
    # the list fits a desktop's window beside the filters.
    list_display = (
        "key", text_column("site", "site.domain", _("Site")), "scope_list",
        timestamp_column("created", _("Created")), timestamp_column("last_used_at", _("Last used")),
        timestamp_column("expires_at", _("Expires")), timestamp_column("revoked_at", _("Revoked")),
    )
    list_filter = (("site", AdministeredSiteFilter), ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("site",)
    search_fields = ("name", "prefix", "site__domain")
    actions = ["revoke_keys"]
    add_form = ApiKeyAddForm
    change_fields = (
        "site", "name", "description", "expires_at", "scopes", "prefix", "is_legacy",
        "created", "created_by", "last_used_at", "revoked_at",
    )
    created_template = "tahoe_registration_plugin/admin/api_key_created.html"
    change_form_template = "tahoe_registration_plugin/admin/api_key_change_form.html"

    @admin.display(description=_("API key"), ordering="name")
    def key(self, api_key):
        return key_label(api_key)

    @admin.display(description=_("Scopes"), ordering="scopes")
    def scope_list(self, api_key):
        """The key's scopes, a space after each comma: where the column wraps."""
        return ", ".join(api_key.scope_names)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.add_form if obj is None else ApiKeyChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return self.change_fields if obj else ("site", "name", "description", "expires_at", "scopes", "form_token")

    def get_readonly_fields(self, request, obj=None):
        # A key's site is fixed once it exists: moving a key would hand one site's access to another.
        if obj is None:
            return ()
        return tuple(name for name in self.change_fields if name not in ("name", "description", "expires_at", "scopes"))

    def get_urls(self):
        return [
            path("<int:object_id>/created/", self.admin_site.admin_view(self.created_view),
                 name="tahoe_registration_plugin_apikey_created"),
            path("<int:object_id>/rotate/", self.admin_site.admin_view(require_POST(self.rotate_view)),
                 name="tahoe_registration_plugin_apikey_rotate"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        token = request.POST.get("form_token") if request.method == "POST" else None
        existing = token and self.get_queryset(request).filter(creation_token=token).first()
        if existing:
            # The form was sent again (a refresh, a double click): that key, not a second one.
            return self._redirect_to_created(existing, request.POST)
        try:
            return super().add_view(request, form_url, extra_context)
        except IntegrityError:
            # The same form, sent twice at once: the other request created the key.
            existing = token and self.get_queryset(request).filter(creation_token=token).first()
            if not existing:
                raise
            return self._redirect_to_created(existing, request.POST)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.creation_token = form.cleaned_data["form_token"]
            seed = keys.new_seed()
            obj.assign_new_secret(seed)
            request.tahoe_registration_new_seed = seed
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._keep_seed(request, obj, request.tahoe_registration_new_seed)
        return self._redirect_to_created(obj, request.POST)

    @staticmethod
    def _keep_seed(request, api_key, seed):
        unshown = request.session.get(UNSHOWN_SEEDS, {})
        unshown[str(api_key.pk)] = seed
        request.session[UNSHOWN_SEEDS] = unshown

    def _redirect_to_created(self, api_key, post):
        if "_addanother" in post:
            after = reverse("admin:tahoe_registration_plugin_apikey_add")
        elif "_continue" in post:
            after = reverse("admin:tahoe_registration_plugin_apikey_change", args=[api_key.pk])
        else:
            after = reverse("admin:tahoe_registration_plugin_apikey_changelist")
        created = reverse("admin:tahoe_registration_plugin_apikey_created", args=[api_key.pk])
        return HttpResponseRedirect(f"{created}?next={after}")

    def created_view(self, request, object_id):
        """The new key's secret, the first time this page is seen in the creator's session; never again."""
        api_key = self.get_object(request, str(object_id))
        if not self.has_view_or_change_permission(request, api_key):
            raise Http404(_("No such key."))
        unshown = request.session.get(UNSHOWN_SEEDS, {})
        seed = unshown.pop(str(api_key.pk), None)
        request.session[UNSHOWN_SEEDS] = unshown
        secret = keys.key_from_seed(seed)[0] if seed else None
        if secret is not None and not api_key.matches(secret):
            secret = None  # the project's SECRET_KEY changed meanwhile: this seed makes another key
        # Several loads of this page at once all find the seed in the session they read: the
        # database, not the session, decides which one shows the secret.
        if secret is not None and not api_key.claim_secret_display():
            secret = None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "media": self.media,
            "original": api_key,
            "secret": secret,
            "next_url": self._next_url(request, api_key),
            "title": _("API key created"),
            # On the key's own site (its domain carries a port where the server has one).
            "api_url": f"{request.scheme}://{api_key.site.domain}{reverse(REGISTRATIONS_URL_NAME)}",
        }
        response = TemplateResponse(request, self.created_template, context)
        add_never_cache_headers(response)
        return response

    @staticmethod
    def _next_url(request, api_key):
        """
        Where the page's Continue link goes: ``next`` if it is a URL of this site, as Django decides
        for its own redirects (HTTPS only when this request is; not ``/\\host``, ``/<tab>/host``,
        ``//host``, another host, ``javascript:``); else the key's own page.
        """
        next_url = request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure(),
        ):
            return next_url
        return reverse("admin:tahoe_registration_plugin_apikey_change", args=[api_key.pk])

    def rotate_view(self, request, object_id):
        """Create the key's replacement, shown once, and let this one expire after the grace period."""
        api_key = self.get_object(request, str(object_id))
        if not self.has_change_permission(request, api_key) or api_key.is_revoked:
            raise Http404(_("This key cannot be rotated."))
        seed = keys.new_seed()
        grace = api_settings.rotation_grace_days
        replacement, _secret = api_key.rotate(grace=grace, created_by=request.user, seed=seed)
        self._keep_seed(request, replacement, seed)
        self.message_user(request, _("Key {prefix} now expires on {expiry}; its replacement is {replacement}.").format(
            prefix=api_key.prefix, expiry=f"{api_key.expires_at:%Y-%m-%d %H:%M %Z}", replacement=replacement.prefix,
        ), messages.SUCCESS)
        return self._redirect_to_created(replacement, {})

    @admin.action(description=_("Revoke the selected API keys"), permissions=["change"])
    def revoke_keys(self, request, queryset):
        count = queryset.revoke()
        self.message_user(request, _("Revoked {count} API key(s).").format(count=count))
