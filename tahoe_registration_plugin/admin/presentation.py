"""How the app's admin pages look: the app's stylesheet on each of them."""
from django.contrib import admin

# Under the app's static/ folder, where the staticfiles finders find it (and collectstatic copies it).
STYLESHEET = "tahoe_registration_plugin/admin/admin.css"


class AppModelAdmin(admin.ModelAdmin):
    """The app's model admins: their list, add and change pages load the app's stylesheet."""

    class Media:
        css = {"all": (STYLESHEET,)}
