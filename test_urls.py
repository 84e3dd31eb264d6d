"""
URLs of the standalone project: the admin, the stand-in platform's pages, and the plugin's URLs
mounted as the LMS mounts them.
"""
from django.contrib import admin
from django.urls import include, path
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tahoe_registration_plugin.standalone.urls")),
    *get_plugin_url_patterns("lms.djangoapp"),
]
