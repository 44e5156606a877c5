"""The record contract: the JSON Schemas of schemas/, loaded once.

Validation (check/), the skeletons of `congkhai new`, the importer's report and the schemas of the
open-data exports all read the same files through this module.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from generator.model import Kind

# By record kind, plus "implementation": an agency's record of a procedure of the province's
# catalogue, which holds only the agency's local facts (check/catalogue.py decides which).
SchemaName = Kind | Literal["implementation"]
SCHEMA_FILES: dict[SchemaName, str] = {
    "procedure": "procedure.schema.json",
    "plan": "plan.schema.json",
    "agency": "agency.schema.json",
    "catalogue": "catalogue.schema.json",
    "implementation": "implementation.schema.json",
    "dossier_stats": "dossier_stats.schema.json",
    "dossier_report": "dossier_report.schema.json",
}
_PACKAGE = Path(__file__).resolve().parent
# A checkout keeps schemas/ beside the package; a wheel maps it to generator/schemas.
_SCHEMA_DIRS = (_PACKAGE.parent / "schemas", _PACKAGE / "schemas")


def schema_dir() -> Path:
    for candidate in _SCHEMA_DIRS:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("schemas/ not found beside the generator package")


@cache
def schema(kind: SchemaName) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((schema_dir() / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    return loaded


def deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its local $ref (if any) merged in; the node's own keys win."""
    if "$ref" not in node:
        return node
    return {**resolve(root, node["$ref"]), **{k: v for k, v in node.items() if k != "$ref"}}


def resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    """The subschema a local reference ("#/$defs/date") points to."""
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    if not isinstance(target, dict):
        raise ValueError(f"{ref} is not a schema")
    return target
