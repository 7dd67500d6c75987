"""Per-item I/O that dwarfs a per-item query (analysis/dwarfing.py): the N+1, PF201 and PF301 findings of a loop
that also makes an HTTP or cloud call, runs a subprocess or sends an e-mail on every item are `low`,
with that call named as evidence; the same loops without the I/O keep their severity. The example projects are the
rules' own (mcp_server/rules/io_examples.py)."""

from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import io_examples as ex


def _scan(files, rule):
    report = scan_sources(files, select=[rule])
    assert not report.errors, report.errors
    return report.findings


def _io(f):
    return [(e.message, e.location.path, e.location.line) for e in f.evidence if e.role == "per-item I/O"]


def test_a_query_beside_an_http_call_per_item_is_low_with_the_call_as_evidence():
    [f] = _scan(ex.NP101_IO_LOWERED, "NP101")
    assert (f.rule, f.severity.value, f.location.path, f.location.line) == ("NP101", "low", "payables/jobs.py", 7)
    assert "; each iteration also makes a remote call (payables/jobs.py:8), which costs far more than this query" in f.message
    assert _io(f) == [("makes a remote call: requests.post(\"https://bank.example/transfers\", json={\"iban\": supplier.iban, "
                       "\"amount\": str(bill.amount)}, timeout=10)", "payables/jobs.py", 8)]


def test_the_same_query_without_io_stays_high():
    [f] = _scan(ex.NP101_IO_KEPT, "NP101")
    assert (f.rule, f.severity.value, f.location.line) == ("NP101", "high", 7)
    assert "each iteration also" not in f.message and _io(f) == []


def test_enqueueing_a_task_and_logging_per_item_are_not_io():
    [f] = _scan(ex.NP101_QUEUE_KEPT, "NP101")
    assert (f.rule, f.severity.value, f.location.line) == ("NP101", "high", 10)
    assert _io(f) == []


def test_a_subprocess_two_project_calls_down_lowers_the_helpers_query():
    [f] = _scan(ex.NP102_IO_LOWERED, "NP102")
    assert (f.rule, f.severity.value, f.location.line) == ("NP102", "low", 7)
    assert f.message.endswith("; each iteration also runs a subprocess through `archive_pdf()` (payables/render.py:5), "
                              "which costs far more than this query")
    assert _io(f) == [('runs a subprocess: subprocess.run(["pdftoppm", "-png", path, path + ".png"], check=True)', "payables/render.py", 5)]


def test_io_three_project_calls_down_is_too_far_to_count():
    [f] = _scan(ex.NP102_DEEP_IO_KEPT, "NP102")
    assert (f.rule, f.severity.value, f.location.line) == ("NP102", "high", 7)
    assert _io(f) == []


def test_a_relation_read_per_row_beside_a_file_copy_stays_high():
    # a file copied per row costs about what a query does: maintainers fix the query beside it (devset: a JSON file
    # stored per statement while its lines loaded per statement)
    [f] = _scan(ex.NP103_FILE_KEPT, "NP103")
    assert (f.rule, f.severity.value, f.location.line) == ("NP103", "high", 8)
    assert "each iteration also" not in f.message and _io(f) == []


def test_a_write_per_row_beside_an_email_per_row_is_low():
    [f] = _scan(ex.PF201_IO_LOWERED, "PF201")
    assert (f.rule, f.severity.value, f.location.line) == ("PF201", "low", 9)
    assert f.message == ("`bill.save()` writes one row per item of the loop at line 6; each iteration also sends an e-mail "
                         "(payables/jobs.py:7), which costs far more than this write")


def test_a_write_per_row_without_the_email_stays_high():
    files = dict(ex.PF201_IO_LOWERED)
    files["payables/jobs.py"] = files["payables/jobs.py"].replace(
        '        send_mail("Bill due", f"{bill.amount} is due", "ap@example.com", ["payer@example.com"])\n', "")
    [f] = _scan(files, "PF201")
    assert (f.rule, f.severity.value, f.location.line) == ("PF201", "high", 8)


def test_a_lookup_with_the_same_arguments_beside_a_boto3_call_is_low():
    [f] = _scan(ex.PF301_IO_LOWERED, "PF301")
    assert (f.rule, f.severity.value, f.location.line) == ("PF301", "low", 8)
    assert _io(f) == [('makes a cloud API call: s3.put_object(Bucket="bills", Key=f"{bill.pk}-{euro.code}.pdf", Body=bill.pdf)',
                       "payables/jobs.py", 9)]


def test_a_boto3_client_method_that_stays_in_the_process_is_not_io():
    files = dict(ex.PF301_IO_LOWERED)
    files["payables/jobs.py"] = files["payables/jobs.py"].replace(
        's3.put_object(Bucket="bills", Key=f"{bill.pk}-{euro.code}.pdf", Body=bill.pdf)',
        's3.generate_presigned_url("get_object", Params={"Key": f"{bill.pk}-{euro.code}.pdf"})')
    [f] = _scan(files, "PF301")
    assert (f.rule, f.severity.value) == ("PF301", "medium")


def test_a_remote_call_per_item_is_never_lowered_by_io_beside_it():
    # NP105 is itself about the remote call: the query's finding is lowered, the remote call's is not
    [f] = _scan(ex.NP101_IO_LOWERED, "NP105")
    assert (f.rule, f.severity.value, f.location.line) == ("NP105", "high", 8)


def test_names_that_only_sound_like_io_are_not_io():
    # project functions called `upload_statement` and `send_copy`, and a method `open` of the project's own class:
    # nothing resolves to an I/O library
    files = dict(ex.NP101_IO_KEPT)
    files["payables/jobs.py"] = '''
from .models import Bill, Supplier

def upload_statement(data):
    return data

def send_copy(data):
    return [data]

class Ledger:
    def open(self, name):
        return name

def payees(ledger: Ledger):
    for bill in Bill.objects.filter(amount__gt=0):
        iban = Supplier.objects.get(pk=bill.supplier_id).iban
        upload_statement(iban)
        send_copy(iban)
        ledger.open(iban)
'''
    [f] = _scan(files, "NP101")
    assert (f.rule, f.severity.value) == ("NP101", "high")
    assert _io(f) == []


def test_a_file_appended_to_or_read_per_item_is_not_io_that_dwarfs_a_query():
    appended = dict(ex.NP101_IO_KEPT)
    appended["payables/jobs.py"] = appended["payables/jobs.py"].replace(
        "        out.append(Supplier.objects.get(pk=bill.supplier_id).iban)\n",
        "        out.append(Supplier.objects.get(pk=bill.supplier_id).iban)\n"
        "        with open('payees.log', mode='a') as log:\n            log.write(out[-1])\n")
    [f] = _scan(appended, "NP101")
    assert (f.rule, f.severity.value) == ("NP101", "high")
    read = dict(appended)
    read["payables/jobs.py"] = read["payables/jobs.py"].replace("open('payees.log', mode='a')", "open(bill.pdf, 'rb')")
    [f] = _scan(read, "NP101")
    assert (f.rule, f.severity.value) == ("NP101", "high") and _io(f) == []


def test_io_through_a_call_with_the_same_arguments_every_time_is_not_the_items_own_work():
    # `terms(path)` fetches the same page on every iteration: that is for PF301 to hoist, it does not dwarf the query
    files = dict(ex.NP101_IO_KEPT)
    files["payables/jobs.py"] = '''
from .models import Bill, Supplier

import requests

def terms(path):
    return requests.get(f"https://bank.example/terms/{path}", timeout=5).text

def payees(path):
    out = []
    for bill in Bill.objects.filter(amount__gt=0):
        out.append((Supplier.objects.get(pk=bill.supplier_id).iban, terms(path)))
    return out
'''
    [f] = _scan(files, "NP101")
    assert (f.rule, f.severity.value, f.location.line) == ("NP101", "high", 12)
    files["payables/jobs.py"] = files["payables/jobs.py"].replace("terms(path)))", "terms(bill.pdf)))")
    [f] = _scan(files, "NP101")
    assert (f.rule, f.severity.value) == ("NP101", "low")
    assert "; each iteration also makes a remote call through `terms()` (payables/jobs.py:7), which costs far more than this query" in f.message


def test_what_the_extractor_keeps_as_per_item_io():
    from mcp_server.analysis.scan import analyse_text

    facts, error = analyse_text("jobs.py", '''
import logging, shutil, socket, subprocess, tarfile
from pathlib import Path
import boto3
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from .tasks import notify

log = logging.getLogger(__name__)

def run(items, out: Path):
    s3 = boto3.client("s3")
    for item in items:
        subprocess.check_output(["gpg", "--sign", item.path])
        shutil.copyfile(item.path, "/tmp/x")
        tarfile.open(item.path).extractall("/tmp")
        socket.create_connection((item.host, 443))
        default_storage.save(item.name, item.body)
        EmailMessage("s", "b", to=[item.email]).send()
        msg = EmailMessage("s", "b", to=[item.email])
        msg.send()
        out.write_text(item.body)
        s3.copy({"Bucket": "a", "Key": item.name}, "b", item.name)
        s3.generate_presigned_url("get_object")
        open(item.path, "a").write("x")
        notify.delay(item.pk)
        log.info("done %s", item.pk)
        item.save()
''')
    assert error is None
    assert [(s.span.line, s.kind, s.api, s.framework) for s in facts.functions["run"].io] == [
        (14, "io", "subprocess.check_output", "runs a subprocess"),
        (17, "io", "socket.create_connection", "makes a network call"),
        (19, "io", "send", "sends an e-mail"),
        (21, "io", "msg.send", "sends an e-mail"),
        (23, "io", "s3.copy", "makes a cloud API call"),
        (25, "file", "open", "append"),
    ]

