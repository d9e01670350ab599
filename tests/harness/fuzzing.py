"""Relay's fuzzer, as tests (suite group `fuzz`) and as a long run (`make fuzz`).

Each check runs user/tests/fuzz.c on Relay through tools/relay (docs/fuzzing.md):

- fuzz.calls@pic / @apic: random system calls with adversarial arguments in
  forked batches, from a fixed seed; no panic, hang or reset (tools/relay's
  exit status says), no FINDING line, and no frame leaked (sysinfo).
- fuzz.errno: the deterministic subset (`fuzz errno SEED N`) on the host's
  Linux and on Relay; every line must match, or be in ALLOWED with a reason.
- fuzz.elf: malformed copies of a real program (tools/fuzz-elf) loaded as
  modules; `fuzz exec` runs each: an execve error or a signal for each, the
  kernel goes on, no frame leaked.
- fuzz.exhaust@pic / @apic: fork until EAGAIN, brk and the stack until they
  fail, a storm of pending signals; all reaped, no frame leaked.
- fuzz.storm@pic / @apic: hz=1000, a 1 ms ITIMER_REAL counting SIGALRMs
  while Ctrl-C keys arrive: every key counted, SIGALRMs plausible for the
  time slept.

`python3 tests/harness/fuzzing.py --long [--minutes=N]` (what `make fuzz`
runs) repeats them with seeds from the clock and prints the seed of any
failure, with the command that reproduces it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

try:
    from . import verdict
except ImportError:                 # run as tests/harness/fuzzing.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from harness import verdict

GROUP = "fuzz"
RELAY = os.path.join("tools", "relay")
FUZZ_ELF = os.path.join("tools", "fuzz-elf")
PROGRAM = os.path.join("build", "user", "fuzz")
LOG_DIR = os.path.join("build", "test-logs")
IRQS = ("pic", "apic")
RELAY_TIMEOUT = 90              # seconds tools/relay may take, then it reports 124
HANG_GRACE = 30                 # more seconds before tools/relay itself counts as hung
RELAY_ERRORS = {2: "tools/relay refused to run it", 124: "timeout (a hang)",
                125: "kernel panic", 126: "the machine died (triple fault, reset)"}

# The short pass make test runs (fixed seeds), and the long one's sizes.
SHORT = {"calls_seed": 1, "calls": 2048, "errno_seeds": (1, 2, 3), "errno_calls": 300,
         "elf_seed": 1, "elf_count": 26, "storm_keys": 40}
LONG_CALLS = 32768
LONG_ERRNO_CALLS = 2000
LONG_ELF_COUNT = 36
MODULES_PER_BOOT = 12           # the kernel keeps 16 modules; init and fuzz take two
STORM_HZ = 1000


def is_name(name):
    return name == GROUP or name.startswith(GROUP + ".")


# ---------------------------------------------------------------- running

def relay(root, name, args, options=(), timeout=RELAY_TIMEOUT):
    """tools/relay run fuzz ARGS; returns (status, stdout, stderr)."""
    os.makedirs(os.path.join(root, LOG_DIR), exist_ok=True)
    argv = [sys.executable, os.path.join(root, RELAY), "run", "--no-build",
            f"--timeout={timeout}", f"--log={os.path.join(root, LOG_DIR, name + '.log')}",
            *options, os.path.join(root, PROGRAM), *map(str, args)]
    try:
        proc = subprocess.run(argv, cwd=root, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout + HANG_GRACE)
    except subprocess.TimeoutExpired:
        return -1, "", "tools/relay itself hung"
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def relay_problems(status, stdout, stderr):
    """What tools/relay's exit status and the FINDING lines say went wrong."""
    problems = [line for line in stdout.splitlines() if "FINDING" in line]
    if status in RELAY_ERRORS:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        problems.insert(0, f"{RELAY_ERRORS[status]}: {tail}")
    elif status == -1:
        problems.insert(0, stderr)
    elif status != 0 and not problems:
        problems.append(f"fuzz exited {status}")
    return problems


def leaked_frames(stdout):
    """The count on 'fuzz: frames leaked: N', or None when the line is missing."""
    match = re.search(r"^fuzz: frames leaked: (-?\d+)$", stdout, re.MULTILINE)
    return int(match.group(1)) if match else None


def frame_problems(stdout):
    leaked = leaked_frames(stdout)
    if leaked is None:
        return ["no 'frames leaked' line (did fuzz finish?)"]
    return [f"{leaked} frames leaked"] if leaked else []


# ---------------------------------------------------------------- the checks

def check_calls(root, irq, seed, calls, name):
    status, out, err = relay(root, name, [seed, calls, "--frames"], [f"--irq={irq}"])
    problems = relay_problems(status, out, err) or frame_problems(out)
    return [f"{p} (reproduce: tools/relay run --irq={irq} build/user/fuzz {seed} {calls} "
            "--frames --verbose)" for p in problems]


def check_exhaust(root, irq, name):
    status, out, err = relay(root, name, ["exhaust", "--frames"], [f"--irq={irq}"])
    problems = relay_problems(status, out, err) or frame_problems(out)
    for wanted in ("processes: fork until it fails: EAGAIN", "brk until refused: ENOMEM",
                   "stack until it cannot grow: SIGSEGV", "signals: all sent",
                   "descriptors: open until it fails: EMFILE"):
        if wanted not in out:
            problems.append(f"no {wanted!r}")
    return problems


def check_storm(root, irq, keys, name):
    steps = ["after=READY"] + ["ctrl-c"] * keys + ["ctrl-backslash"]
    status, out, err = relay(root, name, ["storm"],
                             [f"--irq={irq}", f"--boot=hz={STORM_HZ}", "--keys=" + ",".join(steps)])
    problems = relay_problems(status, out, err)
    if f"fuzz: storm: {keys} SIGINTs\n" not in out:
        problems.append(f"not all {keys} Ctrl-C counted: "
                        + " ".join(l for l in out.splitlines() if "SIGINTs" in l))
    if "SIGALRMs plausible: yes" not in out:
        problems.append("SIGALRMs implausible: "
                        + " ".join(l for l in out.splitlines() if "SIGALRM" in l))
    return problems


def check_elf(root, seed, count, name):
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, os.path.join(root, FUZZ_ELF), f"--seed={seed}",
                               f"--count={count}", tmp], cwd=root, capture_output=True,
                              text=True, check=True)
        mutants = [line.split(" ", 1) for line in proc.stdout.splitlines()]
        problems = []
        for at in range(0, len(mutants), MODULES_PER_BOOT):
            chunk = mutants[at:at + MODULES_PER_BOOT]
            problems += elf_chunk(root, tmp, chunk, f"{name}.{at // MODULES_PER_BOOT}")
    return [f"{p} (reproduce: tools/fuzz-elf --seed={seed} --count={count} DIR)"
            for p in problems]


def elf_chunk(root, tmp, chunk, name):
    """Boots once with these mutants as modules; fuzz exec runs each."""
    modules = [f"--module={os.path.join(tmp, n)}" for n, _ in chunk]
    status, out, err = relay(root, name, ["exec", "--frames"] + [n for n, _ in chunk], modules)
    problems = relay_problems(status, out, err) or frame_problems(out)
    for mutant, what in chunk:
        if not re.search(rf"^fuzz: exec {mutant}: ", out, re.MULTILINE):
            problems.append(f"{mutant} ({what}): no outcome reported")
    if "fuzz: exec done, 0 timed out" not in out:
        problems.append("a mutant hung or exec did not finish")
    return problems


# ---------------------------------------------------------------- errno vs Linux

ERRNO_LINE = re.compile(r"^fuzz: (\d+) (\w+)\((.*)\) = (\S+)$")


def _exec_order(name, args, linux, relay_result):
    if name == "execve" and linux == "ENOENT" and relay_result == "EFAULT":
        return ("Relay copies argv and envp before it looks the program up; Linux opens "
                "the file first (exec.c, being changed for the known argv NULL bug)")
    return None


def allowed(name, args, linux, relay_result):
    """The documented reason a difference is known, or None for a finding."""
    return _exec_order(name, args, linux, relay_result)


def parse_errno_lines(text):
    """{index: (name, args, result)} from fuzz errno's output."""
    calls = {}
    for line in text.splitlines():
        match = ERRNO_LINE.match(line)
        if match:
            index, name, args, result = match.groups()
            calls[int(index)] = (name, [a.strip() for a in args.split(",")], result)
    return calls


def errno_differences(linux_text, relay_text):
    """(unexplained, explained) differences, as printable strings."""
    linux, relay_calls = parse_errno_lines(linux_text), parse_errno_lines(relay_text)
    unexplained, explained = [], []
    if len(linux) != len(relay_calls):
        unexplained.append(f"Linux printed {len(linux)} calls, Relay {len(relay_calls)}")
    for index in sorted(set(linux) & set(relay_calls)):
        name, args, expected = linux[index]
        got = relay_calls[index][2]
        if got == expected:
            continue
        text = f"call {index}: {name}({', '.join(args)}): Linux {expected}, Relay {got}"
        reason = allowed(name, args, expected, got)
        (explained if reason else unexplained).append(text + (f" [{reason}]" if reason else ""))
    return unexplained, explained


def check_errno(root, seed, calls, name):
    program = os.path.join(root, PROGRAM)
    linux = subprocess.run([program, "errno", str(seed), str(calls)], capture_output=True,
                           text=True, timeout=RELAY_TIMEOUT, stdin=subprocess.DEVNULL)
    status, out, err = relay(root, name, ["errno", seed, calls])
    problems = relay_problems(status, out, err)
    if linux.returncode != 0 or "fuzz: errno done" not in linux.stdout:
        problems.append(f"the host run failed (status {linux.returncode})")
    unexplained, _ = errno_differences(linux.stdout, out)
    return problems + [f"seed {seed}: {d} (reproduce: build/user/fuzz errno {seed} {calls})"
                       for d in unexplained]


# ---------------------------------------------------------------- the group

def short_checks(root):
    """[(name, check)] for make test: fixed seeds, a few seconds each."""
    checks = [(f"{GROUP}.calls@{irq}", lambda irq=irq: check_calls(
        root, irq, SHORT["calls_seed"], SHORT["calls"], f"{GROUP}.calls@{irq}")) for irq in IRQS]
    checks += [(f"{GROUP}.errno", lambda: [p for seed in SHORT["errno_seeds"] for p in
                                          check_errno(root, seed, SHORT["errno_calls"],
                                                      f"{GROUP}.errno")])]
    checks += [(f"{GROUP}.elf", lambda: check_elf(root, SHORT["elf_seed"], SHORT["elf_count"],
                                                  f"{GROUP}.elf"))]
    checks += [(f"{GROUP}.exhaust@{irq}", lambda irq=irq: check_exhaust(
        root, irq, f"{GROUP}.exhaust@{irq}")) for irq in IRQS]
    checks += [(f"{GROUP}.storm@{irq}", lambda irq=irq: check_storm(
        root, irq, SHORT["storm_keys"], f"{GROUP}.storm@{irq}")) for irq in IRQS]
    return checks


def run(root, emit, wanted=(GROUP,)):
    """Runs the selected short checks, one verdict.Line each."""
    if not os.path.isfile(os.path.join(root, PROGRAM)):
        emit(verdict.Line(verdict.FAIL, GROUP, f"{PROGRAM} not built (run `make user`)"))
        return
    for name, check in short_checks(root):
        if not any(w in (GROUP, name, name.split("@")[0]) for w in wanted):
            continue
        problems = check()
        emit(verdict.Line(verdict.FAIL if problems else verdict.PASS, name,
                          problems[0] if problems else "", problems[1:]))


def entry_names():
    return [name for name, _ in short_checks(".")]


# ---------------------------------------------------------------- make fuzz

def long_round(root, seed, round_number):
    """One round of the long run: every kind, seeds from `seed`. Returns problems."""
    irq = IRQS[round_number % len(IRQS)]
    problems = check_calls(root, irq, seed, LONG_CALLS, f"{GROUP}.long.calls")
    problems += check_errno(root, seed, LONG_ERRNO_CALLS, f"{GROUP}.long.errno")
    problems += check_elf(root, seed, LONG_ELF_COUNT, f"{GROUP}.long.elf")
    problems += check_exhaust(root, irq, f"{GROUP}.long.exhaust")
    problems += check_storm(root, irq, SHORT["storm_keys"], f"{GROUP}.long.storm")
    return problems


def long_run(root, minutes):
    """Rounds until the time is up; prints each seed and what it found."""
    deadline, found, round_number = time.monotonic() + minutes * 60, 0, 0
    while time.monotonic() < deadline:
        seed = int(time.time() * 1000) & 0x7FFFFFFF
        problems = long_round(root, seed, round_number)
        print(f"fuzz round {round_number}: seed {seed}: "
              + ("ok" if not problems else f"{len(problems)} FINDINGS"), flush=True)
        for problem in problems:
            print(f"    {problem}", flush=True)
        found += len(problems)
        round_number += 1
    print(f"fuzz: {round_number} rounds, {found} findings")
    return 1 if found else 0


def main(argv):
    parser = argparse.ArgumentParser(description="Relay's fuzzer, long run")
    parser.add_argument("--long", action="store_true", help="seeds from the clock, many calls")
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if args.long:
        return long_run(root, args.minutes)
    lines = []
    run(root, lines.append)
    for line in lines:
        print(line.render())
    return 1 if any(l.verdict == verdict.FAIL for l in lines) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
