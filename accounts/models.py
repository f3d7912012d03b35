"""Accounts: people who sign in to the mall, identified by their e-mail address."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string

from mall.permissions import PERMISSION_CHOICES


def new_jwt_token_key() -> str:
    return get_random_string(12)


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


class Address(models.Model):
    """收货地址 (address): a recipient and where they receive goods, in Saleor's shape.

    For a Chinese address `country_area` is the province, `city` the city, `city_area` the
    district or county, and the recipient's full name is last_name + first_name.
    """

    first_name = models.CharField("名", max_length=256, blank=True)
    last_name = models.CharField("姓", max_length=256, blank=True)
    company_name = models.CharField("单位", max_length=256, blank=True)
    street_address_1 = models.CharField("详细地址", max_length=256, blank=True)
    street_address_2 = models.CharField("详细地址 2", max_length=256, blank=True)
    city = models.CharField("城市", max_length=256, blank=True)
    city_area = models.CharField("区县", max_length=128, blank=True)
    postal_code = models.CharField("邮政编码", max_length=20, blank=True)
    country = models.CharField("国家", max_length=2, default="CN")
    country_area = models.CharField("省份", max_length=128, blank=True)
    phone = models.CharField("手机号", max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "地址"
        verbose_name_plural = "地址"

    def __str__(self):
        parts = [self.country_area, self.city, self.city_area, self.street_address_1, self.street_address_2]
        return f"{self.last_name}{self.first_name} {''.join(parts)}".strip()


class User(AbstractBaseUser, PermissionsMixin):
    """用户 (user): a member, a branch officer, a merchant's staff or an operator."""

    email = models.EmailField("电子邮箱", unique=True)
    # A mainland mobile number in E.164 (+8613800138000); members may sign in with it.
    phone = models.CharField("手机号", max_length=32, unique=True, null=True, blank=True)
    first_name = models.CharField("名", max_length=150, blank=True)
    last_name = models.CharField("姓", max_length=150, blank=True)
    is_staff = models.BooleanField("运营人员", default=False)
    is_active = models.BooleanField("启用", default=True)
    is_confirmed = models.BooleanField("邮箱已确认", default=True)
    # Changing it invalidates every JWT issued before (tokensDeactivateAll, password change).
    jwt_token_key = models.CharField(max_length=12, default=new_jwt_token_key, editable=False)
    addresses = models.ManyToManyField(Address, blank=True, related_name="user_addresses")
    default_shipping_address = models.ForeignKey(
        Address, related_name="+", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="默认收货地址"
    )
    default_billing_address = models.ForeignKey(
        Address, related_name="+", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="默认账单地址"
    )
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
