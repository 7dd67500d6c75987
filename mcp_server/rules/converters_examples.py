"""PF301 on a function that only hands back lambdas (flow._handed_back_lambdas): Greenland's customs service builds
`{"declaration": lambda value: Declaration.objects.get(id=value)}` once per payment it lists (round 161: judged
NOTQUERY, "calling it runs no query"). The query runs when the caller applies the converter, not when it builds it;
a builder that looks the row up itself is reported."""

_PAYMENTS = '''
from .models import Declaration


def converters(provider):
    return {
        "declaration": lambda value: ("declaration", Declaration.objects.get(id=value)),
        "provider_id": lambda value: ("provider_payment", provider.read(value)),
    }


def payments_out(payments, provider):
    return [to_response(payment, converters(provider)) for payment in payments]


def to_response(payment, convert):
    return {key: convert[key](getattr(payment, key)) for key in convert}
'''
PF301_LAMBDAS_HANDED_BACK = {"customs/__init__.py": "", "customs/payments.py": _PAYMENTS}
PF301_LOOKUP_IN_BUILDER = {**PF301_LAMBDAS_HANDED_BACK, "customs/payments.py": _PAYMENTS.replace(
    '''    return {
        "declaration": lambda value''', '''    default = Declaration.objects.get(id=0)
    return {
        "declaration": lambda value''')}
