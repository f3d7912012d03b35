"""The demo's pages (关于我们, 帮扶政策, 会员认证说明, 配送说明) and the `navbar` and `footer` menus.

Written through content.services; a page or menu that already exists (by slug) is kept as it is,
so operators' edits survive another run of seed_demo.
"""

from django.db import transaction

from catalog.models import Category, Collection
from catalog.slugs import slug_from_name
from content import services
from content.editorjs import editorjs_from_text
from content.models import Menu, Page, PageType
from demo import catalogue

PAGE_TYPE = ("说明页", "information")

ABOUT = """\
工会商城是市总工会为全市职工会员建设的线上服务平台，围绕“会员普惠”和“消费帮扶”两件事：让会员以更实惠的价格买到放心的商品，让对口帮扶地区的农产品卖得出、卖得好。

## 我们提供什么
- 会员特惠：通过实名认证的工会会员，购买带有“会员价”标识的商品时按会员价结算。
- 帮扶专区：来自东西部协作、对口支援和省内帮扶地区的农产品，由经认定的帮扶供应商直接供货。
- 节日礼包与单位采购：基层工会可以为节日慰问、生日福利批量采购礼盒和帮扶礼包，做到票货一致、可追溯。

## 商品从哪里来
普通商品由签约的会员商品商户供货；帮扶产品由对口地区登记注册、经当地推荐并经平台审核的企业、农民合作社和家庭农场供货。每一件帮扶产品都标明产地县区和供应商，购买前即可查看。

## 我们的承诺
价格真实透明，售价和会员价同时标明；不发放现金、购物卡或不记名券，会员收到的一定是写明品名的实物商品；对质量问题商品及时下架并处理售后。

## 联系我们
在使用中遇到问题，可以联系所在基层工会，或在工作日通过市总工会职工服务中心咨询。"""

RELIEF_POLICY = """\
消费帮扶是通过购买对口帮扶地区的产品和服务，帮助当地群众稳定增收的一种帮扶方式。工会商城的帮扶专区只销售经过认定的帮扶产品。

## 哪些地区是帮扶地区
本市按照东西部协作、对口支援和省内帮扶的安排，与多个地区结对。帮扶地区以国家行政区划代码（省、市、县六位代码）确定，商品页面标明产品所属的省、市和县区。

## 供应商如何入驻
- 在结对地区依法登记注册的企业、农民合作社或家庭农场，以统一社会信用代码识别。
- 说明带动当地农户增收的方式（联农带农），由所在县推荐。
- 经平台审核通过后上架；平台持续监测价格、质量和评价，对出现问题的供应商暂停销售。

## 帮扶产品认定
帮扶产品需有认定证书编号、认定机构、有效期和产地县区。认定名单每年复核，出现质量问题的产品会被下架。只有购买时处于认定有效期内的产品，才计入消费帮扶统计。

## 购买如何计入帮扶统计
1. 基层工会为节日慰问、生日福利等采购的帮扶产品，计入该工会的采购额，并逐级汇总到上级工会。
2. 会员个人购买的帮扶产品，单独统计，计入会员所在的基层工会。
3. 统计只公布汇总数据，不公开任何个人的购买记录。

## 工会采购的比例要求
多地要求工会节日慰问品中帮扶产品的采购比例不低于30%，部分地区要求更高；预算单位食堂食材采购也有预留份额的要求。具体比例以本市和上级工会当年的文件为准，平台会在采购时提示。"""

MEMBER_VERIFICATION = """\
会员价是工会商城为本市工会会员提供的专属价格。商品页面上同时显示“售价”和“会员价”：未认证时按售价结算，完成实名认证后，结算时自动按会员价计算。

## 谁可以享受会员价
加入本市工会、在基层工会会员名册中登记的职工会员，注册商城账号并通过实名认证后即可享受。非会员和未完成认证的账号可以正常购物，按售价结算。

## 如何完成实名认证
1. 注册并登录商城账号（可以使用电子邮箱或手机号码）。
2. 进入“我的”，打开“会员认证”，填写真实姓名、18位居民身份证号码，并选择所在的基层工会。
3. 提交后状态显示为“审核中”，由工会工作人员与会员名册核对。
4. 审核通过后状态变为“已认证”，会员价立即生效；如未通过，页面会显示原因，修改后可以重新提交。

## 个人信息如何保护
身份证号码只用于核对会员身份。系统校验号码格式和校验位，
只保存加密后的摘要和遮盖后的号码（例如 4403**********1234），任何页面都不会显示完整号码，也不会写入日志。

## 常见问题
- 调动工作、会籍转移到其他基层工会后，请在“会员认证”中更新所在工会并重新提交审核。
- 会员价只对本人账号有效，请勿出借账号。
- 会员价与售价的差额由合作商户让利，不发放现金或购物卡。"""

DELIVERY = """\
商城商品由工会商城中心仓和消费帮扶集配仓统一发货，部分商品由供应商从产地直发。商品页面会显示当前是否有货；库存紧张的商品会特别提示。

## 发货时间
- 现货商品一般在付款后48小时内发货，节假日前后可能顺延。
- 预售商品在商品页面标明的开售时间之后按下单顺序发货。
- 生鲜果蔬、肉禽蛋品等需冷链的商品，从产地或集配仓以冷链方式发出，尽量缩短在途时间。

## 配送范围
目前支持中国大陆地区的收货地址。填写收货地址时请准确选择省、市、区县，并填写收件人姓名和手机号码，便于快递员联系。

## 签收与验货
收货时请当面检查外包装。生鲜商品如有破损、变质，请在签收后24小时内拍照并联系客服处理；其他商品如有质量问题，可按售后规则申请退换。

## 单位批量采购
基层工会批量采购节日礼包、慰问品时，可以按工会提供的名单分别配送到会员，也可以集中配送到单位。付款可使用对公转账，平台开具增值税发票，货物与发票品名一致，方便验货验票、登记出入库。"""

PAGES = (
    ("关于我们", "about", ABOUT, "工会商城：面向全市职工会员的会员普惠与消费帮扶平台。"),
    ("帮扶政策", "relief-policy", RELIEF_POLICY, "帮扶地区、供应商入驻、帮扶产品认定和帮扶统计的规则。"),
    ("会员认证说明", "member-verification", MEMBER_VERIFICATION, "会员价是什么、谁能享受，以及如何完成会员实名认证。"),
    ("配送说明", "delivery", DELIVERY, "发货时间、配送范围、签收验货和单位批量采购的配送方式。"),
)
RELIEF_COLLECTION = "relief-zone"
VERIFICATION_PAGE = "member-verification"


@transaction.atomic
def seed_content() -> dict:
    """Create the demo pages and menus that do not exist yet; return how many of each exist."""
    page_type = PageType.objects.filter(slug=PAGE_TYPE[1]).first() or services.create_page_type(
        requestor=None, name=PAGE_TYPE[0], slug=PAGE_TYPE[1]
    )
    pages = {page.slug: page for page in Page.objects.filter(slug__in=[slug for _, slug, _, _ in PAGES])}
    for title, slug, text, summary in PAGES:
        if slug not in pages:
            pages[slug] = services.create_page(
                requestor=None,
                page_type=page_type,
                title=title,
                slug=slug,
                content=editorjs_from_text(text),
                seo_title=f"{title} · 工会商城",
                seo_description=summary,
                is_published=True,
            )
    if not Menu.objects.filter(slug="navbar").exists():
        services.create_menu(requestor=None, name="导航栏", slug="navbar", items=_navbar_items(pages))
    if not Menu.objects.filter(slug="footer").exists():
        footer = [{"name": title, "page": pages[slug]} for title, slug, _, _ in PAGES]
        services.create_menu(requestor=None, name="页脚", slug="footer", items=footer)
    return {"pages": Page.objects.count(), "menus": Menu.objects.filter(slug__in=["navbar", "footer"]).count()}


def _navbar_items(pages: dict[str, Page]) -> list[dict]:
    categories = Category.objects.filter(slug__in=[slug_from_name(root.name) for root in catalogue.CATEGORIES])
    items = [{"name": category.name, "category": category} for category in categories.order_by("sort_order", "pk")]
    relief = Collection.objects.filter(slug=RELIEF_COLLECTION).first()
    if relief:
        items.append({"name": relief.name, "collection": relief})
    items.append({"name": pages[VERIFICATION_PAGE].title, "page": pages[VERIFICATION_PAGE]})
    return items
