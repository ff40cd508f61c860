"""Stage 1, content: read the YAML in facts/ strictly (load), turn it into typed models
and check every link between files (model, validate), with the generated JSON schema and
the clinic logo's checks."""
