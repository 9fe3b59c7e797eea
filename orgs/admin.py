from django.contrib import admin

from orgs import services
from orgs.models import Department, Post


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "jurisdiction"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["jurisdiction"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "role", "slot", "area", "department", "start", "end", "user"]
    list_filter = ["role", "slot"]
    search_fields = ["holder_name", "user__username", "area__name", "department__name"]
    list_select_related = ["area", "department", "user"]
    autocomplete_fields = ["user", "area", "department", "resident"]

    def save_model(self, request, obj, form, change):
        services.appoint(post=obj)
