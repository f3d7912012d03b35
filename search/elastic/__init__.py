"""The Elasticsearch side of search: the product document, the Chinese analyzers, index and alias management,
the queries and the facet aggregations. search.backends.elastic puts them behind the SearchBackend interface."""
