"""Union branches (工会组织). For now a flat list of grassroots unions members belong to;
the relief-sourcing work grows this model into the four-level tree in place."""

from django.db import models


class UnionBranch(models.Model):
    """工会组织 (union branch): a union members belong to, identified by its code."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"

    def __str__(self):
        return self.name
