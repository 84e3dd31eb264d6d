"""Pages of at most 100 results, each with the link to the next (CONTRACT §10–§12)."""
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

PAGE_SIZE = 100


class NextLinkPagination(PageNumberPagination):
    """``{"results": [...], "next": <URL or null>}``; ``?page=N`` (a page past the last is a 404)."""

    page_size = PAGE_SIZE

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema):
        return {"type": "object", "properties": {
            "results": schema, "next": {"type": "string", "format": "uri", "nullable": True},
        }}
