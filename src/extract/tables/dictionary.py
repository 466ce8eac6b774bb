"""The table specs → descriptions of the tables for people and for tools.

Input: the table specs of ``schemas``. Output: the README's data dictionary as
Markdown (``data_dictionary_markdown``: one ``###`` subsection per table, a
row per column) and ``datapackage.json`` as a dict (``datapackage``: a
Frictionless Tabular Data Package describing the CSV of each named table, its
columns' types and constraints, its primary key and foreign keys, with the
package's version and license).
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from extract import __version__
from extract.tables.schemas import TABLES, ColumnSpec, TableSpec

FRICTIONLESS: Mapping[str, str] = MappingProxyType({"string": "string", "float": "number", "Int": "integer",
                                                    "date": "date"})
# The license of the package (LICENSE); the source texts stay their publishers'.
LICENSES = ({"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"},)


def data_dictionary_markdown() -> str:
    """The README's data dictionary: one ``###`` subsection per table."""
    out = ["## Data dictionary", "",
           "Every table is written as `output/<table>.csv` and `output/<table>.parquet`; "
           "columns marked + are additions to the contract.", ""]
    for spec in TABLES.values():
        out += [f"### {spec.name}", "", spec.description, "",
                "Key: " + ", ".join(f"`{k}`" for k in spec.key) + ".", "",
                "| column | type | meaning |", "|---|---|---|"]
        for c in spec.columns:
            name = c.name if c.contract else f"{c.name} +"
            as_set = f" A set: the order of its `{c.set_separator}`-separated items is not compared." if c.set_separator else ""
            meaning = (c.description + ("" if c.nullable else " Never empty.") + as_set).replace("|", "\\|")
            out.append(f"| {name} | {c.type} | {meaning} |")
        out.append("")
    return "\n".join(out)


def _field(c: ColumnSpec) -> dict[str, Any]:
    field: dict[str, Any] = {"name": c.name, "type": FRICTIONLESS[c.type], "description": c.description}
    constraints = {k: v for k, v in (("required", True if not c.nullable else None),
                                      ("enum", list(c.allowed) or None), ("minimum", c.minimum),
                                      ("maximum", c.maximum), ("pattern", c.pattern)) if v is not None}
    return {**field, "constraints": constraints} if constraints else field


def datapackage(names: list[str]) -> dict[str, Any]:
    """A Frictionless Tabular Data Package describing the CSV of each named table."""
    unknown = sorted(set(names) - set(TABLES))
    if unknown:
        raise KeyError(f"not a table: {', '.join(unknown)}")
    resources = [{
        "name": spec.name, "path": f"{spec.name}.csv", "profile": "tabular-data-resource",
        "description": f"{spec.description} A typed copy is `{spec.name}.parquet`.",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": {"fields": [_field(c) for c in spec.columns], "primaryKey": list(spec.key), "missingValues": [""],
                   **_foreign_keys(spec, names)},
    } for spec in TABLES.values() if spec.name in names]
    return {"profile": "tabular-data-package", "name": "extract-output",
            "title": "Learning-city brochures as tables", "version": __version__, "licenses": list(LICENSES),
            "resources": resources}


def _foreign_keys(spec: TableSpec, names: list[str]) -> dict[str, Any]:
    """The table's foreign keys to tables of the package (none to a table left out)."""
    keys = [{"fields": list(fk.fields), "reference": {"resource": fk.table, "fields": list(fk.reference)}}
            for fk in spec.foreign_keys if fk.table in names]
    return {"foreignKeys": keys} if keys else {}
