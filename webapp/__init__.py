"""The transcript player's web application: `create_app(config=None) -> Flask`.

The package's face for the outside (tests, benchmarks, a WSGI server): `create_app` and
`PROJECT_ROOT`, from `webapp.app`. Inside the package no module imports this one; each
imports the module that defines what it needs (docs/architecture.md, "webapp's layers").
"""

from webapp.app import PROJECT_ROOT, create_app, data_dir_default

__all__ = ["PROJECT_ROOT", "create_app", "data_dir_default"]
