from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from myApp.lib.health import healthz
from myProject.api_router import router

admin.site.site_header = "SpeakPro operations"
admin.site.site_title = "SpeakPro admin"
admin.site.index_title = "Learning and wellbeing platform"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("myApp.accounts.api_urls")),
    path("api/v1/", include(router.urls)),
    path("", include("myApp.accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
