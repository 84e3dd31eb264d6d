"""The pages behind the standalone emails' links (the LMS has its own)."""
from django.urls import path

from tahoe_registration_plugin.standalone import views

app_name = "tahoe_registration_standalone"

urlpatterns = [
    path("activate/<str:activation_key>/", views.activate_account, name="activate"),
    path("password/reset/", views.forgot_password, name="forgot_password"),
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("password/set/done/", views.set_password_done, name="set_password_done"),
]
