#!/usr/bin/env python3
"""Helpers for scripts/kannel-e2e: speak Kannel's fakesmsc line format and compare what the phone got.

fakesmsc (Debian's kannel-extras) reads MO lines on stdin, "sender receiver type text", and logs every MT
that Kannel's fake SMSC driver (gw/smsc/smsc_fake.c) writes to it as "Got message N: <line>":
  "<from> <to> text <raw bytes>"    7-bit (coding 0); a newline in the text splits it over several log entries
  "<from> <to> ucs-2 <url-encoded>" UCS-2 (coding 2), the UTF-16BE bytes
  "<from> <to> udh <url-encoded UDH> data <url-encoded>"  one part of a concatenated message, any coding
Kannel's access log ("Sent SMS ... [flags:mclass:coding:...]") names the coding of each MT, parts or not.

  fakesmsc.py mo [--ucs2] FROM TO TEXT        print the stdin line that makes fakesmsc send TEXT
  fakesmsc.py reply --db DB --access LOG --phone P --index K FAKESMSC_LOG...
      compare the K-th message (0-based, in outbox order) the bridge queued for P with the K-th message
      the fake phone received; exit 0 and print the coding when they match exactly, 3 while it has not
      arrived yet, 1 with the difference when it differs.
  fakesmsc.py count --phone P FAKESMSC_LOG...  how many complete messages the fake phone received for P
"""
import argparse
import re
import sqlite3
import sys
import urllib.parse

# fakesmsc reads stdin with fgets into a 256-byte buffer: a longer line would be split into two MOs.
MAX_LINE = 255

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    "\f^{}\\[~]|€"
)

HEADER = re.compile(rb"^(\S+) (\S+) (text|data|ucs-2|udh) (.*)$", re.S)
GOT = re.compile(rb"DEBUG: Got message \d+: <(.*)>$|INFO: Got message \d+: <(.*)>$")
SENT = re.compile(r"Sent SMS \[SMSC:[^\]]*\] .*?\[from:([^\]]*)\] \[to:([^\]]*)\] \[flags:(-?\d+):(-?\d+):")


def url_bytes(value: bytes) -> bytes:
    """Kannel's octstr_url_encode: '+' is a space, %XX a byte."""
    return urllib.parse.unquote_to_bytes(value.replace(b"+", b" "))


def expected_coding(text: str) -> int:
    return 0 if all(ch in GSM7 for ch in text) else 2


def received(logs, phone: str):
    """Complete messages to `phone` ("*": to anyone), in arrival order: dicts with kind, payload and parts."""
    entries = []
    for path in logs:
        try:
            with open(path, "rb") as handle:
                for raw in handle.read().split(b"\n"):
                    match = GOT.search(raw)
                    if match:
                        entries.append(match.group(1) if match.group(1) is not None else match.group(2))
        except FileNotFoundError:
            continue
    messages = []
    pending = {}  # (phone, concatenation reference) -> message being assembled
    for entry in entries:
        header = HEADER.match(entry)
        if header is None:
            # The next line of a 7-bit text that contained a newline.
            if messages and messages[-1]["kind"] == "text":
                messages[-1]["payload"] += b"\n" + entry
            continue
        to = header.group(2).decode(errors="replace")
        kind = header.group(3).decode()
        rest = header.group(4)
        if kind == "text":
            messages.append({"to": to, "kind": kind, "payload": rest, "parts": 1, "complete": True})
            continue
        if kind in ("ucs-2", "data"):
            messages.append({"to": to, "kind": kind, "payload": url_bytes(rest), "parts": 1, "complete": True})
            continue
        udh_field, _, data_field = rest.partition(b" data ")
        udh = url_bytes(udh_field)
        # Concatenation header: IEI 0x00 (8-bit reference) or 0x08 (16-bit reference).
        if len(udh) >= 6 and udh[1] == 0x00:
            reference, total, part = udh[3], udh[4], udh[5]
        elif len(udh) >= 7 and udh[1] == 0x08:
            reference, total, part = (udh[3] << 8) | udh[4], udh[5], udh[6]
        else:
            messages.append({"to": to, "kind": "udh", "payload": url_bytes(data_field), "parts": 1, "complete": True})
            continue
        message = pending.get((to, reference))
        if message is None:
            message = {"to": to, "kind": "udh", "chunks": {}, "parts": total, "payload": b"", "complete": False}
            pending[(to, reference)] = message
            messages.append(message)
        message["chunks"][part] = url_bytes(data_field)
        if len(message["chunks"]) == total:
            message["payload"] = b"".join(message["chunks"][i] for i in sorted(message["chunks"]))
            message["complete"] = True
            del pending[(to, reference)]
    return [m for m in messages if phone == "*" or m["to"] == phone]


def sent_codings(access_log: str, phone: str):
    codings = []
    try:
        with open(access_log, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                match = SENT.search(line)
                if match and match.group(2) == phone:
                    codings.append(int(match.group(4)))
    except FileNotFoundError:
        pass
    return codings


def queued_texts(db: str, phone: str):
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        rows = connection.execute("SELECT text FROM outbox WHERE phone = ? ORDER BY sequence", (phone,)).fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


def command_mo(args) -> int:
    if args.ucs2:
        line = f"{args.sender} {args.receiver} ucs2 " + urllib.parse.quote(args.text.encode("utf-16-be"), safe="")
    else:
        if "\n" in args.text:
            print("a 7-bit MO cannot hold a newline in fakesmsc's line format", file=sys.stderr)
            return 2
        line = f"{args.sender} {args.receiver} text {args.text}"
    if len(line.encode()) > MAX_LINE - 1:
        print(f"MO line is {len(line.encode())} bytes; fakesmsc reads at most {MAX_LINE - 1}", file=sys.stderr)
        return 2
    print(line)
    return 0


def describe(coding: int) -> str:
    return {0: "GSM-7 (coding 0)", 2: "UCS-2 (coding 2)"}.get(coding, f"coding {coding}")


def command_reply(args) -> int:
    texts = queued_texts(args.db, args.phone)
    if args.index >= len(texts):
        print(f"the bridge has queued {len(texts)} message(s) for {args.phone}")
        return 3
    want = texts[args.index]
    got = received(args.logs, args.phone)
    if args.index >= len(got) or not got[args.index]["complete"]:
        print(f"the fake phone has {sum(1 for m in got if m['complete'])} complete message(s)")
        return 3
    message = got[args.index]
    codings = sent_codings(args.access, args.phone)
    if args.index >= len(codings):
        print("Kannel's access log has no 'Sent SMS' entry for it yet")
        return 3
    coding = codings[args.index]
    want_coding = expected_coding(want)
    if coding != want_coding:
        print(f"Kannel sent it as {describe(coding)}, expected {describe(want_coding)}: {want!r}")
        return 1
    if message["kind"] == "text" and coding != 0 or message["kind"] == "ucs-2" and coding != 2:
        print(f"the fake SMSC got a '{message['kind']}' line for {describe(coding)}")
        return 1
    want_bytes = want.encode("utf-16-be") if coding == 2 else want.encode("utf-8")
    if message["payload"] != want_bytes:
        try:
            shown = message["payload"].decode("utf-16-be" if coding == 2 else "utf-8")
        except UnicodeDecodeError:
            shown = message["payload"].hex()
        print(f"received {shown!r}, the bridge queued {want!r}")
        return 1
    parts = f"{message['parts']} parts" if message["parts"] > 1 else "1 part"
    print(f"{describe(coding)}, {parts}")
    return 0


def command_count(args) -> int:
    print(sum(1 for m in received(args.logs, args.phone) if m["complete"]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    mo = commands.add_parser("mo")
    mo.add_argument("--ucs2", action="store_true")
    mo.add_argument("sender")
    mo.add_argument("receiver")
    mo.add_argument("text")
    reply = commands.add_parser("reply")
    reply.add_argument("--db", required=True)
    reply.add_argument("--access", required=True)
    reply.add_argument("--phone", required=True)
    reply.add_argument("--index", type=int, required=True)
    reply.add_argument("logs", nargs="+")
    count = commands.add_parser("count")
    count.add_argument("--phone", required=True)
    count.add_argument("logs", nargs="+")
    args = parser.parse_args()
    return {"mo": command_mo, "reply": command_reply, "count": command_count}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
