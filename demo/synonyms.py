"""The demo's synonym list (operators edit it in the admin under 搜索 › 同义词)."""

from search.models import Synonym

EQUIVALENT = (
    ("土豆", "马铃薯", "洋芋"),
    ("番茄", "西红柿"),
    ("猕猴桃", "奇异果"),
    ("电饭煲", "电饭锅"),
    ("电吹风", "吹风机"),
    ("洗洁精", "洗涤灵"),
    ("核桃", "胡桃"),
    ("辣椒", "海椒", "辣子"),
)
EXPANSION = (
    ("橙子", ("脐橙",)),
    ("柑橘", ("脐橙", "椪柑", "蜜桔")),
    ("米", ("大米", "香米", "糯米", "香禾糯")),
    ("茶", ("茶叶", "红茶", "绿茶", "毛尖", "玉露")),
    ("番茄", ("圣女果",)),
    ("西红柿", ("圣女果",)),
    ("纸巾", ("抽纸", "卷纸", "手帕纸", "湿巾")),
    ("酱油", ("生抽",)),
    ("腊味", ("腊肉", "火腿")),
    # English words members type for what the catalogue names in Chinese.
    ("rice", ("大米", "香米", "糯米")),
    ("tea", ("茶叶", "红茶", "绿茶")),
    ("honey", ("蜂蜜",)),
    ("coffee", ("咖啡",)),
)


def seed_synonyms() -> int:
    """Create the demo synonyms that are missing; returns how many were created."""
    created = 0
    for words in EQUIVALENT:
        if not Synonym.objects.filter(kind=Synonym.Kind.EQUIVALENT, words=list(words)).exists():
            Synonym.objects.create(kind=Synonym.Kind.EQUIVALENT, words=list(words))
            created += 1
    for term, words in EXPANSION:
        if not Synonym.objects.filter(kind=Synonym.Kind.EXPANSION, term=term).exists():
            Synonym.objects.create(kind=Synonym.Kind.EXPANSION, term=term, words=list(words))
            created += 1
    return created
