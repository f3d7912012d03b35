"""`manage.py seed_demo`: the 工会商城 demo catalogue and accounts, safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.plans import curated_plans
from demo.seeding import seed


class Command(BaseCommand):
    help = (
        "Fill the database with the 工会商城 demo: channel, categories, merchants and relief suppliers, "
        "products with images, collections and a demo operator. Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help=f"Generate products until there are N demo products in all (the hand-written catalogue has "
            f"{len(curated_plans())}); for benchmarks, e.g. 10000.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (the database looks like production)."
        )

    def handle(self, *args, products: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production database: seed_demo would add demo products and a "
                "superuser with a published password. Pass --force if that is really what you want."
            )
        if products < 0:
            raise CommandError("--products must be zero or more.")
        summary = seed(products=products, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(_report(summary)))


def _report(s: dict) -> str:
    return "\n".join(
        [
            f"演示数据就绪（{s['seconds']} 秒，新建 {s['created']} 件手工商品、{s['generated']} 件生成商品）",
            f"  渠道      {s['channel']}",
            f"  商品      {s['products']} 件，规格 {s['variants']} 个；未发布 {s['unpublished']}，预售 {s['presale']}，"
            f"缺货 {s['sold_out_products']}，库存紧张的规格 {s['low_stock_variants']}",
            f"  分类      {s['categories']} 个；商户 {s['merchants']} 家（帮扶供应商 {s['relief_suppliers']} 家）；"
            f"仓库 {s['warehouses']} 个；专区 {s['collections']} 个；图片 {s['images']} 张",
            f"  运营账号  {s['operator']} / {s['password']}",
        ]
    )
