"""Round 137: helpers in a folder named for migrations run once; a commit kept before a mail still expires the loop's
rows; a row fetched to be copied is fetched afresh on purpose; configuration filled once onto flask's `g` is cached."""

from rule_cases import found_by

from mcp_server.rules import joined_parent_examples as jx
from mcp_server.rules import one_off_examples as oo
from mcp_server.rules import per_row_lookups_examples as px
from mcp_server.rules.static import DJANGO_MODELS


def _one_off(folder: str) -> dict[str, str]:
    return next(files for files in [*oo.ONE_OFF_NEGATIVE, *oo.ONE_OFF_POSITIVE] if isinstance(files, dict) and f"billing/{folder}/__init__.py" in files)


def test_helpers_in_a_folder_named_for_migrations_are_skipped_and_a_word_that_merely_contains_it_is_not():
    assert found_by(_one_off("migration_utils"), "NP101") == []
    assert [f[:3] for f in found_by(_one_off("tax_migrationset"), "NP101")] == [("billing/tax_migrationset/rates.py", 5, "high")]


def test_a_commit_kept_before_a_mail_still_expires_the_rows_an_eager_load_would_bring():
    [(path, line, severity, message, fix)] = found_by(jx.NP104_COMMIT_EACH_LOWERED[1], "NP104")
    assert (path, line, severity) == ("books/settle.py", 8, "low")
    assert message.endswith("; the loop commits the session at line 9, which expires every loaded row, so after the first "
                            "commit each row reloads on access whatever the statement eager-loads")
    assert fix.startswith("Commit once after the loop (or in batches), or open the session with `expire_on_commit=False`")
    assert found_by(jx.NP104_COMMIT_EACH_LOWERED[1], "PF202") == []  # the commit itself, before the mail, is on purpose


def test_a_row_fetched_to_be_copied_is_not_the_same_answer_every_time():
    copy = {"billing/models.py": DJANGO_MODELS, "billing/copies.py": px.PF301_COPY}
    assert found_by(copy, "PF301") == []
    assert [f[:4] for f in found_by({**copy, "billing/copies.py": px.PF301_SAME_ROW_SAVED}, "PF301")] == [
        ("billing/copies.py", 8, "medium", "`Invoice.objects.get` is called with the same arguments on every iteration of the loop at line 7")]


def test_configuration_filled_once_onto_flask_g_is_no_query_per_item():
    assert found_by({"auth/__init__.py": "", "auth/config.py": px.PF301_ON_FLASK_G}, "PF301") == []
    assert [f[:3] for f in found_by({"auth/__init__.py": "", "auth/config.py": px.PF301_ON_A_NEW_HOLDER}, "PF301")] == [
        ("auth/config.py", 20, "medium")]
