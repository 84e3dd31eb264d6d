"""The committed OpenAPI document is the code's, and the docs page is served."""

import pytest
import yaml
from django.core.management import call_command

from tests.live import PROJECT

COMMITTED = PROJECT / "docs" / "openapi.yaml"


def test_the_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("generate_swagger", str(generated), format="yaml", overwrite=True)

    assert generated.read_text() == COMMITTED.read_text(), "docs/openapi.yaml is out of date: run make docs"


def test_the_schema_describes_both_endpoints_and_every_answer():
    document = yaml.safe_load(COMMITTED.read_text())

    assert document["basePath"] == "/tahoe/api"
    assert document["securityDefinitions"]["Token"] == {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "A site's API key: `Token <key>` (or `Bearer <key>`).",
    }
    v1, v2 = document["paths"]["/v1/registrations/"]["post"], document["paths"]["/v2/registrations/"]["post"]
    common = {"200", "400", "401", "403", "405", "409", "413", "415", "422", "429", "503"}
    assert set(v1["responses"]) == common | {"410"}
    assert set(v2["responses"]) == common
    assert v1["responses"]["200"]["schema"]["required"] == ["user_id", "user_id "]
    assert v2["responses"]["200"]["schema"]["required"] == ["user_id"]
    assert [parameter["name"] for parameter in v2["parameters"]] == ["data", "Idempotency-Key"]
    assert set(document["definitions"]["Registration"]["properties"]) == {
        "username", "email", "name", "password", "send_activation_email",
    }


@pytest.mark.parametrize("path, content", [
    ("/tahoe/api/api-docs/", b"swagger-ui"),
    ("/tahoe/api/swagger.yaml", b"/v2/registrations/"),
])
@pytest.mark.django_db
def test_the_docs_are_served(client, path, content):
    response = client.get(path)

    assert response.status_code == 200
    assert content in response.content
