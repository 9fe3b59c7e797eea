from rest_framework.routers import DefaultRouter

from grids.api import AreaViewSet, HouseholdViewSet, ResidentViewSet

router = DefaultRouter()
router.register("areas", AreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("residents", ResidentViewSet, basename="resident")
