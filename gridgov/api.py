from rest_framework.routers import DefaultRouter

from grids.api import AreaViewSet, HouseholdViewSet, ResidentViewSet
from orgs.api import OrganizationViewSet, PartyMemberViewSet, PostViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("residents", ResidentViewSet, basename="resident")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("party-members", PartyMemberViewSet, basename="party-member")
router.register("posts", PostViewSet, basename="post")
