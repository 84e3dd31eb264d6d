"""The standalone project's own records in its admin: courses, enrollments and site configurations."""
from django.contrib import admin

from tahoe_registration_plugin.standalone.models import Course, CourseEnrollment, SiteConfiguration


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("course_id", "display_name", "modes")
    search_fields = ("course_id", "display_name")


@admin.register(CourseEnrollment)
class CourseEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "mode", "is_active", "created")
    list_select_related = ("user",)
    search_fields = ("user__username", "course_id")


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(admin.ModelAdmin):
    list_display = ("site", "enabled")
    list_select_related = ("site",)
