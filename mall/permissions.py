"""Saleor's permissions (PermissionEnum) as Django permissions, and the checks services make.

Every permission lives on one table-less model (accounts.MallPermissions), so a group or a user
gets `accounts.manage_users` as in Django's admin, and the API names it MANAGE_USERS as Saleor does.
"""

import enum

PERMISSION_APP_LABEL = "accounts"


class PermissionEnum(enum.Enum):
    MANAGE_USERS = "Manage customers."
    MANAGE_STAFF = "Manage staff."
    IMPERSONATE_USER = "Impersonate user."
    MANAGE_APPS = "Manage apps"
    MANAGE_OBSERVABILITY = "Access to observability events"
    MANAGE_CHANNELS = "Manage channels."
    MANAGE_CHECKOUTS = "Manage checkouts"
    HANDLE_CHECKOUTS = "Handle checkouts"
    HANDLE_TAXES = "Handle taxes"
    MANAGE_TAXES = "Manage taxes"
    MANAGE_DISCOUNTS = "Manage sales and vouchers."
    MANAGE_GIFT_CARD = "Manage gift cards."
    MANAGE_MENUS = "Manage navigation."
    MANAGE_ORDERS = "Manage orders."
    MANAGE_ORDERS_IMPORT = "Manage orders import."
    MANAGE_PAGES = "Manage pages."
    MANAGE_PAGE_TYPES_AND_ATTRIBUTES = "Manage page types and attributes."
    HANDLE_PAYMENTS = "Handle payments"
    MANAGE_PLUGINS = "Manage plugins"
    MANAGE_PRODUCTS = "Manage products."
    MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES = "Manage product types and attributes."
    MANAGE_SHIPPING = "Manage shipping."
    MANAGE_SETTINGS = "Manage settings."
    MANAGE_TRANSLATIONS = "Manage translations."
    # Union Mall's own: issue welfare allowances (福利额度) to members.
    MANAGE_ALLOWANCES = "Manage welfare allowances."
    # Union Mall's own: the branch tree and who holds which role in it.
    MANAGE_BRANCHES = "Manage union branches and their staff."
    # Union Mall's own: partner regions, supplier admission, relief certification, targets, reconciliation.
    MANAGE_RELIEF = "Manage relief sourcing."
    # Union Mall's own: read every branch's relief reports (operators publishing statistics).
    VIEW_RELIEF_REPORTS = "View relief reports of every branch."

    @property
    def codename(self) -> str:
        return self.name.lower()

    @property
    def django_name(self) -> str:
        """The name Django's `user.has_perm` takes."""
        return f"{PERMISSION_APP_LABEL}.{self.codename}"


# For the model's Meta.permissions.
PERMISSION_CHOICES = [(permission.codename, permission.value) for permission in PermissionEnum]


def has_permissions(user, permissions) -> bool:
    """Whether `user` holds any one of `permissions` (Saleor's "one of" rule); superusers hold all."""
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    return any(user.has_perm(permission.django_name) for permission in permissions)


def user_permissions(user) -> list[PermissionEnum]:
    """Every permission `user` holds, directly or through groups, in PermissionEnum order."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return list(PermissionEnum)
    held = user.get_all_permissions()
    return [permission for permission in PermissionEnum if permission.django_name in held]


def require_permissions(user, *permissions) -> None:
    """Raise PermissionDenied unless `user` holds one of `permissions`. Services call this first."""
    from mall.errors import AuthenticationRequired, PermissionDenied

    if user is None or not user.is_authenticated:
        raise AuthenticationRequired()
    if not has_permissions(user, permissions):
        raise PermissionDenied(permissions)


def require_authenticated(user) -> None:
    from mall.errors import AuthenticationRequired

    if user is None or not user.is_authenticated or not user.is_active:
        raise AuthenticationRequired()
