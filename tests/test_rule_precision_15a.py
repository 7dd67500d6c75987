"""PF rule false positives read on real applications (issue 15), each with the true case next to it, exact."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules.lazy_examples import LAZY_MODELS

_LOADER = '''
import json


class Loader:
    def load_file(self, options):
        with open(options["source"]) as f:
            return json.load(f)

    def load_all(self, options, files):
        for item in files:
            options["source"] = item["path"]
            self.load_file(options)

    def load_same(self, options, files):
        for item in files:
            print(item)
            self.load_file(options)
'''


def _found(files: dict[str, str], rule: str) -> list[tuple[str, int, str]]:
    return sorted((f.location.path, f.location.line, f.message.split(" ")[0]) for f in scan_sources(files).findings if f.rule == rule)


def test_pf301_a_dict_given_new_entries_each_iteration_is_not_the_same_argument():
    # load_all stores the source before each call: not reported; load_same hands the same dict untouched: reported
    assert _found({"imp/__init__.py": "", "imp/loader.py": _LOADER}, "PF301") == [("imp/loader.py", 18, "`load_file()`")]


_UNZIP = '''
import tempfile
import zipfile


def unpack(path):
    with open(path, "rb") as f:
        out = tempfile.mkdtemp()
        archive = zipfile.ZipFile(f)
        for name in archive.namelist():
            archive.extract(name, out)
    return out


def unpack_path(path):
    out = tempfile.mkdtemp()
    archive = zipfile.ZipFile(path)
    for name in archive.namelist():
        archive.extract(name, out)
    return out
'''


def test_pf501_an_archive_over_a_file_the_with_closes_does_not_leak():
    # given a path, ZipFile opens (and owns) a file that nothing closes: still reported
    assert _found({"imp/__init__.py": "", "imp/unzip.py": _UNZIP}, "PF501") == [("imp/unzip.py", 17, "the")]


_TARGETS = '''
class ConfigError(Exception):
    pass


def check_targets(targets, names):
    for target in targets:
        for part in target.split(","):
            if part not in names:
                raise ConfigError(f"{part} is not one of {sorted(names)}")


def report_targets(targets, names):
    out = []
    for target in targets:
        if target not in names:
            out.append(f"{target} is not one of {sorted(names)}")
    return out


def check_all(targets, names):
    problems = []
    for target in targets:
        try:
            if target not in names:
                raise ConfigError(f"{target} is not one of {sorted(names)}")
        except ConfigError as e:
            problems.append(str(e))
    return problems
'''


def test_pf901_work_in_the_raise_that_ends_the_loop_runs_once():
    # the sort in a message appended per item, and in a raise the same loop catches, still repeat per item
    assert _found({"cfg/__init__.py": "", "cfg/check.py": _TARGETS}, "PF901") == [("cfg/check.py", 17, "`sorted(...)`"),
                                                                                    ("cfg/check.py", 26, "`sorted(...)`")]


_GROUP_MODELS = LAZY_MODELS + '''

class Note(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="notes")
    board_copy = models.IntegerField(null=True)
    hidden = models.BooleanField(default=False)
'''

_GROUP_WRITES = '''
from .models import Board, Card, Note


def fill_board_copies():
    board_ids = Board.objects.all().values_list("id", flat=True)
    for board_id in board_ids:
        Note.objects.filter(card__board_id=board_id).update(board_copy=board_id)


def hide_all():
    board_ids = Board.objects.all().values_list("id", flat=True)
    for board_id in board_ids:
        Note.objects.filter(card__board_id=board_id).update(hidden=True)


def retitle(titles):
    for card in Card.objects.all():
        Card.objects.filter(pk=card.pk).update(title=titles[card.pk])
'''


def test_pf201_a_set_based_update_per_group_with_its_own_value_is_not_row_by_row():
    # the same value for every group (one `filter(card__board_id__in=...)` would do) and an update by primary key
    # per row are still reported
    assert _found({"app/__init__.py": "", "app/models.py": _GROUP_MODELS, "app/fill.py": _GROUP_WRITES}, "PF201") == [
        ("app/fill.py", 14, "`Note.objects.filter.update()`"), ("app/fill.py", 19, "`Card.objects.filter.update()`")]
