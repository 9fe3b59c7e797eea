from rest_framework.routers import DefaultRouter

from alliances.api import AllianceViewSet, DualReportViewSet, JointMeetingViewSet, ServiceActivityViewSet
from appraisal.api import EvaluationRoundViewSet, TrainingViewSet, YearlyViewSet
from cases.api import CaseViewSet, CategoryViewSet, RoutingRuleViewSet
from cases.visit_api import VisitRuleViewSet, VisitViewSet
from cases.webhooks.api import WebhookSubscriptionViewSet
from cobuilding.api import AgreementViewSet, NeedViewSet, ProjectViewSet, ResourceViewSet, UnitViewSet
from core.drf import ID_PATH_PATTERN
from estates.api import AssessmentViewSet, InspectionViewSet, RoundViewSet, TermViewSet
from grids.api import AreaViewSet, HouseholdViewSet, ResidentViewSet
from gridwork.api import GridMeetingViewSet
from hall.api import ServiceItemViewSet, ServiceRequestViewSet
from orgs.api import OrganizationViewSet, PartyMemberViewSet, PostViewSet


class Router(DefaultRouter):
    """Ids in API paths are whole numbers: /cases/abc/ fails to resolve (404) instead of reaching
    the database as a ValueError (500). A viewset that looks rows up otherwise declares its own."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if hasattr(viewset, "lookup_value_regex"):
            return super().get_lookup_regex(viewset, lookup_prefix)
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>{ID_PATH_PATTERN})"


router = Router()
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
router.register("visits", VisitViewSet, basename="visit")
router.register("visit-rules", VisitRuleViewSet, basename="visit-rule")
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription")
router.register("grid-meetings", GridMeetingViewSet, basename="grid-meeting")
router.register("service-items", ServiceItemViewSet, basename="service-item")
router.register("service-requests", ServiceRequestViewSet, basename="service-request")
router.register("trainings", TrainingViewSet, basename="training")
router.register("evaluation-rounds", EvaluationRoundViewSet, basename="evaluation-round")
router.register("yearly-evaluations", YearlyViewSet, basename="yearly-evaluation")
router.register("property-terms", TermViewSet, basename="property-term")
router.register("property-inspections", InspectionViewSet, basename="property-inspection")
router.register("property-rounds", RoundViewSet, basename="property-round")
router.register("property-assessments", AssessmentViewSet, basename="property-assessment")
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("joint-meetings", JointMeetingViewSet, basename="joint-meeting")
router.register("service-activities", ServiceActivityViewSet, basename="service-activity")
router.register("dual-reports", DualReportViewSet, basename="dual-report")
