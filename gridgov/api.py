from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, CategoryViewSet, RoutingRuleViewSet
from cobuilding.api import AgreementViewSet, NeedViewSet, ProjectViewSet, ResourceViewSet, UnitViewSet
from grids.api import AreaViewSet, HouseholdViewSet, ResidentViewSet
from orgs.api import OrganizationViewSet, PartyMemberViewSet, PostViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("residents", ResidentViewSet, basename="resident")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("party-members", PartyMemberViewSet, basename="party-member")
router.register("posts", PostViewSet, basename="post")
router.register("co-building-units", UnitViewSet, basename="co-building-unit")
router.register("needs", NeedViewSet, basename="need")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("shared-resources", ResourceViewSet, basename="shared-resource")
router.register("service-projects", ProjectViewSet, basename="service-project")
router.register("cases", CaseViewSet, basename="case")
router.register("case-categories", CategoryViewSet, basename="case-category")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")
