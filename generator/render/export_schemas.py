"""JSON Schemas of the open-data exports, published beside the files they describe.

A record's schema is the repository's own record schema (schemas/*.schema.json: the data
contract, with its Vietnamese titles and legal references) plus the three fields every exported
record carries; a collection's schema embeds it. Built in code so they never drift apart.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.contract import schema as record_contract
from generator.model import Kind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_VERSION = "1.0"
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
META_FIELDS: dict[str, dict[str, Any]] = {
    "page_url": {"title": "Trang của hồ sơ trên cổng", **_URL},
    "json_url": {"title": "Tệp JSON của riêng hồ sơ", **_URL},
    "source_path": {"title": "Tệp YAML gốc trong kho dữ liệu", "type": "string", "minLength": 1},
}


_TEXT = {"type": "string"}
# A place of a catalogue procedure (exports._place): the agency performing it and its counter.
PLACE: dict[str, Any] = {
    "type": "object",
    "title": "Nơi thực hiện",
    "additionalProperties": False,
    "required": ["agency", "agency_name", "location", "page_url"],
    "properties": {
        "agency": {"title": "Mã cơ quan thực hiện", "type": "string", "minLength": 1},
        "agency_name": {"title": "Tên cơ quan thực hiện", **_TEXT},
        "location": {"title": "Nơi tiếp nhận hồ sơ và trả kết quả", **_TEXT},
        "hours": {"title": "Giờ tiếp nhận hồ sơ", **_TEXT},
        "processing_time": {"title": "Thời hạn giải quyết rút ngắn tại nơi này, theo hình thức nộp",
                            "type": "object"},
        "online_url": {"title": "Địa chỉ nộp hồ sơ trực tuyến của nơi này", **_URL},
        "notes": {"title": "Ghi chú của nơi thực hiện", **_TEXT},
        "page_url": {"title": "Nơi thực hiện trên trang thủ tục", **_URL},
    },
}


def record_schema(kind: Kind, schema_id: str) -> dict[str, Any]:
    """One exported record: the record contract plus `page_url`, `json_url` and `source_path`;
    a catalogue procedure also its `places`."""
    out = copy.deepcopy(record_contract(kind))
    out["$id"] = schema_id
    out["properties"].update(copy.deepcopy(META_FIELDS))
    out["required"] = [*out["required"], *META_FIELDS]
    if kind == "catalogue":
        out["properties"]["places"] = {"title": "Nơi thực hiện", "type": "array",
                                       "items": copy.deepcopy(PLACE)}
        out["required"].append("places")
    return out


def collection_schema(name: str, title: str, schema_id: str, record: dict[str, Any]) -> dict[str, Any]:
    """A file with every record of one type; the record schema is embedded as a resource."""
    return {
        "$schema": DRAFT,
        "$id": schema_id,
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "build_date", "type", "count", "records"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "build_date": _DATE,
            "type": {"const": name},
            "count": {"type": "integer", "minimum": 0},
            "records": {"type": "array", "items": {"$ref": "#/$defs/record"}},
        },
        "$defs": {"record": {key: value for key, value in record.items() if key != "$schema"}},
    }


COUNTED = ("catalogue", "procedures", "plans_and_policies", "agencies")  # api/index.json counts


def index_schema(schema_id: str) -> dict[str, Any]:
    """api/index.json: counts, schema version, build date and every downloadable file."""
    file_entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path", "url", "title", "format", "media_type", "bytes"],
        "properties": {
            "path": {"type": "string", "pattern": "^[a-z0-9_./-]+$"},
            "url": _URL,
            "title": {"type": "string", "minLength": 1},
            "format": {"enum": ["JSON", "CSV", "JSON-LD", "Atom"]},
            "media_type": {"type": "string", "minLength": 1},
            "bytes": {"type": "integer", "minimum": 0},
            "records": {"type": "integer", "minimum": 0},
            "schema": {"type": "string"},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": schema_id,
        "title": "Danh mục dữ liệu mở",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "schema_version",
            "build_date",
            "data_date",
            "site_name",
            "site_url",
            "licence",
            "counts",
            "files",
            "record_files",
            "feeds",
        ],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "build_date": _DATE,
            "data_date": _DATE,
            "site_name": {"type": "string"},
            "site_url": _URL,
            "licence": {
                "type": "object",
                "required": ["name", "url", "statement"],
                "properties": {"name": {"type": "string"}, "url": _URL, "statement": {"type": "string"}},
            },
            "counts": {
                "type": "object",
                "additionalProperties": False,
                "required": list(COUNTED),
                "properties": {key: {"type": "integer", "minimum": 0} for key in COUNTED},
            },
            "files": {"type": "array", "items": file_entry},
            "record_files": {
                "type": "object",
                "description": "Mẫu đường dẫn tệp JSON của từng hồ sơ, theo loại",
                "additionalProperties": {"type": "string"},
            },
            "feeds": {
                "type": "object",
                "description": "Đường dẫn tệp Atom: khóa rỗng là toàn cổng, còn lại là mã cơ quan",
                "additionalProperties": {"type": "string"},
            },
        },
    }


def cpsv_schema(schema_id: str) -> dict[str, Any]:
    """The shape of api/cpsv-ap.jsonld (its meaning is in the JSON-LD context it carries)."""
    text = {"type": "string", "minLength": 1}
    node_ref = {"oneOf": [text, {"type": "object"}]}
    service = {
        "type": "object",
        "required": [
            "@id",
            "@type",
            "identifier",
            "name",
            "description",
            "hasCompetentAuthority",
            "hasInput",
            "produces",
            "hasCost",
            "hasLegalResource",
            "hasChannel",
        ],
        "properties": {
            "@id": _URL,
            "@type": {"const": "PublicService"},
            "identifier": text,
            "name": text,
            "description": text,
            "hasCompetentAuthority": node_ref,
            "hasInput": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["@type", "name"],
                    "properties": {"@type": {"const": "Evidence"}},
                },
            },
            "produces": {
                "type": "array",
                "items": {"type": "object", "properties": {"@type": {"const": "Output"}}},
            },
            "hasCost": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["@type", "hasValue", "currency"],
                    "properties": {"@type": {"const": "Cost"}, "hasValue": {"type": "number", "minimum": 0}},
                },
            },
            "processingTime": {"type": "string", "pattern": r"^P(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?)?$"},
            "hasLegalResource": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"@type": {"const": "LegalResource"}},
                },
            },
            "hasChannel": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["@id", "@type"],
                    "properties": {"@type": {"const": "Channel"}},
                },
            },
            "contactPoint": text,
        },
    }
    other = {
        "type": "object",
        "required": ["@id", "@type"],
        "properties": {"@type": {"enum": ["PublicOrganisation", "ContactPoint"]}},
    }
    return {
        "$schema": DRAFT,
        "$id": schema_id,
        "title": "Thủ tục hành chính theo CPSV-AP 3.2 (JSON-LD)",
        "type": "object",
        "required": ["@context", "@graph"],
        "properties": {
            "@context": {"type": "object"},
            "@graph": {
                "type": "array",
                "items": {
                    "if": {"properties": {"@type": {"const": "PublicService"}}},
                    "then": service,
                    "else": other,
                },
            },
        },
    }
