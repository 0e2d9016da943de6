"""Lược đồ JSON (JSON Schema) of the output, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from .models import SCHEMA_VERSION, PlanDocument

SCHEMA_FILENAME = f"kehoach-plan-{SCHEMA_VERSION}.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`PlanDocument` (what the JSON output follows)."""
    schema = PlanDocument.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_FILENAME
    return schema


def schema_text() -> str:
    """The schema as committed in ``schemas/`` (stable formatting, trailing newline)."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
