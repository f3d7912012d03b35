"""GraphQL clients for the account tests: e-mails are queued with on_commit, so each request's
transaction must count as committed for them to go out."""

from tests.graphql.conftest import GraphQLClient


class CommittingGraphQLClient(GraphQLClient):
    def __init__(self, client, capture_on_commit):
        super().__init__(client)
        self.capture_on_commit = capture_on_commit

    def post(self, query, variables=None):
        with self.capture_on_commit(execute=True):
            return super().post(query, variables)
