"""/search/suggest/: the JSON the header box's script reads, completions of what is typed or 热搜 when nothing is."""

import pytest


def suggest(client, typed):
    response = client.get("/search/suggest/", {"q": typed})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_a_product_suggestion_links_to_its_page(client, shelf, search_tables):
    response, answer = suggest(client, "赣南")

    assert answer["q"] == "赣南"
    assert {"text": "赣南脐橙5斤装", "kind": "product", "url": "/products/gannan-qicheng-5/"} in answer["suggestions"]
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "赣南".encode() in response.content  # readable Chinese, not \\u escapes


def test_pinyin_and_initials_reach_the_chinese_term(client, shelf, search_tables):
    for typed in ("qich", "qc"):
        _response, answer = suggest(client, typed)
        assert {"text": "脐橙", "kind": "term", "url": "/search/?q=%E8%84%90%E6%A9%99"} in answer["suggestions"], typed


def test_a_category_suggestion_links_to_the_category(client, shelf, search_tables):
    _response, answer = suggest(client, "shuig")
    assert {"text": "水果", "kind": "category", "url": "/categories/fruit/"} in answer["suggestions"]


def test_an_empty_box_gets_the_hot_searches(client, shelf, search_tables):
    _response, answer = suggest(client, "")
    assert answer["suggestions"] == []
    assert answer["hot"][:2] == ["脐橙", "普洱茶"]
    assert "榴莲" not in answer["hot"]


@pytest.mark.parametrize(
    "typed", ["橙" * 10_000, "\x00\x1f", "' OR 1=1 --", 'a:(b OR "c")~2 ^ \\ * ?', "%_", "😀", "\u202e"]
)
def test_odd_input_gives_an_answer_not_an_error(client, shelf, search_tables, typed):
    _response, answer = suggest(client, typed)
    assert len(answer["q"]) <= 32
    assert isinstance(answer["suggestions"], list)


def test_odd_bytes_and_a_post_are_handled(client, shelf):
    assert client.get("/search/suggest/?q=%FF%FE").status_code == 200
    assert client.post("/search/suggest/", {"q": "橙"}).status_code == 405


def test_without_a_channel_there_is_nothing_to_suggest(client, db):
    _response, answer = suggest(client, "橙")
    assert answer["suggestions"] == []
