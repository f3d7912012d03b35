"""Completions while a person types, from SuggestionTerm rows."""


def suggest(prefix: str, *, limit: int = 8) -> list:
    return []
