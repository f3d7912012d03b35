"""Accounts: people who sign in to the mall, identified by their e-mail address."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from mall.permissions import PERMISSION_CHOICES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """用户 (user): a member, a branch officer, a merchant's staff or an operator."""

    email = models.EmailField("电子邮箱", unique=True)
    first_name = models.CharField("名", max_length=150, blank=True)
    last_name = models.CharField("姓", max_length=150, blank=True)
    is_staff = models.BooleanField("运营人员", default=False)
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.last_name}{self.first_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email


class MallPermissions(models.Model):
    """Holds Saleor's permissions (mall.permissions.PermissionEnum); it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSION_CHOICES
        verbose_name = "商城权限"
