"""messages-sandbox: a local server that emulates Anthropic's Messages API from YAML fixtures."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Read from the installed distribution on first use: the one version source, and no
    # metadata lookup when the package is merely imported.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("messages-sandbox")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(name)
