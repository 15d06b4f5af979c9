"""Running SQL kept in .sql / .sql.j2 files beside the Python that uses it.

Templates only ever receive names and rules from the repository's own contracts;
anything that comes from a delivery (file names, values) is passed as a parameter.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2

_STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(folder: Path, template: str, **context: Any) -> str:
    return _environment(folder).get_template(template).render(**context)


def statements(sql: str) -> list[str]:
    """Split a script on statement-ending semicolons (a ';' at the end of a line)."""
    parts = (s.strip() for s in _STATEMENT_END.split(sql))
    return [
        p for p in parts if p and not all(line.strip().startswith("--") for line in p.splitlines())
    ]


def run_script(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, Any] | None = None
) -> None:
    """Run each statement, passing it the named parameters it mentions."""
    parameters = parameters or {}
    for statement in statements(sql):
        used = {
            name: parameters[name] for name in _PARAMETER.findall(statement) if name in parameters
        }
        connection.execute(statement, used or None)
