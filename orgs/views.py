from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.scope import area_scope_or_404
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import cards, selectors
from orgs.models import COMMUNITY_LEVEL_KINDS, WINDOWS, WORK_COMMITTEES, Role
from orgs.org_pages import ORGANIZATIONS

PAGE_SIZE = 30
CHART_LABELS = {
    "members": _("党员"),
    "all": _("全部"),
    "grids_without_org": _("无党组织网格"),
    "grids_without_full_time_worker": _("无专职网格员"),
    "grids_without_ab": _("AB岗不全"),
    "buildings_without_group": _("无党小组楼栋"),
    "rate": _("实际"),
    "target": _("目标"),
}


@login_required
def org_chart(request):
    scope = area_scope_or_404(request.scope)
    return render(request, "orgs/org_chart.html", {"chart": selectors.org_chart(scope), "labels": CHART_LABELS})


@login_required
def organization_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    organization = selectors.get_organization(scope, pk)
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "organization": organization,
            "advisories": selectors.advisories_for(organization),
            "committee": selectors.committee(organization),
            "links": ORGANIZATIONS.links(scope, organization),
            "coverage": organization.covers.order_by("tree_id", "lft"),
            "children": selectors.with_member_counts(organization.get_children()).select_related("area"),
            "members": Paginator(selectors.get_member_list(scope, organization=organization.pk), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
        },
    )


@login_required
def coverage_report(request):
    scope = area_scope_or_404(request.scope)
    report = selectors.coverage_report(scope)
    chart = {
        "communities": [row.community.name for row in report.communities],
        "series": {
            "grids_without_org": [len(r.grids_without_org) for r in report.communities],
            "grids_without_full_time_worker": [len(r.grids_without_full_time_worker) for r in report.communities],
            "grids_without_ab": [len(r.grids_without_ab) for r in report.communities],
            "buildings_without_group": [len(r.buildings_without_group) for r in report.communities],
        },
    }
    rates = {
        "names": [str(rate.target.label) for rate in report.rates],
        "rates": [float(rate.percent) if rate.percent is not None else None for rate in report.rates],
        "targets": [float(rate.target.value) for rate in report.rates],
    }
    return render(
        request,
        "orgs/coverage_report.html",
        {"report": report, "chart": chart, "rates_chart": rates, "labels": CHART_LABELS},
    )


@login_required
def community_structure(request, pk: int):
    """一委一站一居 (seed 004): the party committee, the service station's windows, the residents' committee."""
    scope = area_scope_or_404(request.scope)
    community = grid_selectors.get_area(scope, pk)
    if community.kind != AreaKind.COMMUNITY:
        raise Http404
    posts = list(community.posts.active().order_by("role", "holder_name"))
    party = community.seated_organizations.filter(kind__in=sorted(COMMUNITY_LEVEL_KINDS)).first()
    party_posts = selectors.committee(party) if party else []

    def holders(role, function=""):
        return [p for p in posts if p.role == role and p.function == function]

    return render(
        request,
        "orgs/community_structure.html",
        {
            "community": community,
            "party": party,
            "party_posts": party_posts,
            "station_heads": holders(Role.STATION_HEAD),
            "windows": [(w.label, holders(Role.WINDOW_STAFF, w.value)) for w in WINDOWS],
            "rc_directors": holders(Role.RC_DIRECTOR),
            "committees": [(c.label, holders(Role.RC_MEMBER, c.value)) for c in WORK_COMMITTEES],
        },
    )


def card_photo(request, pk: int):
    """挂牌上岗: the photo on a grid's public card (the building's QR page shows it to anyone), of a
    post held today; nothing else of the post answers here."""
    photo = cards.card_photo(pk)
    if photo is None:
        raise Http404
    return FileResponse(photo.open("rb"), content_type="image/jpeg")
