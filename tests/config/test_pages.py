def test_home_page_is_chinese_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert "静安区社会组织联合会" in response.content.decode()
