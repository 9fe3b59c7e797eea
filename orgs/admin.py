from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mptt.admin import MPTTModelAdmin

from core.admin import ReadOnlyAdmin
from orgs import client_keys, member_services, services
from orgs.models import (
    ClientKey,
    Coverage,
    CoverageTarget,
    Department,
    HandOver,
    MemberTransfer,
    Organization,
    OwnersCommittee,
    PartyMember,
    Post,
    PostCard,
    ServicePoints,
)


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
    autocomplete_fields = ["user", "area", "department", "resident", "organization"]

    def save_model(self, request, obj, form, change):
        services.appoint(actor=request.user, post=obj)


@admin.register(PostCard)
class PostCardAdmin(ReadOnlyAdmin):
    """挂牌信息 are kept on the grid plate's pages (orgs.cards.set_post_card), each change recorded."""

    list_display = ["post", "duties", "phone", "updated_at"]
    list_select_related = ["post__area"]
    exclude = ["photo"]  # served as the card shows it, at orgs:card_photo


@admin.register(ClientKey)
class ClientKeyAdmin(ReadOnlyAdmin):
    """Listed and revoked here; issued on the client-key page or by `manage.py create_client_key`,
    the only places its secret can be shown."""

    list_display = ["name", "prefix", "district", "department", "expires_on", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    list_select_related = ["district", "department"]
    actions = ["revoke"]

    @admin.action(description=gettext_lazy("撤销所选接入密钥"))
    def revoke(self, request, queryset):
        for key in queryset:
            client_keys.revoke_client_key(actor=request.user, key_id=key.pk)
        self.message_user(request, _("已撤销 %(count)d 个接入密钥") % {"count": len(queryset)})


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdmin):
    """AB岗 hand-overs are recorded on the post's page (orgs.services.hand_over); read only here."""

    list_display = ["post", "to", "start", "end", "reason"]
    list_select_related = ["post__area", "to__area"]


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0
    autocomplete_fields = ["area"]


@admin.register(Organization)
class OrganizationAdmin(MPTTModelAdmin):
    """New organisations go through the service, which locks the street's tree."""

    list_display = ["name", "kind", "area", "term_start", "term_end"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "area", "property_company", "owners_committee"]
    inlines = [CoverageInline]

    def get_readonly_fields(self, request, obj=None):
        return ["parent", "kind"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            services.update_organization(
                actor=request.user,
                organization=obj,
                **{name: getattr(obj, name) for name in services.ORGANIZATION_EDITABLE},
            )
            return
        saved = services.create_organization(
            actor=request.user,
            kind=obj.kind,
            name=obj.name,
            area=obj.area,
            parent=obj.parent,
            term_start=obj.term_start,
            term_end=obj.term_end,
            property_company=obj.property_company,
            owners_committee=obj.owners_committee,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ["organization", "area"]
    search_fields = ["organization__name", "area__name"]
    list_select_related = ["organization", "area"]
    autocomplete_fields = ["organization", "area"]

    def save_model(self, request, obj, form, change):
        if change:  # re-pointing a row: no service for that yet
            super().save_model(request, obj, form, change)
            return
        services.cover(actor=request.user, organization=obj.organization, areas=[obj.area])
        obj.pk = Coverage.objects.get(organization=obj.organization, area=obj.area).pk


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "compound", "established"]
    search_fields = ["name", "compound__name"]
    autocomplete_fields = ["compound"]


class ServicePointsInline(admin.TabularInline):
    # The ledger only grows, through orgs.member_services: shown here, never edited.
    model = ServicePoints
    extra = 0
    can_delete = False
    fields = readonly_fields = ["on", "points", "reason", "corrects"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "kind", "joined", "work_unit"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "organization__name", "work_unit"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "resident"]
    inlines = [ServicePointsInline]

    def get_readonly_fields(self, request, obj=None):
        # A member changes organisation by a transfer and their households by 包户 (the member's
        # page), each recorded; the roll is never deleted from.
        kept = ["households", "left_on", "left_to"]
        return ["organization", *kept] if obj is not None else kept

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in member_services.EDITABLE}
            member_services.update_member(actor=request.user, member=obj, **changes)
        else:
            services.register_member(actor=request.user, member=obj)


@admin.register(ServicePoints)
class ServicePointsAdmin(admin.ModelAdmin):
    list_display = ["member", "on", "points", "reason"]
    list_filter = ["on"]
    search_fields = ["member__name", "reason"]
    list_select_related = ["member"]
    autocomplete_fields = ["member"]

    # A wrong entry is corrected by a counter-entry (the member's page), never edited or deleted.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.award_points(
            actor=request.user, member=obj.member, on=obj.on, points=obj.points, reason=obj.reason
        )
        obj.pk = saved.pk


@admin.register(MemberTransfer)
class MemberTransferAdmin(ReadOnlyAdmin):
    """组织关系转接 are made by orgs.member_services.transfer_member (the member's page): read here."""

    list_display = ["member", "from_organization", "to_organization", "outside", "on"]
    list_filter = ["on"]
    search_fields = ["member__name", "outside", "reason"]
    list_select_related = ["member", "from_organization", "to_organization"]


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin):
    """Policy data, like the points rules: each target with the clause it comes from."""

    list_display = ["code", "label", "bound", "value", "unit", "clause"]
