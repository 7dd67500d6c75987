"""`python -m mcp_server` starts the MCP server on stdio (the same as `performance-optimizer serve`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
