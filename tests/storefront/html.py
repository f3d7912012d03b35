"""Read what a person sees on a page: the text of elements by CSS class, and attributes."""

from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Text in separate blocks reads as separate words: "库存 有货", not "库存有货".
BLOCK_ELEMENTS = {"dd", "div", "dt", "h1", "h2", "h3", "h4", "li", "option", "p", "td", "th", "tr"}


class _ByClass(HTMLParser):
    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.texts: list[str] = []
        self.attributes: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        matches = self.css_class in (attributes.get("class") or "").split()
        if matches:
            self.attributes.append(attributes)
        if tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
            if tag in BLOCK_ELEMENTS:
                self.texts[-1] += " "
        elif matches:
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and self.depth:
            self.depth -= 1
            if tag in BLOCK_ELEMENTS:
                self.texts[-1] += " "

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def _parse(response, css_class: str) -> _ByClass:
    parser = _ByClass(css_class)
    parser.feed(response.content.decode())
    return parser


def texts(response, css_class: str) -> list[str]:
    """The text inside each element with `css_class`, whitespace collapsed, in page order."""
    return [" ".join(text.split()) for text in _parse(response, css_class).texts]


def attributes(response, css_class: str) -> list[dict]:
    """The attributes of each element with `css_class`, in page order."""
    return _parse(response, css_class).attributes


def product_names(response) -> list[str]:
    """The names on the product cards of a page, in order."""
    return texts(response, "card__title")
