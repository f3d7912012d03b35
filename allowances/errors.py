from mall.errors import DomainError


class AllowanceError(DomainError):
    pass


class InsufficientAllowance(AllowanceError):
    code = "INSUFFICIENT_ALLOWANCE"
    field = "allowance"

    def __init__(self):
        super().__init__("福利额度余额不足，请刷新后重试。")
