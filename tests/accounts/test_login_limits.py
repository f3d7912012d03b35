import pytest

OPERATOR = "operator@example.com"
PASSWORD = "pass-1234-word"


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user(OPERATOR, PASSWORD, is_staff=True, is_superuser=True)


def log_in(client, password, email=OPERATOR):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password})


def test_an_operator_logs_in_to_the_back_office(client, operator):
    response = log_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(client, operator, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        assert log_in(client, "wrong-password").status_code == 200

    response = log_in(client, PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多，请 15 分钟后再试。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_limit_also_holds_for_direct_authentication(rf, operator, settings):
    from django.contrib.auth import authenticate

    settings.LOGIN_FAILURE_LIMIT = 2
    request = rf.post("/", REMOTE_ADDR="10.1.2.3")
    assert authenticate(request, username=OPERATOR, password="nope") is None
    assert authenticate(request, username=OPERATOR, password="nope") is None
    assert authenticate(request, username=OPERATOR, password=PASSWORD) is None
