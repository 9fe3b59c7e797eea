from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import api_token_views, two_factor_views
from funding.api import EstimateView
from gridgov import ops, views
from gridgov.api import router

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", two_factor_views.status, name="two_factor"),
    path("accounts/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/enrol/", two_factor_views.enrol, name="two_factor_enrol"),
    path("accounts/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/tokens/", api_token_views.token_list, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", api_token_views.token_revoke, name="api_token_revoke"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("grids.urls")),
    path("", include("orgs.urls")),
    path("", include("cobuilding.urls")),
    path("", include("funding.urls")),
    path("", include("cases.urls")),
    path("", include("gridwork.urls")),
    path("", include("hall.urls")),
    path("", include("appraisal.urls")),
    path("", include("estates.urls")),
    path("", include("alliances.urls")),
    path("", include("core.urls")),
    path("open311/v2/", include("cases.open311.urls")),
    path("api/v1/funding/estimate/", EstimateView.as_view(), name="funding-estimate"),
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("health/", ops.Health.as_view(), name="health"),
    path("health/full/", ops.Health.as_view(full=True), name="health_full"),
    path("metrics/", ops.metrics, name="metrics"),
]

# While the database is unreachable: 503 with Retry-After instead of the 500 page.
handler400 = "gridgov.errors.bad_request"
handler404 = "gridgov.errors.page_not_found"
handler500 = "gridgov.errors.server_error"
