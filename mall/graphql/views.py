"""The /graphql/ endpoint: graphene-django's view, with unexpected failures logged and not shown."""

import logging

from django.conf import settings
from graphene_django.views import GraphQLView
from graphql import GraphQLError

logger = logging.getLogger(__name__)


class MallGraphQLView(GraphQLView):
    @staticmethod
    def format_error(error):
        """Errors raised on purpose (GraphQLError) reach the client as they are; a programming fault
        is logged with its traceback and reported as "Internal Server Error", as a 500 page would be."""
        formatted = GraphQLView.format_error(error)
        original = getattr(error, "original_error", None)
        if original is not None and not isinstance(original, GraphQLError):
            logger.error("GraphQL request failed: %s", original, exc_info=original)
            if not settings.DEBUG:
                formatted["message"] = "Internal Server Error"
        return formatted
