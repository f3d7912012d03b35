"""Union branches (工会组织): the four-level tree of the city federation, and who works in which branch.

The tree is a materialised path (django-treebeard's MP_Node): a branch's subtree is every row whose
path starts with its path, one indexed range scan at any depth, never a walk in Python.
"""

from django.conf import settings
from django.db import models
from treebeard.mp_tree import MP_Node


class BranchLevel(models.IntegerChoices):
    """Levels counted from 0 at the city federation, as the API reports them."""

    CITY = 0, "市总工会"
    DISTRICT = 1, "区（县）总工会"
    STREET = 2, "街道、乡镇或产业工会"
    GRASSROOTS = 3, "基层工会"


class UnionBranch(MP_Node):
    """工会组织 (union branch): a node of the federation's tree, identified by its code."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", "总工会"
        STREET = "street", "街道（乡镇）工会"
        INDUSTRY = "industry", "产业（行业）工会"
        ENTERPRISE = "enterprise", "企业工会"
        COMMUNITY = "community", "社区（联合）工会"

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, blank=True)

    node_order_by = ["code"]

    class Meta:
        ordering = ["path"]
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        indexes = [
            # Subtree lookups are `path LIKE 'prefix%'`: the pattern ops index serves them in any collation.
            models.Index(fields=["path"], name="branch_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["depth", "path"], name="branch_depth_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def level(self) -> int:
        return self.depth - 1


class BranchRole(models.Model):
    """A person's role in a branch. One person may hold roles in several branches; a role reaches the
    branch and everything below it, never siblings or parents."""

    class Role(models.TextChoices):
        CLERK = "CLERK", "经办人"
        APPROVER = "APPROVER", "主席（审批人）"
        AUDITOR = "AUDITOR", "经审"
        VIEWER = "VIEWER", "查看"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="branch_roles")
    branch = models.ForeignKey(UnionBranch, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["branch__path", "role"]
        verbose_name = "工会职务"
        verbose_name_plural = "工会职务"
        constraints = [models.UniqueConstraint(fields=["user", "branch", "role"], name="unique_branch_role")]

    def __str__(self):
        return f"{self.branch} · {self.get_role_display()}"
