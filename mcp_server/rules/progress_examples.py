"""Loops seen through a progress bar, and loops over years (loop_size.YEARS, nodes.PROGRESS_BARS): `tqdm(rows)` walks
the same rows (the Citizens Police Data Project's offline jobs, round 181, had theirs read as "rows a query helper
returns"); `tqdm(range(0, len(rows), 100))` walks chunks, each the batch itself (judged false as a statement per
row); and `for year in range(MIN_YEAR, this_year + 1)` walks a few dozen years (3 judged N SMALL in round 181)."""

_MODELS = '''from django.db import models


class Figure(models.Model):
    year = models.IntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2)
'''
_TOTALS = '''from tqdm import tqdm

from .models import Figure


def yearly_totals(first_year, last_year):
    out = {{}}
    for {var} in {rows}:
        out[{var}] = Figure.objects.filter(year={var}).count()
    return out
'''
_CHUNKS = '''from django.db import connection
from tqdm import tqdm


def store_percentiles(rows):
    cursor = connection.cursor()
    for start in tqdm({rows}):
        cursor.execute("SELECT id FROM stats_figure WHERE id = %s", [rows[start]["id"]])
'''


def _stats(text: str) -> dict[str, str]:
    return {"stats/__init__.py": "", "stats/models.py": _MODELS, "stats/jobs.py": text}


# the years of a range; the chunks of a list, each one statement
NP101_YEARS_AND_CHUNKS_NEGATIVE = [
    _stats(_TOTALS.format(var="year", rows="tqdm(range(first_year, last_year + 1))")),
    _stats(_CHUNKS.format(rows="range(0, len(rows), 100)")),
]
# a table's rows behind a progress bar; each row of a list, one by one
NP101_THROUGH_PROGRESS_POSITIVE = [
    _stats(_TOTALS.format(var="figure", rows="tqdm(Figure.objects.all())").replace("year=figure", "year=figure.year")),
    _stats(_CHUNKS.format(rows="range(len(rows))")),
]
