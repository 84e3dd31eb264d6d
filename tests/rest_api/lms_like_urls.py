"""A root URLconf built as the LMS builds its own: the LMS's API docs, then the plugins' URL patterns."""
from edx_api_doc_tools import make_api_info, make_docs_urls
from edx_django_utils.plugins import get_plugin_url_patterns

urlpatterns = [
    # The LMS's /api-docs/, with the same URL names as the plugin's docs.
    *make_docs_urls(make_api_info(title="Open edX APIs", version="v1")),
    *get_plugin_url_patterns("lms.djangoapp"),
]
