"""One module per MCP tool; each exposes a plain typed function that tests and the CLI call directly."""
