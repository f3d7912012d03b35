"""Root query fields of search: suggestions while typing and 热搜 (Union Mall extensions)."""

import graphene

from catalog.graphql.loading import channel_for
from search import service
from search.graphql.types import SearchSuggestion

MAX_FIRST = 20


class SearchQueries(graphene.ObjectType):
    search_suggestions = graphene.List(
        graphene.NonNull(SearchSuggestion),
        required=True,
        channel=graphene.String(description="Slug of a channel (the default channel when omitted)."),
        query=graphene.String(required=True, description="What is typed so far: Chinese, pinyin or initials."),
        first=graphene.Int(default_value=8, description=f"How many (at most {MAX_FIRST})."),
        description="Union Mall extension: completions of a search by Chinese prefix, full pinyin or initials.",
    )
    hot_searches = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        first=graphene.Int(default_value=10, description=f"How many (at most {MAX_FIRST})."),
        description="Union Mall extension: 热搜, the searches that found something most often in the last 7 days.",
    )

    @staticmethod
    def resolve_search_suggestions(_root, info, query, channel=None, first=8):
        channel = channel_for(info, channel)
        limit = max(0, min(first or 0, MAX_FIRST))
        if not limit:
            return []
        return [
            SearchSuggestion(text=item.text, kind=item.kind, slug=item.slug)
            for item in service.suggest(query, channel, limit=limit)
        ]

    @staticmethod
    def resolve_hot_searches(_root, _info, first=10):
        limit = max(0, min(first or 0, MAX_FIRST))
        return service.hot_searches(limit=limit) if limit else []
