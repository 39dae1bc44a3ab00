"""`guanxi sla due`: a deadline on a business calendar file, printed on the last line, and one-line errors."""
import json
import subprocess

from conftest import BIN

CALENDAR = {
    "time_zone": "Asia/Shanghai",
    "week": {d: [["09:00", "12:00"], ["13:30", "18:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]},
    "holidays": [f"2026-10-0{d}" for d in range(1, 8)],
    "workdays": ["2026-09-20", "2026-10-10"],
}


def due(tmp_path, *args, calendar=CALENDAR):
    path = tmp_path / "calendar.json"
    path.write_text(calendar if isinstance(calendar, str) else json.dumps(calendar), encoding="utf-8")
    return subprocess.run([BIN, "sla", "due", "--calendar", str(path), *args], capture_output=True, text=True, timeout=60)


def last_line(p):
    assert p.returncode == 0, p.stderr
    return p.stdout.strip().splitlines()[-1]


def test_lunch_break_holiday_week_and_make_up_saturday(tmp_path):
    assert last_line(due(tmp_path, "--from", "2026-10-09T12:30:00+08:00", "--minutes", "60")) == "2026-10-09T14:30:00+08:00"
    assert last_line(due(tmp_path, "--from", "2026-09-30T17:30:00+08:00", "--minutes", "60")) == "2026-10-08T09:30:00+08:00"
    assert last_line(due(tmp_path, "--from", "2026-10-09T18:00:00+08:00", "--minutes", "30")) == "2026-10-10T09:30:00+08:00"
    # landing exactly on the lunch break is 12:00
    assert last_line(due(tmp_path, "--from", "2026-10-09T09:00:00+08:00", "--minutes", "180")) == "2026-10-09T12:00:00+08:00"


def test_utc_start_with_milliseconds_and_overlapping_pauses(tmp_path):
    assert last_line(due(tmp_path, "--from", "2026-10-09T01:00:00.250Z", "--minutes", "1")) == "2026-10-09T09:01:00.250+08:00"
    p = due(tmp_path, "--from", "2026-10-08T09:00:00+08:00", "--minutes", "120",
            "--pause", "2026-10-08T10:00:00+08:00/2026-10-08T11:00:00+08:00",
            "--pause", "2026-10-08T01:30:00Z/2026-10-08T10:30:00+08:00")
    assert last_line(p) == "2026-10-08T14:00:00+08:00"


def test_errors_are_one_line_and_name_the_problem(tmp_path):
    bad = dict(CALENDAR, week={"mon": [["09:00", "25:00"]]}, holidays=["2026-10-01"], workdays=["2026-10-01"])
    p = due(tmp_path, "--from", "2026-10-09T09:00:00+08:00", "--minutes", "60", calendar=bad)
    assert p.returncode != 0 and p.stderr.count("\n") == 1, p.stderr
    assert "week.mon[0]: '25:00' is not a time" in p.stderr and "workdays[0]: 2026-10-01 is also a holiday" in p.stderr, p.stderr
    for args, words in [(["--from", "2026-10-09 09:00", "--minutes", "1"], "--from: '2026-10-09 09:00' is not an ISO 8601 time"),
                        (["--from", "2026-10-09T09:00:00+08:00", "--minutes", "1", "--pause", "2026-10-09T10:00:00Z"], "is not FROM/TO"),
                        (["--from", "2026-10-09T09:00:00+08:00", "--minutes=-1"], "minutes: must be 0 or more")]:
        p = due(tmp_path, *args)
        assert p.returncode != 0 and p.stderr.count("\n") == 1 and words in p.stderr, p.stderr
    p = due(tmp_path, "--from", "2026-10-09T09:00:00+08:00", "--minutes", "1", calendar="")
    assert p.returncode != 0 and "calendar: is empty" in p.stderr, p.stderr
