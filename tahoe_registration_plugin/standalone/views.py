"""Activation, forgot-password and set-password pages, standing in for the LMS's own."""
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import PasswordResetConfirmView
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tahoe_registration_plugin.standalone import emails
from tahoe_registration_plugin.standalone.forms import ForgotPasswordForm
from tahoe_registration_plugin.standalone.models import Registration

TEMPLATE_DIR = "tahoe_registration_standalone"


def activate_account(request, activation_key):
    """Activate the account the key belongs to, as the LMS's ``/activate/<key>`` does."""
    registration = Registration.objects.select_related("user").filter(activation_key=activation_key).first()
    if registration is None:
        return render(request, f"{TEMPLATE_DIR}/activation_invalid.html", status=404)
    registration.activate()
    return render(request, f"{TEMPLATE_DIR}/activation_done.html", {"user": registration.user})


class SetPasswordView(PasswordResetConfirmView):
    """Choose a password from the set-password email; doing so also activates the account."""

    template_name = f"{TEMPLATE_DIR}/set_password.html"
    success_url = reverse_lazy("tahoe_registration_standalone:set_password_done")

    def form_valid(self, form):
        # The link proves the learner owns the address, as the LMS's reset-confirm view assumes.
        form.user.is_active = True
        return super().form_valid(form)


def set_password_done(request):
    return render(request, f"{TEMPLATE_DIR}/set_password_done.html")


@csrf_exempt  # as the LMS's /password_reset/: it changes nothing, and is for signed-out learners
@require_http_methods(["GET", "POST"])
def forgot_password(request):
    """
    Email a set-password link, as the LMS's ``/password_reset/`` does: the answer is the same
    whether or not an email went out, so it never tells who has an account.
    """
    if request.method == "GET":
        return render(request, f"{TEMPLATE_DIR}/forgot_password.html")
    form = ForgotPasswordForm(request.POST)
    if form.is_valid():
        site = getattr(request, "site", None) or get_current_site(request)
        for user in form.users:
            emails.send_set_password_email(request, site, user)
    return render(request, f"{TEMPLATE_DIR}/forgot_password_done.html")


def home(request):
    """``make run``'s front page: where the admin, the API docs, the emails and the API are."""
    return render(request, f"{TEMPLATE_DIR}/home.html", {"newest_email": _newest_email()})


def newest_email(request):
    """The newest email the file backend wrote (``make run``), as text: follow its link from here."""
    path = _newest_email()
    if path is None:
        raise Http404("No email yet: register a learner first.")
    response = HttpResponse(path.read_text(encoding="utf-8"), content_type="text/plain; charset=utf-8")
    response["X-Email-File"] = path.name
    return response


def _newest_email():
    """The newest file under ``EMAIL_FILE_PATH`` where emails are written as files, else None."""
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") or not Path(folder).is_dir():
        return None
    return max(Path(folder).glob("*.log"), key=lambda path: path.stat().st_mtime, default=None)
