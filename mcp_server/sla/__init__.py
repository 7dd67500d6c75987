"""SLA targets in the k6 style, checked against measured samples."""
