"""工会看板 (branch dashboards) for branch staff and the public 公示 (disclosure) page.

Thin: who may see which branch is branches.selectors' answer, every figure is relief_sourcing.reports'
(or relief_sourcing.disclosure's, which reads reports), and the charts are drawn in the browser from the
same figures the tables show, embedded with json_script.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from branches.models import UnionBranch
from branches.selectors import branches_visible_to, can_see_branch, is_operator, roles_of
from relief_sourcing import reports
from relief_sourcing.disclosure import public_disclosure
from storefront.views import not_found


@dataclass(frozen=True)
class YearChoice:
    year: int
    years: list[int]
    error: str  # a Chinese note when ?year= was not a year we report on


def _year_choice(request) -> YearChoice:
    current = timezone.localdate().year
    years = list(range(current, settings.RELIEF_FIRST_YEAR - 1, -1))
    raw = request.GET.get("year", "").strip()
    if not raw:
        return YearChoice(current, years, "")
    if raw.isdigit() and int(raw) in years:
        return YearChoice(int(raw), years, "")
    return YearChoice(current, years, f"年份“{raw[:10]}”无效，已显示 {current} 年的数据。")


def _forbidden(request, message: str):
    return render(request, "storefront/relief/forbidden.html", {"message": message}, status=403)


# --- /branch/ ------------------------------------------------------------------------------------
@require_safe
@login_required
def branch_home(request):
    """The branch portal's home: each branch the person holds a role in, with its 工会看板 and 采购单."""
    branches = _branches_to_choose(request.user)
    if not branches:
        return _forbidden(request, "你还没有工会职务。工会工作台只对担任经办人、主席、经审或查看职务的工作人员开放。")
    return render(request, "storefront/relief/branch_choose.html", {"choices": branches})


def has_branch_dashboard(user) -> bool:
    """Whether 我的 links to 工会看板: branch staff, and operators who read every branch's reports."""
    return branches_visible_to(user).exists()


def _branches_to_choose(user) -> list[dict]:
    """Each branch the person holds a role in, with those roles; operators who see every branch get the
    tree's roots."""
    choices: dict[int, dict] = {}
    for role in roles_of(user):
        entry = choices.setdefault(role.branch_id, {"branch": role.branch, "roles": []})
        entry["roles"].append(role.get_role_display())
    if not choices and is_operator(user):
        for root in UnionBranch.objects.get_root_nodes():
            choices[root.pk] = {"branch": root, "roles": ["运营人员"]}
    return sorted(choices.values(), key=lambda entry: entry["branch"].path)


# --- /branch/<code>/dashboard/ --------------------------------------------------------------------
@require_safe
@login_required
def branch_dashboard(request, code: str):
    branch = UnionBranch.objects.filter(code=code).first()
    if branch is None:
        return not_found(request, "找不到这个工会组织。")
    if not can_see_branch(request.user, branch):
        return _forbidden(request, "你没有查看该工会组织数据的权限：工作人员只能查看本级及下级工会。")
    choice = _year_choice(request)
    year = choice.year
    regions = reports.purchase_summary(branch, year=year, group_by=reports.GroupBy.REGION)
    months = reports.purchase_summary(branch, year=year, group_by=reports.GroupBy.MONTH)
    ranking = reports.ranking(branch, year) if branch.numchild else []
    progress = reports.target_progress(branch, year)
    context = {
        "branch": branch,
        # Names only, no links: staff may not open a parent's dashboard.
        "ancestors": list(UnionBranch.objects.get_ancestors(branch)) if branch.depth > 1 else [],
        "choice": choice,
        "year": year,
        "summary": regions,
        "regions": regions.groups,
        "months": months.groups,
        "ranking": ranking,
        "progress": progress,
        "has_children": bool(branch.numchild),
        "exports": _export_links(branch, year),
        "charts": _branch_charts(regions, months, ranking),
    }
    return render(request, "storefront/relief/dashboard.html", context)


def _export_links(branch: UnionBranch, year: int) -> list[dict]:
    """The reports' XLSX and CSV downloads (relief_sourcing.views.export) of what the page shows."""
    wanted = [("按帮扶地区", {"report": "summary", "groupBy": reports.GroupBy.REGION})]
    wanted.append(("按月份", {"report": "summary", "groupBy": reports.GroupBy.MONTH}))
    if branch.numchild:
        wanted.append(("下级工会排名", {"report": "ranking"}))
    links = []
    for label, params in wanted:
        query = urlencode({**params, "branch": branch.code, "year": year})
        for name, file_format in (("relief:export_xlsx", "XLSX"), ("relief:export_csv", "CSV")):
            links.append({"label": f"{label}（{file_format}）", "url": f"{reverse(name)}?{query}"})
    return links


def _branch_charts(regions, months, ranking) -> dict:
    """What relief-charts.js draws: labels and amounts as strings of yuan (JSON has no Decimal)."""
    return {
        "regions": {"labels": [g.label for g in regions.groups], "values": [str(g.total) for g in regions.groups]},
        "months": {"labels": [g.label for g in months.groups], "values": [str(g.total) for g in months.groups]},
        "ranking": {"labels": [row.branch.name for row in ranking], "values": [str(row.total) for row in ranking]},
    }


# --- /relief/disclosure/ ---------------------------------------------------------------------------
@require_safe
def disclosure(request):
    choice = _year_choice(request)
    data = public_disclosure(choice.year)
    charts = {
        name: {"labels": [row.label for row in rows], "values": [str(row.total) for row in rows]}
        for name, rows in (("regions", data.regions), ("months", data.months), ("districts", data.districts))
    }
    return render(request, "storefront/relief/disclosure.html", {"choice": choice, "data": data, "charts": charts})
