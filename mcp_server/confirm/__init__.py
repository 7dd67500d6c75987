"""`confirm`: the project's own test suite, run with query capture in every Python process it starts (run.py,
probe.py, the sitecustomize stub), joined with the static findings by call stack (join.py). The tool itself is
mcp_server/tools/confirm_findings.py."""
