"""The demo's grassroots unions (基层工会) members belong to, by code."""

from branches import services
from branches.models import UnionBranch

# (code, name): the city federation's grassroots unions in factories, hospitals, schools and offices.
GRASSROOTS_UNIONS = [
    ("GH-NS-001", "南山区科技园第一联合工会"),
    ("GH-NS-002", "深圳市人民医院工会"),
    ("GH-FT-001", "福田区教育系统工会"),
    ("GH-LH-001", "罗湖区环卫工人工会"),
    ("GH-BA-001", "宝安区电子制造企业联合工会"),
    ("GH-LG-001", "龙岗区物流园区工会"),
]


def seed_union_branches() -> dict[str, UnionBranch]:
    """Each grassroots union, made if missing; by code."""
    existing = {
        branch.code: branch for branch in UnionBranch.objects.filter(code__in=[c for c, _ in GRASSROOTS_UNIONS])
    }
    return {
        code: existing.get(code) or services.create_union_branch(code=code, name=name)
        for code, name in GRASSROOTS_UNIONS
    }
