"""A tree walked by a method that calls itself on each child (issue 15, round 81): one query per node, which no
prefetch serves beyond its first level, so the fix offered loads the whole subtree at once. A method whose only call
is its own recursion runs for nobody."""

_CHART_MODELS = '''
from django.db import models


class Ledger(models.Model):
    name = models.CharField(max_length=40)


class Account(models.Model):
    name = models.CharField(max_length=40)
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")

    def tree(self):
        children = self.children.all()
        return {"name": self.name, "ledger": self.ledger.name, "children": [child.tree() for child in children]}
'''
_CHART_VIEW = '''
from .models import Account


def chart(request):
    return [account.tree() for account in Account.objects.filter(parent=None)]
'''

# Kolibri Studio's `get_tree_data()` (round 81: the one-level prefetch offered was judged WRONGFIX)
NP103_TREE_POSITIVE = [{"manage.py": "", "ledger/__init__.py": "", "ledger/models.py": _CHART_MODELS, "ledger/views.py": _CHART_VIEW,
                        "ledger/urls.py": "from .views import chart\nurlpatterns = [chart]\n"}]
