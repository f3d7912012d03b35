"""The account e-mails' text, in Chinese, sent through Django's mail backend (console unless configured)."""

from django.conf import settings
from django.core.mail import send_mail


def _greeting(user) -> str:
    name = f"{user.last_name}{user.first_name}".strip()
    return f"{name}，您好：" if name else "您好："


def _send(user, subject: str, lines: list[str]) -> None:
    body = "\n\n".join([_greeting(user), *lines, f"—— {settings.MALL_NAME}"]) + "\n"
    send_mail(f"【{settings.MALL_NAME}】{subject}", body, None, [user.email])


def send_account_confirmation(user, link: str) -> None:
    _send(
        user,
        "请确认您的邮箱",
        [
            f"感谢注册{settings.MALL_NAME}。请打开下面的链接确认邮箱，确认后即可登录：",
            link,
            "如果这不是您本人的操作，请忽略本邮件，账户不会被启用。",
        ],
    )


def send_password_reset(user, link: str) -> None:
    _send(
        user,
        "重置密码",
        [
            "我们收到了重置您账户密码的申请。请打开下面的链接设置新密码：",
            link,
            "链接只能使用一次。如果您没有申请重置密码，请忽略本邮件，您的密码不会改变。",
        ],
    )


def send_password_changed(user) -> None:
    _send(
        user,
        "您的密码已修改",
        [
            "您账户的登录密码刚刚被修改，之前在其他设备上的 API 登录已失效。",
            "如果这不是您本人的操作，请立即通过“忘记密码”重置密码，并联系商城客服。",
        ],
    )
