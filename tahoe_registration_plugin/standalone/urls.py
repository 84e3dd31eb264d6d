"""The standalone project's pages: a front page, the newest email, and those behind the emails' links."""
from django.urls import path

from tahoe_registration_plugin.standalone import views

app_name = "tahoe_registration_standalone"

urlpatterns = [
    path("", views.home, name="home"),
    path("emails/newest/", views.newest_email, name="newest_email"),
    path("activate/<str:activation_key>/", views.activate_account, name="activate"),
    path("password/reset/", views.forgot_password, name="forgot_password"),
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("password/set/done/", views.set_password_done, name="set_password_done"),
]
