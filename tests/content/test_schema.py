"""The JSON Schemas in facts/schema/ match the model, and every YAML file points at one."""

from conftest import REAL_FACTS

from factsheet.content.schema import schema_files


def test_committed_schemas_are_fresh():
    for path, text in schema_files(REAL_FACTS).items():
        assert path.exists(), f"{path} is missing: run 'python build.py schema'"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run 'python build.py schema' and commit the result")


def test_every_content_file_points_at_its_schema():
    expected = {"clinic.yaml": "schema/clinic.schema.json",
                "jurisdictions.yaml": "schema/jurisdictions.schema.json",
                "sources.yaml": "schema/sources.schema.json",
                "wording.yaml": "schema/wording.schema.json"}
    for name, schema in expected.items():
        first = (REAL_FACTS / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={schema}"
    for folder, schema in (("topics", "facts"), ("handouts", "handout")):
        for path in (REAL_FACTS / folder).glob("*.yaml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path


def test_schema_rejects_unknown_keys_and_knows_the_evidence_levels():
    import json

    facts = json.loads(schema_files(REAL_FACTS)[REAL_FACTS / "schema" / "facts.schema.json"])
    fact = facts["$defs"]["Fact"]
    assert fact["additionalProperties"] is False
    assert facts["$defs"]["Evidence"]["enum"] == [
        "high", "moderate", "low", "very-low", "regulator", "law", "background"]
