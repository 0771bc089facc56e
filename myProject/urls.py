from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from myProject import health
from myProject.api_router import router

admin.site.site_header = "SpeakPro operations"
admin.site.site_title = "SpeakPro admin"
admin.site.index_title = "Learning and wellbeing platform"
# The index adds a notice of urgent insights that no clinician sees (myApp/sessions/templatetags).
admin.site.index_template = "admin/speakpro_index.html"


def _docs_view():
    """Swagger UI sets inline style attributes; its scripts load from our own origin
    (the split view), so the docs page relaxes style-src alone, and no other page does."""
    view = SpectacularSwaggerSplitView.as_view(url_name="schema")
    if not settings.SECURE_CSP:
        return view
    return csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(view)


handler400 = "myApp.lib.errors.bad_request"
handler403 = "myApp.lib.errors.forbidden"
handler404 = "myApp.lib.errors.not_found"
handler500 = "myApp.lib.errors.server_error"

urlpatterns = [
    path("healthz", health.ready, name="healthz"),  # readiness, for probes configured before the split
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("admin/dashboard/", include("myApp.analytics.admin_urls")),  # the staff dashboard page (issue 12)
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", _docs_view(), name="swagger-ui"),
    path("api/v1/", include("myApp.accounts.api_urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("myApp.quests.daily_api_urls")),
    path("api/", include("myApp.curriculum.api_urls")),
    path("api/", include("myApp.sessions.api_urls")),
    path("api/", include("myApp.quests.api_urls")),
    path("api/", include("myApp.analytics.api_urls")),
    path("api/v1/", include("myApp.analytics.report_api_urls")),
    path("", include("myApp.sessions.seed_urls")),
    path("", include("myApp.accounts.urls")),
    path("learn/", include("myApp.curriculum.urls")),
    path("chat/", include("myApp.sessions.urls")),
    path("clinic/", include("myApp.sessions.clinic_urls")),
    path("quests/daily/", include("myApp.quests.daily_urls")),
    path("quests/builder/", include("myApp.quests.builder_urls")),
    path("quests/", include("myApp.quests.urls")),
    path("report/", include("myApp.analytics.report_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
