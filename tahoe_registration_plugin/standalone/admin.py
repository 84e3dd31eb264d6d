"""The standalone project's own records in its admin: courses, enrollments, pre-enrollments and site configurations."""
from django.contrib import admin

from tahoe_registration_plugin.standalone.models import (
    Course,
    CourseEnrollment,
    CourseEnrollmentAllowed,
    CourseMode,
    SiteConfiguration,
)


class CourseModeInline(admin.TabularInline):
    model = CourseMode
    extra = 1


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("course_id", "display_name", "start", "end")
    search_fields = ("course_id", "display_name")
    inlines = [CourseModeInline]


@admin.register(CourseEnrollment)
class CourseEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course_id", "mode", "is_active", "created")
    list_select_related = ("user",)
    search_fields = ("user__username", "course_id")


@admin.register(CourseEnrollmentAllowed)
class CourseEnrollmentAllowedAdmin(admin.ModelAdmin):
    list_display = ("course_id", "auto_enroll", "user", "created")
    list_select_related = ("user",)
    search_fields = ("course_id", "email")


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(admin.ModelAdmin):
    list_display = ("site", "enabled")
    list_select_related = ("site",)
