"""Pages of at most 100 results, each with the link to the next (CONTRACT §10–§12)."""
from urllib.parse import urlsplit, urlunsplit

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

PAGE_SIZE = 100


class NextLinkPagination(PageNumberPagination):
    """
    ``{"results": [...], "next": <URL or null>}``; ``?page=N`` (a page past the last is a 404).
    ``next`` names the key's site, whatever the request's ``Host`` was (an unknown host falls back
    to the default site): a client following it sends its key there and nowhere else.
    """

    page_size = PAGE_SIZE

    def __init__(self, site):
        self.site = site

    def get_next_link(self):
        link = super().get_next_link()
        if link is None:
            return None
        parts = urlsplit(link)
        return urlunsplit((parts.scheme, self.site.domain, parts.path, parts.query, ""))

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "properties": {
            "results": schema, "next": {"type": "string", "format": "uri", "nullable": True},
        }}
