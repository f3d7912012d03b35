import uuid
from pathlib import Path

import pytest
from django.urls import resolve

from tests.storefront.html import texts

ICO_HEADER = b"\x00\x00\x01\x00"


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_an_unknown_address_shows_the_malls_chinese_404_page_even_with_debug_on(client, channel, debug_on):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
    assert "URLconf" not in response.content.decode()  # not Django's list of every route


def test_an_unknown_address_shows_the_malls_404_page_with_debug_off(client, channel):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]


def test_a_404_from_a_view_keeps_its_own_message_with_debug_on(client, channel, debug_on):
    response = client.get("/products/nothing/")
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
    assert "该商品不存在或已下架。" in response.content.decode()


def test_an_address_without_its_slash_is_still_redirected_to_the_page_with_debug_on(client, channel, debug_on):
    response = client.get("/search")
    assert (response.status_code, response["Location"]) == (301, "/search/")


def test_static_files_are_still_served_with_debug_on(client, debug_on):
    response = client.get("/static/storefront/favicon.svg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_media_files_are_still_served_and_a_missing_one_gets_the_malls_404_page(client, channel, debug_on):
    media_root = Path(resolve("/media/any").kwargs["document_root"])
    media_root.mkdir(parents=True, exist_ok=True)
    stored = media_root / f"test-{uuid.uuid4().hex}.txt"
    stored.write_text("稻谷")
    try:
        response = client.get(f"/media/{stored.name}")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode() == "稻谷"
    finally:
        stored.unlink()
    missing = client.get(f"/media/{stored.name}")
    assert missing.status_code == 404
    assert texts(missing, "empty__title") == ["页面不存在"]


def test_favicon_ico_leads_to_the_icon_among_the_static_files(client, debug_on):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/storefront/favicon.ico")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content).startswith(ICO_HEADER)


@pytest.mark.parametrize("address", ["/%00/", "/caf%01e", "/static/missing%00.css", "/media/a%00b.png", "/%E2%80%AE/"])
def test_control_characters_in_an_address_get_the_malls_404_page_with_debug_on(client, channel, debug_on, address):
    response = client.get(address)
    assert response.status_code == 404
    assert texts(response, "empty__title") == ["页面不存在"]
