"""python manage.py reconcile_relief --date YYYY-MM-DD: reconcile one day of the relief ledger."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relief_sourcing.reconciliation import reconcile_day


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"日期格式不正确：{value!r}，应为 YYYY-MM-DD，如 2025-09-30。") from error


class Command(BaseCommand):
    help = "对账：按订单重新计算某日的消费帮扶金额，与台账逐行核对（默认昨天）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="YYYY-MM-DD，默认昨天")

    def handle(self, *args, day=None, **options):
        day = _day(day) if day else timezone.localdate() - timedelta(days=1)
        mismatch = reconcile_day(day)
        if mismatch is None:
            self.stdout.write(self.style.SUCCESS(f"{day} 对账一致。"))
            return
        self.stdout.write(
            self.style.ERROR(
                f"{day} 对账不一致：按订单应计 ¥{mismatch.expected_amount}，台账 ¥{mismatch.ledger_amount}"
                f"（差异记录 #{mismatch.pk}）"
            )
        )
        for line in mismatch.details["lines"]:
            self.stdout.write(
                f"  订单 {line['order_number']} {line['product']} {line['event']} {line['event_key']}："
                f"应计 ¥{line['expected_amount']} × {line['expected_quantity']}，"
                f"台账 ¥{line['ledger_amount']} × {line['ledger_quantity']}（{line['problem']}）"
            )
