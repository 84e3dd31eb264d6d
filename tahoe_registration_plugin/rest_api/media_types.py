"""What the API reads (JSON, form and multipart bodies) and answers with (JSON, whatever is asked)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


class JSONBodyParser(JSONParser):
    """DRF's JSON parser, with a body nested too deeply for Python's decoder refused like any bad JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(_("JSON parse error - the body is nested too deeply.")) from error


class JSONOnly(DefaultContentNegotiation):
    """Every answer is JSON, whatever the ``Accept`` header asks for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


PARSER_CLASSES = [JSONBodyParser, FormParser, MultiPartParser]
