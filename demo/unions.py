"""The demo's grassroots unions (基层工会) members belong to, by code, each under its district and street.

Members belong to grassroots unions (level 3) only, so every one here sits under 深圳市总工会 → its
district's federation → a street or industry union. The relief demo grows this tree further.
"""

from branches import services
from branches.models import UnionBranch

CITY = ("SZ", "深圳市总工会")
# district code → (district name, (street or industry union code, name, kind))
DISTRICTS = {
    "NS": ("南山区总工会", ("SZ-NS-YH", "南山区粤海街道总工会", "street")),
    "FT": ("福田区总工会", ("SZ-FT-JY", "福田区教育工会", "industry")),
    "LH": ("罗湖区总工会", ("SZ-LH-HW", "罗湖区环境卫生行业工会", "industry")),
    "BA": ("宝安区总工会", ("SZ-BA-XX", "宝安区新安街道总工会", "street")),
    "LG": ("龙岗区总工会", ("SZ-LG-PH", "龙岗区平湖街道总工会", "street")),
}
# (code, name, kind): the city federation's grassroots unions in factories, hospitals, schools and offices.
GRASSROOTS_UNIONS = [
    ("GH-NS-001", "南山区科技园第一联合工会", "community"),
    ("GH-NS-002", "深圳市人民医院工会", "enterprise"),
    ("GH-FT-001", "福田区教育系统工会", "enterprise"),
    ("GH-LH-001", "罗湖区环卫工人工会", "enterprise"),
    ("GH-BA-001", "宝安区电子制造企业联合工会", "community"),
    ("GH-LG-001", "龙岗区物流园区工会", "enterprise"),
]


def _branch(code: str, name: str, parent, kind: str) -> UnionBranch:
    return UnionBranch.objects.filter(code=code).first() or services.create_union_branch(
        code=code, name=name, parent=parent, kind=kind
    )


def seed_union_branches() -> dict[str, UnionBranch]:
    """Each grassroots union with the branches above it, made if missing; by code."""
    city = _branch(*CITY, None, "federation")
    streets = {}
    for district_code, (district_name, (street_code, street_name, street_kind)) in DISTRICTS.items():
        district = _branch(f"SZ-{district_code}", district_name, city, "federation")
        streets[district_code] = _branch(street_code, street_name, district, street_kind)
    return {code: _branch(code, name, streets[code.split("-")[1]], kind) for code, name, kind in GRASSROOTS_UNIONS}
