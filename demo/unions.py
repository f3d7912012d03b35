"""The demo's union branch tree (工会组织): 深圳市总工会 → six district federations → streets and industry
unions → grassroots unions, 48 branches by code; members belong to the grassroots ones.

The city, district and street codes are those the branches app's first demo tree used (SZ, SZ-NS, SZ-NS-YH
…), so a database seeded with it grows into this one. The six grassroots unions of earlier demos
(GRASSROOTS_UNIONS) keep their codes; one found elsewhere (a root, from before the tree) is moved to its place
by branches.services.move_branch, so its members keep their branch.
"""

from dataclasses import dataclass, field

from branches import services
from branches.models import UnionBranch

FEDERATION = UnionBranch.Kind.FEDERATION
STREET = UnionBranch.Kind.STREET
INDUSTRY = UnionBranch.Kind.INDUSTRY
ENTERPRISE = UnionBranch.Kind.ENTERPRISE
COMMUNITY = UnionBranch.Kind.COMMUNITY


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    kind: str
    children: tuple["Node", ...] = field(default=())


def _grassroots(*pairs: tuple[str, str, str]) -> tuple[Node, ...]:
    return tuple(Node(code, name, kind) for code, name, kind in pairs)


CITY_CODE = "SZ"
# The district the demo's district-level viewer reads, and the grassroots union of the demo member and of
# the demo clerk and approver.
DISTRICT_CODE = "SZ-NS"
MEMBER_UNION_CODE = "GH-NS-001"

TREE = Node(
    CITY_CODE,
    "深圳市总工会",
    FEDERATION,
    (
        Node(
            "SZ-NS",
            "南山区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-NS-YH",
                    "南山区粤海街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-NS-001", "南山区科技园第一联合工会", COMMUNITY),
                        ("GH-NS-002", "深圳市人民医院工会", ENTERPRISE),
                        ("GH-NS-003", "深圳湾科技生态园联合工会", COMMUNITY),
                        ("GH-NS-004", "粤海街道软件企业联合工会", ENTERPRISE),
                    ),
                ),
                Node(
                    "SZ-NS-SK",
                    "南山区蛇口街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-NS-005", "蛇口港务企业工会", ENTERPRISE),
                        ("GH-NS-006", "蛇口社区联合工会", COMMUNITY),
                    ),
                ),
                Node(
                    "SZ-NS-WJ",
                    "南山区卫生健康系统工会",
                    INDUSTRY,
                    _grassroots(
                        ("GH-NS-007", "南山区妇幼保健院工会", ENTERPRISE),
                        ("GH-NS-008", "南山区疾病预防控制中心工会", ENTERPRISE),
                    ),
                ),
            ),
        ),
        Node(
            "SZ-FT",
            "福田区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-FT-LH",
                    "福田区莲花街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-FT-002", "莲花街道社区联合工会", COMMUNITY),
                        ("GH-FT-003", "福田区金融企业联合工会", ENTERPRISE),
                    ),
                ),
                Node(
                    "SZ-FT-JY",
                    "福田区教育工会",
                    INDUSTRY,
                    _grassroots(
                        ("GH-FT-001", "福田区教育系统工会", ENTERPRISE),
                        ("GH-FT-004", "福田区实验学校工会", ENTERPRISE),
                    ),
                ),
            ),
        ),
        Node(
            "SZ-LH",
            "罗湖区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-LH-DM",
                    "罗湖区东门街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-LH-002", "东门商业步行街联合工会", COMMUNITY),
                        ("GH-LH-003", "东门社区联合工会", COMMUNITY),
                    ),
                ),
                Node(
                    "SZ-LH-HW",
                    "罗湖区环境卫生行业工会",
                    INDUSTRY,
                    _grassroots(
                        ("GH-LH-001", "罗湖区环卫工人工会", ENTERPRISE),
                        ("GH-LH-004", "罗湖区园林绿化工会", ENTERPRISE),
                    ),
                ),
            ),
        ),
        Node(
            "SZ-BA",
            "宝安区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-BA-XX",
                    "宝安区新安街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-BA-001", "宝安区电子制造企业联合工会", ENTERPRISE),
                        ("GH-BA-002", "新安街道工业园联合工会", COMMUNITY),
                    ),
                ),
                Node(
                    "SZ-BA-XXI",
                    "宝安区西乡街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-BA-003", "西乡商贸企业联合工会", ENTERPRISE),
                        ("GH-BA-004", "西乡社区联合工会", COMMUNITY),
                    ),
                ),
            ),
        ),
        Node(
            "SZ-LG",
            "龙岗区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-LG-PH",
                    "龙岗区平湖街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-LG-001", "龙岗区物流园区工会", ENTERPRISE),
                        ("GH-LG-002", "平湖物流企业联合工会", ENTERPRISE),
                    ),
                ),
                Node(
                    "SZ-LG-BT",
                    "龙岗区坂田街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-LG-003", "坂田通信设备企业工会", ENTERPRISE),
                        ("GH-LG-004", "坂田社区联合工会", COMMUNITY),
                    ),
                ),
            ),
        ),
        Node(
            "SZ-LHQ",
            "龙华区总工会",
            FEDERATION,
            (
                Node(
                    "SZ-LHQ-GL",
                    "龙华区观澜街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-LHQ-001", "观澜制造企业联合工会", ENTERPRISE),
                        ("GH-LHQ-002", "观澜社区联合工会", COMMUNITY),
                    ),
                ),
                Node(
                    "SZ-LHQ-DL",
                    "龙华区大浪街道总工会",
                    STREET,
                    _grassroots(
                        ("GH-LHQ-003", "大浪时尚产业工会", ENTERPRISE),
                        ("GH-LHQ-004", "大浪社区联合工会", COMMUNITY),
                    ),
                ),
            ),
        ),
    ),
)

# (code, name): the grassroots unions demos before the tree made as roots; kept for code that lists them.
GRASSROOTS_UNIONS = [
    ("GH-NS-001", "南山区科技园第一联合工会"),
    ("GH-NS-002", "深圳市人民医院工会"),
    ("GH-FT-001", "福田区教育系统工会"),
    ("GH-LH-001", "罗湖区环卫工人工会"),
    ("GH-BA-001", "宝安区电子制造企业联合工会"),
    ("GH-LG-001", "龙岗区物流园区工会"),
]


def nodes(node: Node = TREE, parent_code: str | None = None):
    """(node, parent code) for the whole tree, parents before their children."""
    yield node, parent_code
    for child in node.children:
        yield from nodes(child, node.code)


def grassroots_codes() -> list[str]:
    return [node.code for node, _ in nodes() if not node.children]


def seed_union_branches() -> dict[str, UnionBranch]:
    """Every branch of the tree, made if missing and moved under its parent if it stands elsewhere; by code."""
    existing = {branch.code: branch for branch in UnionBranch.objects.filter(code__in=[n.code for n, _ in nodes()])}
    for node, parent_code in nodes():
        parent = existing[parent_code] if parent_code else None
        branch = existing.get(node.code)
        if branch is None:
            existing[node.code] = services.create_union_branch(
                code=node.code, name=node.name, parent=parent, kind=node.kind
            )
            continue
        branch.refresh_from_db()  # a move above it may have changed its path
        if parent is not None and not _is_child_of(branch, parent):
            existing[node.code] = services.move_branch(branch=branch, parent=parent, by=None)
    return existing


def _is_child_of(branch: UnionBranch, parent: UnionBranch) -> bool:
    return branch.depth == parent.depth + 1 and branch.path.startswith(parent.path)
