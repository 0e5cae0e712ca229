#!/usr/bin/env python3
"""Turns the statements PostgreSQL logged between two markers into a
pgbench script: every statement one request ran, in order, its parameters
as pgbench variables (sent as parameters under `-M prepared`, as the server
sends them, so that PostgreSQL plans both alike). Reads the log on stdin;
prints the script, writes the variables' values to VARS (`name=value` a
line, for pgbench's `-D`), and the number of statements on stderr.

    python3 replay.py MARKER VARS < postgresql.log > A.sql
"""
import re
import sys

# `%m [%p] %q%u@%d ` then the message.
START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[\d+\] ")
STATEMENT = re.compile(
    r"LOG:  duration: [\d.]+ ms  (?:execute [^:]*|statement): (.*)", re.S
)
PARAMETERS = re.compile(r"DETAIL:  parameters: (.*)", re.S)
# The other steps of the extended protocol, logged with their parameters too.
STEP = re.compile(r"LOG:  duration: [\d.]+ ms  (?:parse|bind) ")


def records(lines):
    """Log records: a line with a timestamp and the lines continuing it."""
    record = None
    for line in lines:
        if START.match(line):
            if record is not None:
                yield record
            record = line
        elif record is not None:
            record += line
    if record is not None:
        yield record


def parameters(text):
    """`$1 = 'a''b', $2 = NULL` as {1: "'a''b'", 2: "NULL"}."""
    values = {}
    i = 0
    while i < len(text):
        m = re.compile(r"\s*\$(\d+) = ").match(text, i)
        if not m:
            break
        n, i = int(m.group(1)), m.end()
        if text.startswith("NULL", i):
            values[n], i = "NULL", i + 4
        else:
            j = i + 1
            while True:
                j = text.index("'", j)
                if text.startswith("''", j):
                    j += 2
                    continue
                break
            values[n], i = text[i : j + 1], j + 1
        if text.startswith(",", i):
            i += 1
    return values


def main():
    marker, vars_path = sys.argv[1], sys.argv[2]
    variables = {}
    inside, statements, pending, skip_detail = False, [], None, False
    done = []
    for record in records(sys.stdin):
        if f"bench-mark {marker} start" in record:
            inside, statements, pending, variables = True, [], None, {}
            continue
        if f"bench-mark {marker} end" in record:
            # The last run in the log counts.
            if pending is not None:
                statements.append(pending)
            done, inside, pending = statements, False, None
            continue
        if not inside:
            continue
        if STEP.search(record):
            # Its parameters are the execute's; they come again with it.
            skip_detail = True
            continue
        s = STATEMENT.search(record)
        if s:
            skip_detail = False
            if pending is not None:
                statements.append(pending)
            pending = s.group(1).strip()
            continue
        p = PARAMETERS.search(record)
        if p and pending is not None and not skip_detail:
            values = parameters(p.group(1).strip())
            # Highest numbers first, so that $1 does not eat $10. A NULL
            # cannot be a variable: written in.
            for n in sorted(values, reverse=True):
                if values[n] == "NULL":
                    text = "NULL"
                else:
                    name = f"s{len(statements)}p{n}"
                    variables[name] = values[n][1:-1].replace("''", "'")
                    text = f":{name}"
                pending = re.sub(rf"\${n}(?!\d)", lambda _: text, pending)
    statements = done
    # The driver's look-ups of a type, once per connection: not the request's.
    statements = [
        s for s in statements if "pg_catalog.pg_" not in s and "::regtype::oid" not in s
    ]
    for statement in statements:
        print(statement.rstrip().rstrip(";") + ";")
    with open(vars_path, "w") as out:
        for name, value in variables.items():
            if "\n" in value:
                sys.exit(f"{name}: a value over several lines cannot be a variable")
            out.write(f"{name}={value}\n")
    print(len(statements), file=sys.stderr)


if __name__ == "__main__":
    main()
