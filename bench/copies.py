"""Writes an NDJSON export COPIES times over, each copy's ids (and external
ids) new, so that an import has that many more records to add.

    python3 bench/copies.py demo.ndjson 100 > big.ndjson

Reference records (facilities, organisations, sources, criminal cases) are
copied too, so every copy is whole on its own."""
import re
import sys
import uuid

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def main(path, copies):
    lines = open(path, encoding="utf-8").read().splitlines()
    out = sys.stdout
    for copy in range(copies):
        ids = {}

        def new(match):
            return ids.setdefault(match.group(0), str(uuid.uuid4()))

        for line in lines:
            line = UUID.sub(new, line)
            # External ids are unique within their system.
            line = re.sub(r'("system":"[^"]*","id":"[^"]*)"', rf'\1-{copy}"', line)
            out.write(line + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
