import contextlib

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from core.admin import ReadOnlyAdmin
from core.blind_index import blind_index
from core.identity import looks_like_id_or_phone, normalize_phone, parse_citizen_id
from core.masking import mask_citizen_id, mask_phone
from core.scope import scope_for
from grids import rollup, services
from grids.forms import RevealForm
from grids.import_models import ImportRow, ImportRun, PeopleExport
from grids.models import (
    Area,
    AreaMerge,
    AreaShape,
    BuildingCount,
    BuildingGroupCount,
    City,
    CommunityCount,
    CommunityGroupCount,
    Household,
    HouseholdTag,
    KeyGroup,
    Move,
    Resident,
    ResidentTag,
    SensitiveAccess,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Area)
class AreaAdmin(MPTTModelAdmin):
    """Tree writes go through the services, which lock the district's tree."""

    list_display = ["name", "kind", "code", "declared_households"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    mptt_level_indent = 16

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "code", "city"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.create_area(
                actor=request.user,
                kind=obj.kind,
                name=obj.name,
                code=obj.code,
                parent=obj.parent,
                city=obj.city,
                declared_households=obj.declared_households,
                address=obj.address,
                units=obj.units,
                floors=obj.floors,
            )
            obj.pk = saved.pk
            return
        if "parent" in form.changed_data:
            services.move_area(actor=request.user, area=Area.objects.get(pk=obj.pk), new_parent=obj.parent)
        services.update_area(
            actor=request.user,
            area=Area.objects.get(pk=obj.pk),
            name=obj.name,
            address=obj.address,
            declared_households=obj.declared_households,
            units=obj.units,
            floors=obj.floors,
        )


class KeepsPeople:
    """People and their households are ended on the pages (迁出, 注销), never deleted, and a
    household changes building by a move there: admin neither deletes them nor moves them."""

    def has_delete_permission(self, request, obj=None):
        return False


def _recount_for(resident_ids) -> None:
    """Tags written in admin change the area tree's key-group counts: recount their buildings."""
    residents = Resident.objects.unscoped("the buildings of tags an administrator wrote").filter(pk__in=resident_ids)
    rollup.recount_buildings(residents.values_list("household__building_id", flat=True))


class HouseholdTagInline(admin.TabularInline):
    model = HouseholdTag
    extra = 0


@admin.register(Household)
class HouseholdAdmin(KeepsPeople, admin.ModelAdmin):
    list_display = ["__str__", "building", "occupancy", "last_visited"]
    list_filter = ["occupancy"]
    search_fields = ["building__name", "room"]
    list_select_related = ["building"]
    autocomplete_fields = ["building"]
    inlines = [HouseholdTagInline]

    def get_readonly_fields(self, request, obj=None):
        return ["building"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        card = {name: form.cleaned_data[name] for name in services.CARD_FIELDS if name in form.cleaned_data}
        if change:
            services.update_household_card(actor=request.user, household=obj, **card)
        else:
            saved = services.register_household(actor=request.user, building=obj.building, **card)
            obj.pk = saved.pk


class ResidentTagInline(admin.TabularInline):
    model = ResidentTag
    extra = 0


class ResidentAdminForm(forms.ModelForm):
    """The add form: the number is typed in full, once."""

    class Meta:
        model = Resident
        fields = ["household", "name", "citizen_id", "phone", "residence_status", "relation"]

    def clean_citizen_id(self):
        number = parse_citizen_id(self.cleaned_data["citizen_id"]).number
        clash = Resident.objects.filter(citizen_id_hash=blind_index(number)).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(services.DUPLICATE_ID_MESSAGE)
        return number

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class ResidentChangeForm(forms.ModelForm):
    """The change form never puts the stored number in the page (an input's value is the full
    number): the masked value stands beside it, the full one is a logged reveal away, and a
    number typed here replaces it."""

    new_citizen_id = forms.CharField(
        label=_("更正身份证号"), max_length=20, required=False, help_text=_("留空则不变;填写完整的18位号码")
    )
    new_phone = forms.CharField(label=_("更换手机号"), max_length=20, required=False, help_text=_("留空则不变"))
    clear_phone = forms.BooleanField(label=_("清除手机号"), required=False)

    class Meta:
        model = Resident
        fields = ["household", "name", "residence_status", "relation"]

    def clean_new_citizen_id(self):
        raw = self.cleaned_data["new_citizen_id"].strip()
        if not raw:
            return ""
        number = parse_citizen_id(raw).number
        clash = Resident.objects.filter(citizen_id_hash=blind_index(number)).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(services.DUPLICATE_ID_MESSAGE)
        return number

    def clean_new_phone(self):
        return normalize_phone(self.cleaned_data["new_phone"])

    def clean(self):
        data = super().clean()
        if data.get("new_phone") and data.get("clear_phone"):
            raise ValidationError(_("更换和清除手机号只能选一项"))
        return data


@admin.register(Resident)
class ResidentAdmin(KeepsPeople, admin.ModelAdmin):
    form = ResidentAdminForm
    list_display = ["name", "masked_citizen_id", "masked_phone", "sex_label", "residence_status", "household"]
    list_filter = ["residence_status"]
    list_select_related = ["household__building"]
    search_fields = ["name"]
    autocomplete_fields = ["household"]
    inlines = [ResidentTagInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ResidentTag:
            _recount_for([form.instance.pk])

    @admin.display(description=_("身份证号"))
    def masked_citizen_id(self, obj):
        return mask_citizen_id(obj.citizen_id)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("性别"))
    def sex_label(self, obj):
        return obj.sex.label

    @admin.display(description=_("完整信息"))
    def reveal_link(self, obj):
        url = reverse("admin:grids_resident_reveal", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看完整身份证号和手机号(将记录查看事由)"))

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = ResidentChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["masked_citizen_id", "masked_phone", "reveal_link"] if obj else []

    def get_urls(self):
        reveal = path(
            "<path:object_id>/reveal/", self.admin_site.admin_view(self.reveal_view), name="grids_resident_reveal"
        )
        return [reveal, *super().get_urls()]

    def reveal_view(self, request, object_id):
        """The same reveal as the resident page: a reason, then grids.reveal_resident in the audit
        log and a SensitiveAccess row, through the same service, before anything is shown."""
        resident = self.get_object(request, object_id)
        if resident is None or not self.has_view_permission(request, resident):
            raise Http404
        form = RevealForm(request.POST or None)
        revealed = False
        if request.method == "POST" and form.is_valid():
            try:
                services.record_sensitive_access(
                    actor=request.user, residents=[resident], reason=form.cleaned_data["reason"]
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                revealed = True
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("查看完整信息"),
            "resident": resident,
            "form": form,
            "revealed": revealed,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/grids/resident/reveal.html", context, status=status)

    def changelist_view(self, request, extra_context=None):
        # Admin search is a GET (?q= in the URL, hence in access logs): an ID number or phone is
        # looked up from the POST body of the form on the change list instead.
        if request.method == "POST" and "number" in request.POST and "action" not in request.POST:
            request.number_search = request.POST["number"].strip()
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        number = getattr(request, "number_search", None)
        if number is not None:
            hashed = blind_index(number.upper())
            by_index = queryset.filter(citizen_id_hash=hashed) | queryset.filter(phone_hash=hashed)
            with contextlib.suppress(ValidationError):  # not a phone number: the ID match stands
                by_index |= queryset.filter(phone_hash=blind_index(normalize_phone(number)))
            return by_index, False
        if looks_like_id_or_phone(search_term):
            return queryset.none(), False  # names only from a URL; the number-search form posts
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if data["new_citizen_id"]:
                services.correct_citizen_id(actor=request.user, resident=obj, citizen_id=data["new_citizen_id"])
            phone = "" if data["clear_phone"] else data["new_phone"] or obj.phone or ""
            services.update_resident(
                actor=request.user,
                resident=obj,
                name=data["name"],
                phone=phone,
                residence_status=data["residence_status"],
                relation=data["relation"],
            )
        else:
            saved = services.register_resident(actor=request.user, **data)
            obj.pk = saved.pk


class TagAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "since", "until", "legal_basis"]
    list_filter = ["group", "since", "until"]
    list_select_related = ["group"]


@admin.register(ResidentTag)
class ResidentTagAdmin(TagAdmin):
    search_fields = ["resident__name", "group__name"]
    autocomplete_fields = ["resident"]
    list_select_related = ["group", "resident"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recount_for([obj.resident_id, form.initial.get("resident")])  # and the one it was on

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount_for([obj.resident_id])

    def delete_queryset(self, request, queryset):
        residents = list(queryset.values_list("resident_id", flat=True))
        super().delete_queryset(request, queryset)
        _recount_for(residents)


@admin.register(HouseholdTag)
class HouseholdTagAdmin(TagAdmin):
    search_fields = ["household__room", "household__building__name", "group__name"]
    autocomplete_fields = ["household"]
    list_select_related = ["group", "household__building"]


@admin.register(KeyGroup)
class KeyGroupAdmin(admin.ModelAdmin):
    # Not list-editable: one click on the list once put a sensitive group on grid workers' home
    # pages. The change form saves through the service, which records who turned it which way.
    list_display = ["name", "name_en", "code", "applies_to", "sensitive", "order"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and scope_for(request.user).unrestricted

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and scope_for(request.user).unrestricted

    def save_model(self, request, obj, form, change):
        services.save_key_group(actor=request.user, group=obj)


@admin.register(Move)
class MoveAdmin(ReadOnlyAdmin):
    """迁入/迁出 are written by grids.moves with the resident's change; here they are read only."""

    list_display = ["on", "direction", "resident", "household"]
    list_filter = ["direction"]
    list_select_related = ["resident", "household__building"]


@admin.register(BuildingCount)
class BuildingCountAdmin(ReadOnlyAdmin):
    """The area tree's counts per building, kept by grids.rollup (`manage.py recount_areas` to
    recount): read here, to check them."""

    list_display = ["building", "households", "residents", "key_group_residents"]
    list_select_related = ["building"]
    search_fields = ["building__name", "building__code"]


@admin.register(BuildingGroupCount)
class BuildingGroupCountAdmin(ReadOnlyAdmin):
    """The workbench's key-group counts per building and group, kept with the building's counts."""

    list_display = ["building", "group", "residents"]
    list_select_related = ["building", "group"]
    list_filter = ["group"]
    search_fields = ["building__name", "building__code"]


@admin.register(CommunityCount)
class CommunityCountAdmin(ReadOnlyAdmin):
    """A community's buildings' counts summed, kept with them: what streets and districts add up."""

    list_display = ["community", "households", "residents", "key_group_residents"]
    list_select_related = ["community"]
    search_fields = ["community__name", "community__code"]


@admin.register(CommunityGroupCount)
class CommunityGroupCountAdmin(ReadOnlyAdmin):
    """A community's key-group counts, its buildings' summed."""

    list_display = ["community", "group", "residents"]
    list_select_related = ["community", "group"]
    list_filter = ["group"]
    search_fields = ["community__name", "community__code"]


@admin.register(AreaShape)
class AreaShapeAdmin(ReadOnlyAdmin):
    """Where places are, read here; drawn on the map page or imported from a surveying office's
    file, through grids.shapes, which checks them against their neighbours."""

    list_display = ["area", "lng", "lat", "updated_at"]
    list_select_related = ["area"]
    search_fields = ["area__name", "area__code"]


@admin.register(AreaMerge)
class AreaMergeAdmin(ReadOnlyAdmin):
    """合并 records are written by grids.merging with the merge itself; here they are read only."""

    list_display = ["on", "kind", "name", "code", "into_name", "counts"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "into_name"]
    exclude = ["households"]  # who moved is on each household's page


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Imports and their counts; the uploaded and refused workbooks hold personal data and are
    served only to the run's owner on its page, so they are not shown here."""

    list_display = ["started_at", "owner", "file_name", "status", "created", "updated", "unchanged", "refused"]
    list_filter = ["status", "dry_run"]
    exclude = ["source", "refused_file"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ["run", "number", "outcome", "reason"]
    list_filter = ["outcome"]


@admin.register(PeopleExport)
class PeopleExportAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "area", "rows", "revealed"]
    list_filter = ["revealed"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    """The audit trail of unmasked views: read-only, for everyone."""

    list_display = ["at", "user", "resident", "reason"]
    list_filter = ["at"]
    search_fields = ["user__username", "resident__name", "reason"]
    list_select_related = ["user", "resident"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
