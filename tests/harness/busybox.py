"""The BusyBox differential suite: shell commands on Linux and on Relay.

Each command of tests/harness/busybox_commands.py is one `sh -c TEXT` of the
very same static i386 BusyBox (build/busybox/bin/busybox, `tools/setup
--busybox`), run on the host's Linux and on Relay; stdout, stderr and the
exit status must match byte for byte. One result line per command:
'ok   busybox.pipe-yes-head', or 'FAIL busybox.sort: stdout differs' with a
short diff. tests/run.py selects them with --suite busybox or --suite
busybox.NAME.

QEMU boots cost more than commands, so one boot runs a batch: a driver
script (DRIVER below, itself run by BusyBox's sh on both sides, so both
take the same path) gives each command a fresh empty directory, stdin
/dev/null, and files for its stdout and stderr, then prints them between
markers that the parser splits again. The host runs the same driver in a
temporary directory, with the environment Relay's init gives its jobs; the
Relay side is `tools/relay run --busybox --icount --root=TREE sh DRIVER`.

Relay's kernel names every system call a program made that it does not
implement; any such report in a batch fails the extra line
'busybox.unimplemented', which lists them.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

from . import differential, verdict
from .busybox_commands import COMMANDS

GROUP = "busybox"
UNIMPLEMENTED = f"{GROUP}.unimplemented"    # the line for unimplemented system calls
BUSYBOX = os.path.join("build", "busybox", "bin", "busybox")
TOOL = os.path.join("tools", "relay")
LOG_DIR = os.path.join("build", "test-logs")
RELAY_BASE = "/bb"                  # where the tree sits in Relay's initramfs
SEARCH_PATH = "/bin:/usr/bin:/sbin:/usr/sbin"   # where --busybox puts the applet links
BATCH_TIMEOUT = 90.0                # seconds for one side of one batch
MISSING_MARK = "does not implement"  # tools/relay's report of unimplemented calls
UMASK = 0o022                       # what Linux's init starts with, and Relay's
# The root's names, for ls -l and stat on Relay (the host has its own
# /etc/passwd; every process on Relay is root, and so are the host's tests).
ETC_FILES = {"etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/group": "root:x:0:\n"}

# The driver: `sh driver BASE`, with BASE/names (one command name a line)
# and BASE/cmd/NAME (its text). Its own variables are not exported, so the
# commands see only the environment, PWD and SHLVL; TZ pins the time zone
# the host's /etc/localtime would otherwise choose.
DRIVER = r"""
base=$1
export PATH=%(path)s TZ=UTC0
mkdir -p "$base/work" "$base/out"
while read -r name; do
    mkdir "$base/work/$name" && cd "$base/work/$name" || exit 99
    sh -c "$(cat "$base/cmd/$name")" </dev/null >"$base/out/$name.1" 2>"$base/out/$name.2"
    status=$?
    cd /
    printf '\n<<<bb:%%s:1>>>' "$name"
    cat "$base/out/$name.1"
    printf '<<<bb:%%s:2>>>' "$name"
    cat "$base/out/$name.2"
    printf '<<<bb:%%s:status:%%s>>>\n' "$name" "$status"
done <"$base/names"
""" % {"path": SEARCH_PATH}

RESULT_RE = re.compile(rb"\n<<<bb:([\w.-]+):1>>>(.*?)<<<bb:\1:2>>>(.*?)<<<bb:\1:status:(\d+)>>>\n",
                       re.S)


def entry_names():
    return [f"{GROUP}.{c.name}" for c in COMMANDS]


def is_group_name(name):
    """True for 'busybox' and 'busybox.ANYTHING'."""
    return name == GROUP or name.startswith(GROUP + ".")


def select(wanted):
    """(selected Commands in table order, unknown names) for --suite values."""
    chosen, unknown = set(), []
    for name in wanted:
        everything = name in (GROUP, UNIMPLEMENTED)  # that line needs every command run
        hits = [c.name for c in COMMANDS if everything or name == f"{GROUP}.{c.name}"]
        if not hits:
            unknown.append(name)
        chosen.update(hits)
    return [c for c in COMMANDS if c.name in chosen], unknown


# ---------------------------------------------------------------- one batch

def write_tree(base, commands):
    """BASE/driver, BASE/names and BASE/cmd/NAME for a batch."""
    os.makedirs(os.path.join(base, "cmd"))
    with open(os.path.join(base, "driver"), "w") as f:
        f.write(DRIVER)
    with open(os.path.join(base, "names"), "w") as f:
        f.write("".join(c.name + "\n" for c in commands))
    for c in commands:
        with open(os.path.join(base, "cmd", c.name), "w") as f:
            f.write(c.text)


def parse_results(stdout):
    """{name: (stdout, stderr, status)} from a driver's output."""
    return {m.group(1).decode(): (m.group(2), m.group(3), int(m.group(4)))
            for m in RESULT_RE.finditer(stdout)}


def run_host(root, commands, scratch):
    """The batch on the host: (results, problem text)."""
    base = os.path.join(scratch, "host")
    write_tree(base, commands)
    argv = ["sh", os.path.join(base, "driver"), base]
    env = differential.job_environment(root)
    try:
        proc = subprocess.run(argv, executable=os.path.join(root, BUSYBOX), cwd=base, env=env,
                              umask=UMASK, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=BATCH_TIMEOUT)
    except subprocess.TimeoutExpired as err:
        return parse_results(err.stdout or b""), f"timeout on the host after {BATCH_TIMEOUT:g} s"
    return parse_results(proc.stdout), proc.stderr.decode("utf-8", "replace")


def relay_command(root, tree, log):
    return [sys.executable, os.path.join(root, TOOL), "run", "--busybox", "--icount",
            "--no-build", f"--timeout={BATCH_TIMEOUT:g}", f"--log={log}", f"--root={tree}",
            "sh", f"{RELAY_BASE}/driver", RELAY_BASE]


def run_relay(root, commands, scratch, index):
    """The batch on Relay: (results, tools/relay's stderr, exit status)."""
    tree = os.path.join(scratch, "relay")
    write_tree(os.path.join(tree, RELAY_BASE.strip("/")), commands)
    for name, text in ETC_FILES.items():
        os.makedirs(os.path.dirname(os.path.join(tree, name)), exist_ok=True)
        with open(os.path.join(tree, name), "w") as f:
            f.write(text)
    log = os.path.join(root, LOG_DIR, f"{GROUP}.batch{index}.log")
    try:
        proc = subprocess.run(relay_command(root, tree, log), cwd=root,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=BATCH_TIMEOUT + 15)
    except subprocess.TimeoutExpired as err:
        return parse_results(err.stdout or b""), "tools/relay itself hung", -1
    return parse_results(proc.stdout), proc.stderr.decode("utf-8", "replace"), proc.returncode


def run_batch(root, commands, index):
    """Both sides of one batch, at once: (host, relay) as run_host/run_relay."""
    os.makedirs(os.path.join(root, LOG_DIR), exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=f"busybox{index}-", dir=os.path.join(root, LOG_DIR))
    try:
        relay = {}
        thread = threading.Thread(
            target=lambda: relay.update(out=run_relay(root, commands, scratch, index)))
        thread.start()
        host = run_host(root, commands, scratch)
        thread.join()
        return host, relay["out"]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- judging

def judge(command, host, relay):
    """One verdict.Line for a command from both sides' results."""
    entry = f"{GROUP}.{command.name}"
    host_results, host_problem = host
    relay_results, relay_stderr, relay_status = relay
    if command.name not in host_results:
        return verdict.Line(verdict.FAIL, entry, "no result from the host",
                            _tail("host stderr", host_problem))
    if command.name not in relay_results:
        why = differential.RELAY_ERRORS.get(relay_status, f"tools/relay exited {relay_status}")
        return verdict.Line(verdict.FAIL, entry, f"no result from Relay ({why})",
                            _tail("Relay stderr", relay_stderr))
    problems, details = compare(host_results[command.name], relay_results[command.name])
    if not problems:
        reason = f"known bug no longer shows: {command.known_bug}" if command.known_bug else ""
        return verdict.Line(verdict.PASS, entry, reason)
    if command.known_bug:
        return verdict.Line(verdict.SKIP, entry, f"known bug: {command.known_bug} ({problems[0]})")
    return verdict.Line(verdict.FAIL, entry, "; ".join(problems),
                        [f"command: {command.text}"] + details)


def compare(host, relay):
    """([problems], [details]) between two (stdout, stderr, status) triples."""
    problems, details = [], []
    for what, index in (("stdout", 0), ("stderr", 1)):
        if host[index] != relay[index]:
            problems.append(f"{what} differs")
            details += [f"{what}:"] + differential.unified_diff(host[index], relay[index])
    if host[2] != relay[2]:
        problems.append(f"exit status differs: host {host[2]}, Relay {relay[2]}")
    return problems, details


def _tail(label, text, count=8):
    lines = text.strip().splitlines()[-count:]
    return [f"{label}:"] + [f"  {l}" for l in lines] if lines else []


def unimplemented_line(relay_stderrs):
    """The busybox.unimplemented line from every batch's tools/relay stderr."""
    reports = sorted({l.strip() for text in relay_stderrs for l in text.splitlines()
                      if MISSING_MARK in l})
    if not reports:
        return verdict.Line(verdict.PASS, UNIMPLEMENTED)
    return verdict.Line(verdict.FAIL, UNIMPLEMENTED,
                        "BusyBox made system calls Relay does not implement", reports)


# ---------------------------------------------------------------- the group

def batches(commands, count):
    """commands dealt into at most `count` batches, each in table order."""
    count = max(1, min(count, len(commands)))
    return [commands[i::count] for i in range(count)]


def run_all(root, commands, jobs, emit):
    """Run the commands in `jobs` batches at once, emitting one Line each
    (in table order) and then the unimplemented line."""
    if not commands:
        return
    if not os.path.isfile(os.path.join(root, BUSYBOX)):
        for c in commands:
            emit(verdict.Line(verdict.FAIL, f"{GROUP}.{c.name}",
                              f"{BUSYBOX} not found (run `tools/setup --busybox`)"))
        return
    runs, why = differential.host_runs_i386(os.path.join(root, LOG_DIR))
    if not runs:
        for c in commands:
            emit(verdict.Line(verdict.SKIP, f"{GROUP}.{c.name}", why))
        return
    groups = batches(commands, jobs)
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        outcomes = list(pool.map(lambda ib: run_batch(root, ib[1], ib[0]), enumerate(groups)))
    judged = {}
    for group, (host, relay) in zip(groups, outcomes):
        for c in group:
            judged[c.name] = judge(c, host, relay)
    for c in commands:
        emit(judged[c.name])
    emit(unimplemented_line([relay[1] for _, relay in outcomes]))
