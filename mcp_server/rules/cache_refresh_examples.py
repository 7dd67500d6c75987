"""A cache kept in a module global and handed back unless the caller asks for a refresh: `if _KEYS and not force_refresh:
return _KEYS`. The remote call below runs on the first call of the process, and again only for a caller passing the flag
(Workmate's Keycloak keys, round 211: 2 PF801 judged CACHED). The same function without the early return asks every
time."""

_KEYS = '''import requests

JWKS_URI = "https://sso.example/realms/erp/protocol/openid-connect/certs"
_KEYS = None


def signing_keys(force_refresh=False):
    global _KEYS
{guard}    _KEYS = {{key["kid"]: key for key in requests.get(JWKS_URI, timeout=5).json()["keys"]}}
    return _KEYS


async def current_user(token):
    return signing_keys().get(token["kid"])
'''
PF801_KEYS_KEPT = {"erp/__init__.py": "", "erp/auth.py": _KEYS.format(guard="    if _KEYS and not force_refresh:\n        return _KEYS\n")}
PF801_KEYS_FETCHED_EACH_TIME = {"erp/__init__.py": "", "erp/auth.py": _KEYS.format(guard="")}
