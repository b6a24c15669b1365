"""Where PostgreSQL's time goes during a load, per statement: sums the durations a server log records for each
statement's phases (parse, bind, execute, or a simple query), grouped by the statement's text with its parameters
numbered alike, and prints the statements that took the most time with their count and mean.

Collect a window of the log while the load runs (a superuser; every session of the server logs meanwhile, so keep it
to a few seconds, and read the figures of that window as slowed by the logging):
    psql -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()"
    sleep 3
    psql -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()"
and cut the window out of the server's log (on Debian /var/log/postgresql/postgresql-VERSION-main.log: note its size
before, then `tail -c +SIZE LOG > WINDOW.log`). Read it:
    python3 benchmarks/pg-statement-times.py WINDOW.log [TOP]
"""
import collections
import re
import sys

# "duration: 1.028 ms  execute S_55: INSERT ..." or "duration: 0.1 ms  statement: BEGIN"
LINE = re.compile(r"duration: ([\d.]+) ms\s+(parse|bind|execute|statement)[^:]*: (.*)")
PARAMETER = re.compile(r"\$\d+")
# a multi-row insert's values lists, of any length, count as one statement
VALUES_LISTS = re.compile(r"(\(\?(?:, \?)*\))(?:,\(\?(?:, \?)*\))+")


def statement_times(lines):
    """(total ms, count) per (phase, statement text)."""
    total = collections.Counter()
    count = collections.Counter()
    for line in lines:
        match = LINE.search(line)
        if not match:
            continue
        text = VALUES_LISTS.sub(r"\1, ...", PARAMETER.sub("?", match.group(3).strip()))
        key = (match.group(2), text)
        total[key] += float(match.group(1))
        count[key] += 1
    return total, count


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with open(path, errors="replace") as f:
        total, count = statement_times(f)
    overall = sum(total.values())
    print(f"{overall:.1f} ms in {sum(count.values())} logged phases")
    print(f"{'ms':>9} {'share':>6} {'count':>7} {'mean us':>8}  phase statement")
    for (phase, text), ms in total.most_common(top):
        n = count[(phase, text)]
        print(f"{ms:9.1f} {100 * ms / overall:5.1f}% {n:7d} {1000 * ms / n:8.1f}  {phase} {text[:90]}")


if __name__ == "__main__":
    main()
