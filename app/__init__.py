"""messages-sandbox: a local server that emulates Anthropic's Messages API from YAML fixtures."""

__version__ = "0.1.0"
