"""PF301 on a graph walk that looks each value up once (loops._first_visit): BlueKing ITSM follows a workflow's
transitions backwards, recursing into `t.from_state` only `if t.from_state not in searched_states:`, after appending it
there (round 162: judged false, "each state is looked up once"). Not reported; the same walk without its visited list,
which asks again for a state every transition into it names, is."""

_MODELS = '''
from django.db import models


class State(models.Model):
    name = models.CharField(max_length=40)


class Transition(models.Model):
    from_state = models.ForeignKey(State, related_name="outgoing", on_delete=models.CASCADE)
    to_state = models.ForeignKey(State, related_name="incoming", on_delete=models.CASCADE)
'''
_WALK = '''
from .models import Transition


def routes_into(state):
    searched = []

    def walk(state):
        found = []
        for t in Transition.objects.select_related("from_state").filter(to_state_id=state.id):
            if t.from_state not in searched:
                searched.append(t.from_state)
                found.extend(walk(t.from_state))
        return found

    return walk(state)
'''
PF301_VISITED_ONCE = {"flow/__init__.py": "", "flow/models.py": _MODELS, "flow/walk.py": _WALK}
PF301_ASKED_AGAIN = {**PF301_VISITED_ONCE, "flow/walk.py": _WALK.replace(
    "            if t.from_state not in searched:\n                searched.append(t.from_state)\n                found", "            found")}
