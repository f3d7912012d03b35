"""What the allowance services refuse, with the AllowanceErrorCode the API returns."""

from graphql_relay import to_global_id

from mall.errors import DomainError

# How many people an error message names before it says "等 N 人".
NAMED_IN_MESSAGE = 5


def _names(users) -> str:
    names = "、".join(user.email for user in users[:NAMED_IN_MESSAGE])
    return f"{names} 等 {len(users)} 人" if len(users) > NAMED_IN_MESSAGE else names


class AllowanceError(DomainError):
    pass


class InsufficientAllowance(AllowanceError):
    code = "INSUFFICIENT_ALLOWANCE"
    field = "allowance"

    def __init__(self):
        super().__init__("福利额度余额不足，请刷新后重试。")


class MembersRefused(AllowanceError):
    """Some chosen users may not receive the grant; `members` lists their global IDs (as Saleor's `variants`)."""

    field = "members"

    def __init__(self, message: str, users):
        self.users = list(users)
        super().__init__(message, members=[to_global_id("User", user.pk) for user in self.users])


class NotVerifiedMembers(MembersRefused):
    code = "NOT_VERIFIED_MEMBER"

    def __init__(self, users):
        super().__init__(f"福利额度只能发给已实名认证的会员，以下用户未认证：{_names(users)}。", users)


class YearlyLimitExceeded(MembersRefused):
    code = "YEARLY_LIMIT_EXCEEDED"
    field = "amount"

    def __init__(self, users, limit_text: str):
        super().__init__(f"超过{limit_text}：{_names(users)}。", users)
