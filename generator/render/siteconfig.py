"""Where the site's mkdocs.yml is, and the public base URL it declares."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import generator


def mkdocs_config() -> Path:
    """The mkdocs.yml beside the generator package (not in the data repository)."""
    return Path(generator.__file__).resolve().parent.parent / "mkdocs.yml"


@cache
def site_url(config_file: Path) -> str:
    """`site_url` of a mkdocs.yml, "" when unset or unreadable (mkdocs then reports the file)."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, encoding="utf-8") as stream:
            value = yaml_load(stream).get("site_url")
    except Exception:
        return ""
    return value if isinstance(value, str) else ""
