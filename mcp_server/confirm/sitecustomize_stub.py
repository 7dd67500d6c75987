# performance-optimizer confirm: query capture for this process (see mcp_server/confirm/probe.py).
# This file is copied, as sitecustomize.py, into a temporary folder put first on PYTHONPATH for the user's
# command; the folder is removed when the command ends. Then the environment's own sitecustomize runs.
import os as _os
import sys as _sys


def _po_confirm():
    import importlib.util

    def load(name, path):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        _sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    try:
        load("_po_capture", _os.environ["PO_CONFIRM_CAPTURE"])
        load("_po_probe", _os.environ["PO_CONFIRM_PROBE"]).start()
    except Exception as exc:  # never break the user's process; say why it is not measured
        _sys.stderr.write(f"performance-optimizer confirm: no query capture in this process ({type(exc).__name__}: {exc})\n")


def _po_chain():
    """Run the sitecustomize this one shadows, if the environment has one."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    _sys.path[:] = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    mine = _sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # noqa: F401  the environment's own
    except ImportError:
        _sys.modules["sitecustomize"] = mine
    except Exception:
        _sys.modules["sitecustomize"] = mine


if not _sys.flags.isolated:
    _po_confirm()
_po_chain()
