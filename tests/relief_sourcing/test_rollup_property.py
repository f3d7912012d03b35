"""Roll-up correctness on random trees and ledgers (hypothesis): every branch's total is its own entries plus
its children's totals, and the CHILD_BRANCH groups (本级 included) add up exactly to the total."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branches.services import create_union_branch
from relief_sourcing import reports
from relief_sourcing.models import ReliefChannel
from tests.relief_sourcing.report_factories import entry, local, write

pytestmark = pytest.mark.django_db

# A tree as a list of parent indexes: node i's parent is an earlier node, at most four levels deep.
trees = st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=14)
amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("500"), places=2).filter(lambda a: a != 0)
ledgers = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10_000), amounts, st.sampled_from(ReliefChannel.values)),
    max_size=40,
)


class Rollback(Exception):
    pass


def build(parent_choices):
    """Branches from parent indexes; a choice that would make a fifth level is moved up to a parent that
    keeps four."""
    nodes = [create_union_branch(code="P0", name="市总工会")]
    for number, choice in enumerate(parent_choices, start=1):
        eligible = [node for node in nodes if node.depth < 4]
        parent = eligible[choice % len(eligible)]
        nodes.append(create_union_branch(code=f"P{number}", name=f"工会{number}", parent=parent))
    return nodes


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parent_choices=trees, ledger=ledgers)
def test_every_branch_total_is_its_own_plus_its_childrens(relief_world, parent_choices, ledger):
    try:
        with transaction.atomic():
            nodes = build(parent_choices)
            for node in nodes:
                node.refresh_from_db()
            written = [
                entry(
                    relief_world,
                    nodes[index % len(nodes)],
                    amount,
                    channel=channel,
                    source=index % 3,
                    when=local(2025, 1 + index % 12, 1 + index % 28),
                )
                for index, amount, channel in ledger
            ]
            write(written)
            own = {node.pk: Decimal("0.00") for node in nodes}
            for item in written:
                own[item.branch_id] += item.amount
            totals = {node.pk: reports.purchase_summary(node, year=2025, group_by="CHILD_BRANCH") for node in nodes}
            rolled = reports.subtree_totals(2025)
            for node in nodes:
                summary = totals[node.pk]
                children = [
                    child for child in nodes if child.path.startswith(node.path) and child.depth == node.depth + 1
                ]
                assert summary.total == own[node.pk] + sum((totals[c.pk].total for c in children), Decimal("0.00"))
                assert sum(group.total for group in summary.groups) == summary.total
                assert summary.groups[0].total == own[node.pk]  # 本级
                assert {g.key for g in summary.groups[1:]} == {
                    reports.to_global_id("UnionBranch", c.pk) for c in children
                }
                assert rolled.get(node.path, Decimal("0.00")) == summary.total
                ranking = reports.ranking(node, 2025)
                assert sum(row.total for row in ranking) + own[node.pk] == summary.total
            raise Rollback
    except Rollback:
        pass
