"""mkdocs-material, the publish stage's site builder: its settings as a value, and the build.

`MkdocsSettings` names the mkdocs.yml (theme, hooks, navigation) and the public address it
declares; the caller makes it once and passes it in, so nothing below reads mkdocs.yml again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SITE_URL = "https://congkhai.khanhhoa.gov.vn/"  # when mkdocs.yml has no usable site_url


def default_config() -> Path:
    """The mkdocs.yml beside the generator package (not in the data repository)."""
    return Path(__file__).resolve().parents[2] / "mkdocs.yml"


def site_url_or_default(value: Any) -> str:
    """An absolute http(s) base URL ending with "/"; DEFAULT_SITE_URL when `value` is not one."""
    if isinstance(value, str):
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            return value.strip().rstrip("/") + "/"
    return DEFAULT_SITE_URL


def _declared_site_url(config_file: Path) -> Any:
    """`site_url` of a mkdocs.yml; None when unset or unreadable (mkdocs then reports the file)."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, encoding="utf-8") as stream:
            return yaml_load(stream).get("site_url")
    except Exception:
        return None


@dataclass(frozen=True, slots=True)
class MkdocsSettings:
    config_file: Path  # mkdocs.yml
    site_url: str  # the public address: absolute, ends with "/" (linked data, QR codes, sitemap)

    @classmethod
    def read(cls, config_file: Path | None = None) -> MkdocsSettings:
        """The settings of `config_file` (default: the mkdocs.yml beside the package)."""
        config_file = config_file or default_config()
        return cls(config_file, site_url_or_default(_declared_site_url(config_file)))


@contextmanager
def _quiet() -> Iterator[None]:
    """Only warnings and errors from mkdocs and its plugins."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def build(settings: MkdocsSettings, docs: Path, site: Path, site_name: str) -> None:
    """Build the docs tree `docs` into `site` with mkdocs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    with _quiet():
        cfg = load_config(config_file=str(settings.config_file), docs_dir=str(docs), site_dir=str(site),
                          site_name=site_name)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
