"""Report downloads: the files open, their totals row equals the GraphQL figure, formulas are neutralised,
and the same permission applies as on screen."""

import csv
import io

import pytest
from django.test import Client
from graphql_relay import to_global_id
from openpyxl import load_workbook

from mall.permissions import PermissionEnum
from relief_sourcing.exports import neutralise
from tests.relief_sourcing.conftest import api_for, make_user
from tests.relief_sourcing.report_factories import entry, write
from tests.relief_sourcing.test_graphql_reports import RANKING, SUMMARY

pytestmark = pytest.mark.django_db


def gid(branch):
    return to_global_id("UnionBranch", branch.pk)


@pytest.fixture
def ledger(tree, relief_world):
    write(
        [
            entry(relief_world, tree["G111"], "100.10"),
            entry(relief_world, tree["G112"], "50.25", source=1),
            entry(relief_world, tree["S11"], "-20.00", source=0),
            entry(relief_world, tree["D1"], "5.00", source=2),
            entry(relief_world, tree["G211"], "30.00", source=2),
        ]
    )
    return tree


@pytest.fixture
def viewer(ledger):
    user = make_user("exports@example.com", branch=ledger["C"])
    client = Client()
    client.force_login(user)
    return user, client


def rows_of_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rows_of_csv(content: bytes) -> list[list]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def totals_row(rows):
    return next(row for row in rows if row and row[0] == "合计")


@pytest.mark.parametrize("group_by", ["REGION", "COUNTY", "SUPPLIER", "MONTH", "CHILD_BRANCH"])
def test_exported_totals_equal_the_graphql_figures(ledger, viewer, group_by):
    user, client = viewer
    on_screen = api_for(user).data(SUMMARY, {"branch": gid(ledger["D1"]), "year": 2025, "groupBy": group_by})
    figure = on_screen["reliefPurchaseSummary"]
    query = {"branch": gid(ledger["D1"]), "year": "2025", "groupBy": group_by}

    response = client.get("/relief/reports/export.xlsx", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of_xlsx(response.content)
    total = totals_row(rows)
    assert float(total[2]) == figure["total"]["amount"] == 135.35
    assert total[3] == figure["quantity"]
    body = rows[rows.index(total) - len(figure["groups"]) : rows.index(total)]
    assert [(row[0], row[1], float(row[2])) for row in body] == [
        (g["key"], g["label"], g["total"]["amount"]) for g in figure["groups"]
    ]

    response = client.get("/relief/reports/export.csv", query)
    assert response.status_code == 200
    total = totals_row(rows_of_csv(response.content))
    assert float(total[2]) == figure["total"]["amount"]
    assert int(total[3]) == figure["quantity"]


def test_ranking_exports_its_rows(ledger, viewer):
    user, client = viewer
    ranking = api_for(user).data(RANKING, {"parent": gid(ledger["C"]), "year": 2025})["reliefRanking"]
    rows = rows_of_csv(
        client.get("/relief/reports/export.csv", {"report": "ranking", "parent": "C", "year": "2025"}).content
    )
    body = [row for row in rows if row and row[0] in ("D1", "D2")]
    assert [(row[0], float(row[2])) for row in body] == [(r["branch"]["code"], r["total"]["amount"]) for r in ranking]
    assert float(totals_row(rows)[2]) == sum(r["total"]["amount"] for r in ranking)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r\n@x", "'\r\n@x"),
        ("巫山脆李", "巫山脆李"),
    ],
)
def test_text_that_would_run_as_a_formula_is_neutralised(text, safe):
    assert neutralise(text) == safe


def test_hostile_names_arrive_as_text_in_both_files(ledger, viewer, relief_world):
    merchant = relief_world.suppliers[0].merchant
    merchant.name = '=HYPERLINK("http://evil.example","点我")'
    merchant.save()
    ledger["S12"].name = "@SUM(1+1)"
    ledger["S12"].save()
    _, client = viewer
    for group_by, hostile in (("SUPPLIER", merchant.name), ("CHILD_BRANCH", "@SUM(1+1)")):
        query = {"branch": gid(ledger["D1"]), "year": "2025", "groupBy": group_by}
        labels = [row[1] for row in rows_of_xlsx(client.get("/relief/reports/export.xlsx", query).content) if row]
        assert "'" + hostile in labels and hostile not in labels
        labels = [
            row[1] for row in rows_of_csv(client.get("/relief/reports/export.csv", query).content) if len(row) > 1
        ]
        assert "'" + hostile in labels and hostile not in labels


def test_exports_follow_the_same_permission(ledger):
    query = {"branch": gid(ledger["D2"]), "year": "2025", "groupBy": "REGION"}
    anonymous = Client().get("/relief/reports/export.xlsx", query)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    sibling = Client()
    sibling.force_login(make_user("sibling@example.com", branch=ledger["D1"]))
    refused = sibling.get("/relief/reports/export.csv", query)
    assert refused.status_code == 403
    assert refused.content.decode() == "您无权查看该工会组织的消费帮扶数据。"
    operator = Client()
    operator.force_login(make_user("op@example.com", permissions=[PermissionEnum.VIEW_RELIEF_REPORTS]))
    assert operator.get("/relief/reports/export.csv", query).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "2025", "groupBy": "REGION"}, "请指定工会组织（branch）。"),
        ({"branch": "nope", "year": "2025", "groupBy": "REGION"}, "找不到该工会组织。"),
        (
            {"branch": "C", "year": "2025", "groupBy": "WEEK"},
            "groupBy 须为 REGION / COUNTY / SUPPLIER / MONTH / CHILD_BRANCH 之一。",
        ),
        ({"branch": "C", "year": "1999", "groupBy": "REGION"}, "年度须在 2000 至 2100 之间。"),
        ({"branch": "C", "year": "20x5", "groupBy": "REGION"}, "年度须为四位数字。"),
        ({"branch": "C", "dateFrom": "2025-02-30", "groupBy": "REGION"}, "dateFrom 须为 YYYY-MM-DD 格式的日期。"),
        (
            {"branch": "C", "dateFrom": "2025-03-02", "dateTo": "2025-03-01", "groupBy": "REGION"},
            "开始日期不能晚于结束日期。",
        ),
        ({"branch": "C", "year": "2025", "groupBy": "REGION", "channel": "CASH"}, "未知的渠道。"),
        ({"report": "ranking", "parent": "C"}, "请指定年度（year）。"),
        ({"report": "pie", "branch": "C"}, "report 须为 summary 或 ranking。"),
    ],
)
def test_bad_parameters_are_a_400_with_a_clear_message(ledger, viewer, query, message):
    _, client = viewer
    response = client.get("/relief/reports/export.xlsx", query)
    assert response.status_code == 400
    assert response.content.decode() == message
